/**
 * Display-filter syntax, as Wireshark 4.0 reads it (for the fields we offer):
 *
 *   expr  := and (("or" | "||") and)*
 *   and   := unary (("and" | "&&") unary)*
 *   unary := ("not" | "!") unary | "(" expr ")" | test
 *   test  := field
 *          | field relop value          relop: == != === ~= < <= > >= and eq ne all_eq any_ne lt le gt ge
 *          | field "contains" value | field ("matches" | "~") "regex"
 *          | field "in" "{" value ("," value | value".."value)* "}"
 *
 * Values are checked against the field's type when the filter is compiled (999.1.1.1 is not an
 * address), so evaluation never meets a malformed one. Input is bounded: length, nesting depth
 * and number of terms have limits with a clear message, and and/or chains are n-ary nodes, so
 * neither parsing nor evaluation recurses with the length of the filter.
 */
import { makeError, type CoreError } from '../errors';

export const MAX_FILTER_CHARS = 8192;
export const MAX_FILTER_DEPTH = 64;
export const MAX_FILTER_TERMS = 1024;

/** Types of filter fields. `proto` fields only test presence. */
export type FieldType = 'uint' | 'float' | 'string' | 'bool' | 'ipv4' | 'ipv6' | 'mac' | 'proto';

/** Comparison operators after normalisation of their spellings. */
export type Op = 'exists' | 'any_eq' | 'all_ne' | 'all_eq' | 'any_ne' | 'gt' | 'ge' | 'lt' | 'le' | 'contains' | 'matches' | 'in';

/** A parsed, type-checked value. */
export type Value =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 'ip4'; lo: number; hi: number }
  | { k: 'ip6'; bytes: number[]; prefix: number }
  | { k: 'range'; lo: number; hi: number }
  | { k: 're'; re: RegExp };

export type Node =
  | { t: 'or' | 'and'; items: Node[] }
  | { t: 'not'; a: Node }
  | { t: 'test'; field: string; type: FieldType; op: Op; values: Value[] };

/** A syntax or value error, with the character position. */
export class FilterError extends Error {
  readonly detail: CoreError;
  constructor(
    key: string,
    params: Record<string, string | number>,
    readonly pos: number,
  ) {
    const detail = makeError(key, params);
    super(detail.message);
    this.detail = { ...detail, params: { ...detail.params, pos } };
  }
}

const OPS: Record<string, Op> = {
  '==': 'any_eq',
  eq: 'any_eq',
  any_eq: 'any_eq',
  '!=': 'all_ne',
  ne: 'all_ne',
  all_ne: 'all_ne',
  '===': 'all_eq',
  all_eq: 'all_eq',
  '~=': 'any_ne',
  any_ne: 'any_ne',
  '>': 'gt',
  gt: 'gt',
  '>=': 'ge',
  ge: 'ge',
  '<': 'lt',
  lt: 'lt',
  '<=': 'le',
  le: 'le',
  contains: 'contains',
  matches: 'matches',
  '~': 'matches',
};

interface Tok {
  v: string;
  pos: number;
  quoted: boolean;
}

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  const re = /(===|!==|==|!=|~=|>=|<=|&&|\|\||[()!<>{},~]|"(?:[^"\\]|\\.)*"|[A-Za-z0-9_.:/-]+)/y;
  let pos = 0;
  for (;;) {
    while (pos < s.length && /\s/.test(s[pos]!)) pos++;
    if (pos >= s.length) break;
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) throw new FilterError('filter:char', { ch: s[pos]!, at: pos + 1 }, pos);
    const raw = m[1]!;
    const quoted = raw.startsWith('"');
    out.push({ v: quoted ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw, pos, quoted });
    pos = re.lastIndex;
  }
  return out;
}

/** Resolves a field name to its type, or null when unknown. */
export type FieldResolver = (name: string) => FieldType | null;

/** Parse and type-check a filter. Empty input gives null ("everything"). Throws {@link FilterError}. */
export function parseFilter(src: string, resolve: FieldResolver): Node | null {
  if (src.length > MAX_FILTER_CHARS)
    throw new FilterError('filter:too-long', { len: src.length, max: MAX_FILTER_CHARS }, MAX_FILTER_CHARS);
  const toks = tokenize(src);
  if (!toks.length) return null;
  let i = 0;
  let terms = 0;
  const peek = () => (toks[i] && !toks[i]!.quoted ? toks[i]!.v.toLowerCase() : toks[i] ? '"' : undefined);
  const fail = (key: string, params: Record<string, string | number> = {}): never => {
    throw new FilterError(key, params, toks[i]?.pos ?? src.length);
  };
  const level =
    (t: 'or' | 'and', ops: string[], next: (depth: number) => Node) =>
    (depth: number): Node => {
      const items = [next(depth)];
      while (ops.includes(peek() ?? '')) {
        i++;
        items.push(next(depth));
      }
      return items.length === 1 ? items[0]! : { t, items };
    };
  const unary = (depth: number): Node => {
    if (depth > MAX_FILTER_DEPTH) fail('filter:too-deep', { max: MAX_FILTER_DEPTH });
    const p = peek();
    if (p === undefined) return fail('filter:end');
    if (p === 'not' || p === '!') {
      i++;
      return { t: 'not', a: unary(depth + 1) };
    }
    if (p === '(') {
      const open = toks[i]!.pos;
      i++;
      const e = or(depth + 1);
      if (peek() !== ')') throw new FilterError('filter:paren', { at: open + 1 }, toks[i]?.pos ?? src.length);
      i++;
      return e;
    }
    return test();
  };
  const and = level('and', ['and', '&&'], unary);
  const or = level('or', ['or', '||'], and);

  const test = (): Node => {
    if (++terms > MAX_FILTER_TERMS) fail('filter:too-many', { max: MAX_FILTER_TERMS });
    const tok = toks[i]!;
    const field = tok.v.toLowerCase();
    const type = tok.quoted ? null : resolve(field);
    if (!type) return fail('filter:field', { field: tok.v });
    i++;
    const opTok = peek();
    const op = opTok === 'in' ? 'in' : opTok !== undefined ? OPS[opTok] : undefined;
    if (!op) return { t: 'test', field, type, op: 'exists', values: [] };
    const opText = toks[i]!.v;
    i++;
    if (type === 'proto' || (type === 'bool' && op !== 'any_eq' && op !== 'all_ne' && op !== 'all_eq' && op !== 'any_ne'))
      return fail('filter:op', { field, op: opText });
    if (op === 'in') return { t: 'test', field, type, op, values: set(field, type) };
    const vt = toks[i];
    if (!vt) return fail('filter:value', { op: opText });
    i++;
    if (op === 'matches') {
      try {
        return { t: 'test', field, type, op, values: [{ k: 're', re: new RegExp(vt.v, 'i') }] };
      } catch (e) {
        throw new FilterError('filter:regex', { why: (e as Error).message }, vt.pos);
      }
    }
    if (op === 'contains') {
      if (type !== 'string') throw new FilterError('filter:op', { field, op: opText }, vt.pos);
      return { t: 'test', field, type, op, values: [{ k: 'str', v: vt.v }] };
    }
    return { t: 'test', field, type, op, values: [value(field, type, vt)] };
  };

  const set = (field: string, type: FieldType): Value[] => {
    if (peek() !== '{') fail('filter:value', { op: 'in' });
    i++;
    const out: Value[] = [];
    while (peek() !== '}') {
      const vt = toks[i];
      if (!vt) return fail('filter:end');
      i++;
      const r = !vt.quoted ? /^(\d+)\.\.(\d+)$/.exec(vt.v) : null;
      if (r && (type === 'uint' || type === 'float')) out.push({ k: 'range', lo: Number(r[1]), hi: Number(r[2]) });
      else out.push(value(field, type, vt));
      if (peek() === ',') i++;
    }
    i++;
    return out;
  };

  const ast = or(0);
  if (i < toks.length) fail('filter:unexpected', { tok: toks[i]!.v, at: toks[i]!.pos + 1 });
  return ast;
}

const TYPE_NAME: Record<FieldType, string> = {
  uint: 'number',
  float: 'number',
  string: 'string',
  bool: 'boolean',
  ipv4: 'IPv4 address',
  ipv6: 'IPv6 address',
  mac: 'MAC address',
  proto: 'protocol',
};

function value(field: string, type: FieldType, t: Tok): Value {
  const bad = (): never => {
    throw new FilterError('filter:bad-value', { value: t.v, type: TYPE_NAME[type], field }, t.pos);
  };
  const s = t.v;
  switch (type) {
    case 'uint': {
      if (!/^(0x[0-9a-f]+|\d+)$/i.test(s)) return bad();
      return { k: 'num', v: Number(s) };
    }
    case 'bool': {
      const l = s.toLowerCase();
      if (l === '1' || l === 'true') return { k: 'num', v: 1 };
      if (l === '0' || l === 'false') return { k: 'num', v: 0 };
      return bad();
    }
    case 'float': {
      if (!/^-?(\d+\.?\d*|\.\d+)$/.test(s)) return bad();
      return { k: 'num', v: Number(s) };
    }
    case 'string':
      return { k: 'str', v: s };
    case 'ipv4': {
      const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(s);
      if (!m) return bad();
      const o = [m[1], m[2], m[3], m[4]].map(Number);
      const bits = m[5] === undefined ? 32 : Number(m[5]);
      if (o.some((x) => x > 255) || bits > 32) return bad();
      const v = ((o[0]! << 24) >>> 0) + (o[1]! << 16) + (o[2]! << 8) + o[3]!;
      const size = 2 ** (32 - bits);
      const lo = v - (v % size);
      return { k: 'ip4', lo, hi: lo + size - 1 };
    }
    case 'ipv6': {
      const [addr, pfx] = s.split('/');
      const bytes = parseIpv6(addr!);
      const prefix = pfx === undefined ? 128 : /^\d{1,3}$/.test(pfx) ? Number(pfx) : -1;
      if (!bytes || prefix < 0 || prefix > 128) return bad();
      return { k: 'ip6', bytes, prefix };
    }
    case 'mac': {
      const m =
        /^([0-9a-f]{2})[:.-]?([0-9a-f]{2})[:.-]?([0-9a-f]{2})[:.-]?([0-9a-f]{2})[:.-]?([0-9a-f]{2})[:.-]?([0-9a-f]{2})$/i.exec(s);
      if (!m) return bad();
      return { k: 'str', v: m.slice(1, 7).join(':').toLowerCase() };
    }
    default:
      return bad();
  }
}

/** 16 bytes of an IPv6 address in text (RFC 4291 forms, with an embedded IPv4 tail), or null. */
export function parseIpv6(s: string): number[] | null {
  if (!/^[0-9a-f:.]+$/i.test(s) || s.split('::').length > 2) return null;
  // An embedded IPv4 tail (::ffff:10.0.0.1) becomes two hex words.
  const v4 = /(^|:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  let text = s;
  if (v4) {
    const o = v4.slice(2, 6).map(Number);
    if (o.some((x) => x > 255)) return null;
    text = `${s.slice(0, v4.index + v4[1]!.length)}${((o[0]! << 8) | o[1]!).toString(16)}:${((o[2]! << 8) | o[3]!).toString(16)}`;
  } else if (s.includes('.')) return null;
  const double = text.includes('::');
  const [head, rest] = double ? text.split('::') : [text, ''];
  const h = head ? head.split(':') : [];
  const r = rest ? rest.split(':') : [];
  if ([...h, ...r].some((w) => !/^[0-9a-f]{1,4}$/i.test(w))) return null;
  const fill = 8 - h.length - r.length;
  if (double ? fill < 1 : fill !== 0) return null;
  const words = [...h.map((w) => parseInt(w, 16)), ...Array<number>(fill).fill(0), ...r.map((w) => parseInt(w, 16))];
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

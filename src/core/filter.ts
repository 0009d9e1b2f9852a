/**
 * A small Wireshark-like display filter, compiled once and evaluated against dissections.
 *
 *   expr   := or
 *   or     := and (("or" | "||") and)*
 *   and    := unary (("and" | "&&") unary)*
 *   unary  := ("not" | "!") unary | "(" expr ")" | test
 *   test   := field [op value]          op: == != > < >= <=
 *
 * Fields: ip.addr ip.src ip.dst ip.proto ip.id tcp.port tcp.srcport tcp.dstport udp.port
 * udp.srcport udp.dstport tcp.flags.syn tcp.flags.ack tcp.flags.reset tcp.flags.fin tcp.seq
 * frame.number frame.len vxlan.vni dns.qry.name, and the protocols tcp udp icmp icmpv6 dns vxlan
 * geneve gre arp ipv6 ip, plus checksum.bad checksum.partial checksum.zero
 * checksum.unverified. Like Wireshark, a field test matches if any occurrence matches (inner or
 * outer headers).
 */
import type { Dissection } from './decode/dissect';
import { ipAddr } from './decode/format';
import { K, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type Layer } from './decode/layers';

type Op = '==' | '!=' | '>' | '<' | '>=' | '<=';
type Node =
  | { t: 'and' | 'or'; a: Node; b: Node }
  | { t: 'not'; a: Node }
  | { t: 'test'; field: string; op: Op | null; value: string | number | null };

/** Context of one frame for evaluation. */
export interface FilterFrame {
  n: number;
  d: Dissection | null;
}

/** A compiled filter. */
export type FilterFn = (f: FilterFrame) => boolean;

/** Filter syntax error, with the character position. */
export class FilterError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
  }
}

const PROTOS: Record<string, number[]> = {
  tcp: [K.TCP],
  udp: [K.UDP],
  icmp: [K.ICMP],
  icmpv6: [K.ICMPV6],
  dns: [K.DNS],
  vxlan: [K.VXLAN],
  geneve: [K.GENEVE],
  gre: [K.GRE],
  arp: [K.ARP],
  ip: [K.IPV4],
  ipv6: [K.IPV6],
  eth: [K.ETH],
  vlan: [K.VLAN],
};

const FIELDS = new Set([
  'ip.addr',
  'ip.src',
  'ip.dst',
  'ip.proto',
  'ip.id',
  'ipv6.addr',
  'tcp.port',
  'tcp.srcport',
  'tcp.dstport',
  'udp.port',
  'udp.srcport',
  'udp.dstport',
  'tcp.flags.syn',
  'tcp.flags.ack',
  'tcp.flags.reset',
  'tcp.flags.fin',
  'tcp.seq',
  'frame.number',
  'frame.len',
  'vxlan.vni',
  'dns.qry.name',
  'checksum.bad',
  'checksum.partial',
  'checksum.zero',
  'checksum.unverified',
  ...Object.keys(PROTOS),
]);

interface Tok {
  v: string;
  pos: number;
}

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  const re = /\s*(==|!=|>=|<=|&&|\|\||[()!<>]|"[^"]*"|[A-Za-z0-9_.:\-[\]]+)/y;
  let pos = 0;
  while (pos < s.length) {
    if (/^\s*$/.test(s.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) throw new FilterError(`unexpected character "${s[pos]}" at ${pos + 1}`, pos);
    out.push({ v: m[1]!, pos: m.index + m[0].length - m[1]!.length });
    pos = re.lastIndex;
  }
  return out;
}

/** Compile a filter string. Empty means "everything". Throws {@link FilterError}. */
export function compileFilter(src: string): FilterFn {
  const toks = tokenize(src);
  if (!toks.length) return () => true;
  let i = 0;
  const peek = () => toks[i]?.v.toLowerCase();
  const fail = (msg: string): never => {
    throw new FilterError(msg, toks[i]?.pos ?? src.length);
  };
  /** A left-associative chain `next (op next)*` for one precedence level. */
  const chain = (t: 'and' | 'or', ops: string[], next: () => Node) => (): Node => {
    let a = next();
    while (ops.includes(peek() ?? '')) {
      i++;
      a = { t, a, b: next() };
    }
    return a;
  };
  const parseAnd = chain('and', ['and', '&&'], () => parseUnary());
  const parseOr = chain('or', ['or', '||'], parseAnd);
  const parseUnary = (): Node => {
    const p = peek();
    if (p === undefined) return fail('filter ends too early');
    if (p === 'not' || p === '!') {
      i++;
      return { t: 'not', a: parseUnary() };
    }
    if (p === '(') {
      i++;
      const e = parseOr();
      if (peek() !== ')') fail('missing ")"');
      i++;
      return e;
    }
    const field = toks[i]!.v.toLowerCase();
    if (!FIELDS.has(field)) fail(`unknown field "${toks[i]!.v}"`);
    i++;
    const op = peek();
    if (op === '==' || op === '!=' || op === '>' || op === '<' || op === '>=' || op === '<=') {
      i++;
      const tok = toks[i];
      if (!tok) return fail(`value expected after ${op}`);
      i++;
      const raw = tok.v.replace(/^"|"$/g, '');
      const num = /^(0x[0-9a-f]+|\d+)$/i.test(raw) ? Number(raw) : null;
      return { t: 'test', field, op, value: num ?? raw.toLowerCase() };
    }
    return { t: 'test', field, op: null, value: null };
  };
  const ast = parseOr();
  if (i < toks.length) fail(`unexpected "${toks[i]!.v}"`);
  return (f) => evalNode(ast, f);
}

function cmp(op: Op, a: number | string, b: number | string): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '>=':
      return a >= b;
    case '<=':
      return a <= b;
  }
}

function evalNode(n: Node, f: FilterFrame): boolean {
  if (n.t === 'not') return !evalNode(n.a, f);
  if (n.t !== 'test') return n.t === 'and' ? evalNode(n.a, f) && evalNode(n.b, f) : evalNode(n.a, f) || evalNode(n.b, f);
  const values = fieldValues(n.field, f);
  if (n.op === null) return values.some((v) => v !== 0 && v !== false && v !== '');
  // Wireshark semantics: "!=" on a multi-occurrence field means "no occurrence equals".
  if (n.op === '!=') return !values.some((v) => v === n.value);
  return values.some((v) => typeof v !== 'boolean' && cmp(n.op!, v, n.value!));
}

function layers(d: Dissection): Layer[] {
  return d.layers.slice(0, d.nLayers);
}

function fieldValues(field: string, f: FilterFrame): (number | string | boolean)[] {
  const d = f.d;
  if (field === 'frame.number') return [f.n];
  if (!d) return [];
  if (field === 'frame.len') return [d.origLen];
  const proto = PROTOS[field];
  if (proto) return [layers(d).some((l) => proto.includes(l.kind))];
  if (field.startsWith('checksum.')) {
    const want = field.slice(9);
    const out: boolean[] = [];
    for (let i = 0; i < d.nChecks; i++) out.push(d.checks[i]!.status === want);
    return [out.some(Boolean)];
  }
  const ls = layers(d);
  const ips = ls.filter((l) => l.kind === K.IPV4 || l.kind === K.IPV6);
  const vals: (number | string)[] = [];
  switch (field) {
    case 'ip.addr':
    case 'ipv6.addr':
      for (const l of ips) vals.push(ipAddr(d, l, 'src'), ipAddr(d, l, 'dst'));
      return vals;
    case 'ip.src':
      return ips.map((l) => ipAddr(d, l, 'src'));
    case 'ip.dst':
      return ips.map((l) => ipAddr(d, l, 'dst'));
    case 'ip.proto':
      return ips.map((l) => l.proto);
    case 'ip.id':
      return ips.filter((l) => l.ipId >= 0).map((l) => l.ipId);
    case 'vxlan.vni':
      return ls.filter((l) => l.kind === K.VXLAN || l.kind === K.GENEVE).map((l) => l.vni);
    case 'dns.qry.name':
      return ls.filter((l) => l.kind === K.DNS).map((l) => l.dnsQname.toLowerCase());
  }
  const [p, ...rest] = field.split('.');
  const kind = p === 'tcp' ? K.TCP : K.UDP;
  const tl = ls.filter((l) => l.kind === kind);
  const sub = rest.join('.');
  for (const l of tl) {
    if (sub === 'port') vals.push(l.srcPort, l.dstPort);
    else if (sub === 'srcport') vals.push(l.srcPort);
    else if (sub === 'dstport') vals.push(l.dstPort);
    else if (sub === 'seq') vals.push(l.seq);
    else if (sub === 'flags.syn') vals.push(l.tcpFlags & TCP_SYN ? 1 : 0);
    else if (sub === 'flags.ack') vals.push(l.tcpFlags & TCP_ACK ? 1 : 0);
    else if (sub === 'flags.reset') vals.push(l.tcpFlags & TCP_RST ? 1 : 0);
    else if (sub === 'flags.fin') vals.push(l.tcpFlags & TCP_FIN ? 1 : 0);
  }
  return vals;
}

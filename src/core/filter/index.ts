/**
 * Display filters that behave like Wireshark's for the fields they support: every protocol's
 * fields come from its module (the registry), plus frame fields, checksum verdicts and the
 * analysis' per-frame facts (`tcp.stream`, `tcp.analysis.retransmission`). A field test matches
 * if any occurrence matches (inner or outer headers, quoted packets too), `!=` means "no
 * occurrence equals" and a relation on an absent field is false, as in Wireshark 4.0.
 */
import type { Dissection } from '../decode/dissect';
import { K, type Layer } from '../decode/layers';
import type { FilterField } from '../decode/protocol';
import { REGISTRY } from '../decode/protocols';
import { parseIpv6, parseFilter, type FieldType, type Node, type Value } from './parse';

export { FilterError, MAX_FILTER_CHARS } from './parse';

/** Per-frame facts from the analysis, for `tcp.stream` and `tcp.analysis.*`. */
export interface FrameMeta {
  /** tshark's tcp.stream number, -1 when not TCP. */
  stream: number;
  /** ANALYSIS_* bits. */
  flags: number;
}

/** tcp.analysis bits of {@link FrameMeta.flags}. */
export const ANALYSIS_RETRANSMISSION = 1;

/** One frame, as a filter sees it. */
export interface FilterFrame {
  n: number;
  d: Dissection | null;
  /** Seconds since the first frame (frame.time_relative); 0 when unknown. */
  rel?: number;
  /** Seconds since the epoch. */
  ts?: number;
  meta?: FrameMeta;
}

/** A compiled filter. */
export type FilterFn = (f: FilterFrame) => boolean;

type Getter = (f: FilterFrame) => readonly (number | string)[];

interface FieldDef {
  type: FieldType;
  get: Getter;
}

const STATUSES = ['good', 'bad', 'zero', 'partial', 'unverified'] as const;

/** Frame-level and derived fields (everything that is not a protocol module's own). */
const BUILTIN: Record<string, FieldDef> = {
  'frame.number': { type: 'uint', get: (f) => [f.n] },
  'frame.len': { type: 'uint', get: (f) => (f.d ? [f.d.origLen] : []) },
  'frame.cap_len': { type: 'uint', get: (f) => (f.d ? [f.d.data.length] : []) },
  'frame.time_relative': { type: 'float', get: (f) => (f.rel !== undefined ? [f.rel] : []) },
  'frame.time_epoch': { type: 'float', get: (f) => (f.ts !== undefined ? [f.ts] : []) },
  'tcp.stream': { type: 'uint', get: (f) => (f.meta && f.meta.stream >= 0 && hasTcp(f) ? [f.meta.stream] : []) },
  'tcp.analysis.retransmission': {
    type: 'proto',
    get: (f) => (f.meta && f.meta.flags & ANALYSIS_RETRANSMISSION && hasTcp(f) ? [1] : []),
  },
  'tcp.analysis.flags': { type: 'proto', get: (f) => (f.meta && f.meta.flags && hasTcp(f) ? [1] : []) },
  ...Object.fromEntries(
    STATUSES.map((s) => [
      `checksum.${s}`,
      {
        type: 'proto' as const,
        get: (f: FilterFrame) => {
          const d = f.d;
          if (d) for (let i = 0; i < d.nChecks; i++) if (d.checks[i]!.status === s) return [1];
          return [];
        },
      },
    ]),
  ),
};

/** Every field a filter may name, with its type (built once from the registry). */
export const FIELDS: ReadonlyMap<string, FieldDef> = (() => {
  const m = new Map<string, FieldDef>(Object.entries(BUILTIN));
  for (const p of REGISTRY.all) {
    if (p.dispatcher) continue;
    const kind = p.id;
    m.set(p.name, { type: 'proto', get: (f) => (f.d && layersOf(f.d, kind, true).length ? [1] : []) });
    for (const fd of p.fields ?? []) {
      if (m.has(fd.name)) throw new Error(`filter field ${fd.name} is defined twice`);
      m.set(fd.name, { type: fd.type, get: protocolGetter(kind, fd) });
    }
  }
  return m;
})();

/** The frame shows a TCP layer to filters (not one inside an IP fragment). */
function hasTcp(f: FilterFrame): boolean {
  return !!f.d && layersOf(f.d, K.TCP, true).length > 0;
}

function layersOf(d: Dissection, kind: number, any = false): Layer[] {
  const out: Layer[] = [];
  for (let i = 0; i < d.nLayers; i++) {
    const l = d.layers[i]!;
    // An IPv4 layer marked invalid (version not 4 or 6) is not IPv4.
    if (l.kind === kind && !(kind === K.IPV4 && l.ipVersion !== 4)) {
      out.push(l);
      if (any) break;
    }
    // Like Wireshark with reassembly on: what a fragment carries is not dissected (the first
    // fragment's TCP header is not "tcp"); the frame completing a datagram is reassembled apart.
    if ((l.kind === K.IPV4 || l.kind === K.IPV6) && (l.moreFragments || l.fragOffset > 0)) break;
  }
  return out;
}

function protocolGetter(kind: number, fd: FilterField): Getter {
  return (f) => {
    if (!f.d) return [];
    const out: (number | string)[] = [];
    for (const l of layersOf(f.d, kind)) for (const v of fd.values(l, f.d)) out.push(v);
    return out;
  };
}

/** Compile a filter. Empty means "everything". Throws {@link FilterError} with a position. */
export function compileFilter(src: string): FilterFn {
  const ast = parseFilter(src, (name) => FIELDS.get(name)?.type ?? null);
  if (!ast) return () => true;
  return (f) => evaluate(ast, f);
}

/** Field names for completion and documentation. */
export function filterFieldNames(): string[] {
  return [...FIELDS.keys()].sort();
}

function evaluate(root: Node, f: FilterFrame): boolean {
  // Nesting is bounded at parse time (MAX_FILTER_DEPTH), and and/or are n-ary: the recursion
  // depth here is at most the filter's nesting depth.
  switch (root.t) {
    case 'not':
      return !evaluate(root.a, f);
    case 'and':
      for (const x of root.items) if (!evaluate(x, f)) return false;
      return true;
    case 'or':
      for (const x of root.items) if (evaluate(x, f)) return true;
      return false;
    case 'test': {
      const vals = FIELDS.get(root.field)!.get(f);
      if (root.op === 'exists') return vals.length > 0;
      if (!vals.length) return false;
      const t = root.type;
      const want = root.values;
      switch (root.op) {
        case 'any_eq':
          return vals.some((v) => eq(t, v, want[0]!));
        case 'all_ne':
          return vals.every((v) => !eq(t, v, want[0]!));
        case 'all_eq':
          return vals.every((v) => eq(t, v, want[0]!));
        case 'any_ne':
          return vals.some((v) => !eq(t, v, want[0]!));
        case 'in':
          return vals.some((v) => want.some((w) => eq(t, v, w)));
        case 'contains':
          return vals.some((v) => typeof v === 'string' && v.includes((want[0] as { v: string }).v));
        case 'matches':
          return vals.some((v) => (want[0] as { re: RegExp }).re.test(String(v)));
        default:
          return vals.some((v) => order(root.op, cmp(t, v, want[0]!)));
      }
    }
  }
}

function order(op: string, c: number): boolean {
  if (Number.isNaN(c)) return false;
  return op === 'gt' ? c > 0 : op === 'ge' ? c >= 0 : op === 'lt' ? c < 0 : c <= 0;
}

function ip4(v: number | string): number {
  const p = String(v).split('.');
  return ((Number(p[0]) << 24) >>> 0) + (Number(p[1]) << 16) + (Number(p[2]) << 8) + Number(p[3]);
}

function eq(t: FieldType, v: number | string, w: Value): boolean {
  switch (w.k) {
    case 'ip4': {
      const x = ip4(v);
      return x >= w.lo && x <= w.hi;
    }
    case 'ip6': {
      const b = parseIpv6(String(v));
      if (!b) return false;
      for (let bit = 0; bit < w.prefix; bit += 8) {
        const mask = w.prefix - bit >= 8 ? 0xff : (0xff << (8 - (w.prefix - bit))) & 0xff;
        if ((b[bit >> 3]! & mask) !== (w.bytes[bit >> 3]! & mask)) return false;
      }
      return true;
    }
    case 'range':
      return typeof v === 'number' && v >= w.lo && v <= w.hi;
    case 'num':
      return t === 'float' ? Math.abs(Number(v) - w.v) < 1e-9 : v === w.v;
    case 'str':
      return String(v) === w.v;
    default:
      return false;
  }
}

/** Sign of v - w, NaN when they do not compare. */
function cmp(_t: FieldType, v: number | string, w: Value): number {
  switch (w.k) {
    case 'num':
      return Number(v) - w.v;
    case 'ip4':
      return ip4(v) - w.lo;
    case 'str':
      return String(v) < w.v ? -1 : String(v) > w.v ? 1 : 0;
    case 'ip6': {
      const b = parseIpv6(String(v));
      if (!b) return NaN;
      for (let i = 0; i < 16; i++) if (b[i] !== w.bytes[i]) return b[i]! - w.bytes[i]!;
      return 0;
    }
    default:
      return NaN;
  }
}

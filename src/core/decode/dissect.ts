/**
 * The dissector driver: a loop, not a recursion. Each step looks the next protocol up in a
 * dispatch table (by link type, ethertype, IP protocol, UDP port ...), lets it decode its header
 * and schedule what follows, then checksums are verified at every depth by the engine. The frame
 * is read through one bounds-checked {@link Cursor}. What protocols exist is data: see
 * protocols/index.ts; nothing here names a protocol.
 */
import { ChecksumEngine } from './checksums';
import { Cursor } from './cursor';
import { Check, K, Layer, LAYER_CODE, STATUS_CODE } from './layers';
import { T, type ChecksumSpec, type DecodeContext, type Protocol, type TableId } from './protocol';
import { PROTOCOLS, REGISTRY, VXLAN } from './protocols';
import type { Registry } from './registry';

export { DEFAULT_VXLAN_PORTS } from './protocols';

/** Options that change how bytes are interpreted. */
export interface DissectOptions {
  /** More UDP ports decoded as VXLAN (4789 IANA and 8472 Linux always are). */
  vxlanPorts: number[];
  /** The cursor to read through (tests pass an instrumented one). */
  cursor: Cursor;
  /** Another protocol set (tests). */
  registry: Registry;
}

/** Nesting guard: every layer counts; no real capture comes near this. */
export const MAX_LAYERS = 48;
const MAX_CHECKS = 24;

/** Link types some protocol decodes. */
export const SUPPORTED_LINK_TYPES: ReadonlySet<number> = new Set(
  PROTOCOLS.flatMap((p) => (p.register ?? []).filter((r) => r.table === 'link').flatMap((r) => r.keys)),
);

/** Result of dissecting one frame. Reused across frames: read it before the next `dissect`. */
export class Dissection {
  data: Uint8Array = new Uint8Array(0);
  linkType = 0;
  origLen = 0;
  /** Link type not decoded. */
  unsupportedLink = false;
  /** The layer limit stopped decoding (more layers followed). */
  layerLimit = false;
  readonly layers: Layer[] = [];
  nLayers = 0;
  readonly checks: Check[] = [];
  nChecks = 0;

  /** Layer `i` (0 = outermost). */
  layer(i: number): Layer {
    return this.layers[i]!;
  }

  /**
   * Layer `i` of this frame, or undefined past its last layer. The pool keeps layers of earlier,
   * deeper frames beyond `nLayers`: reading `layers[i + 1]` unchecked sees a stale one.
   */
  at(i: number): Layer | undefined {
    return i >= 0 && i < this.nLayers ? this.layers[i] : undefined;
  }

  /** Checksum `i` (outermost first). */
  check(i: number): Check {
    return this.checks[i]!;
  }
}

/**
 * Decodes frames into a reusable {@link Dissection}. One instance per capture: it is not
 * re-entrant, and holds no state between frames besides its pools.
 */
export class Dissector implements DecodeContext {
  readonly out = new Dissection();
  readonly d = this.out;
  readonly c: Cursor;
  ip = -1;
  readonly registry: Registry;
  private readonly engine = new ChecksumEngine();
  private readonly tables: Uint8Array[];
  // The scheduled next step (fields, not an object: nothing is allocated per frame).
  private pending = false;
  private pProto: Protocol | null = null;
  private pTable = 0;
  private pK1 = -1;
  private pK2 = -1;
  private pOff = 0;
  private pEnd = 0;
  private pDepth = 0;
  private pQuoted = false;

  constructor(opts: Partial<DissectOptions> = {}) {
    this.c = opts.cursor ?? new Cursor();
    this.registry = opts.registry ?? REGISTRY;
    this.tables = this.registry.tables.slice();
    const extra = (opts.vxlanPorts ?? []).filter((p) => Number.isInteger(p) && p > 0 && p < 65536);
    const vx = this.registry.slots.indexOf(VXLAN);
    if (extra.length && vx > 0) {
      // Per-instance copy of the UDP port table with the user's VXLAN ports.
      const t = this.registry.tables[T.udpPort]!.slice();
      for (const p of extra) t[p] = vx;
      this.tables[T.udpPort] = t;
    }
  }

  /** Decode one frame and verify its checksums. */
  dissect(data: Uint8Array, linkType: number, origLen = data.length): Dissection {
    const d = this.out;
    d.data = data;
    d.linkType = linkType;
    d.origLen = origLen;
    d.nLayers = 0;
    d.nChecks = 0;
    d.unsupportedLink = false;
    d.layerLimit = false;
    this.ip = -1;
    this.c.reset(data);
    if (linkType < 0 || linkType > 0xffff || !this.tables[T.link]![linkType]) {
      d.unsupportedLink = true;
      return d;
    }
    this.next(T.link, linkType, 0, data.length, 0, false);
    this.run();
    this.c.limit = data.length;
    this.engine.verifyAll(d);
    return d;
  }

  private run(): void {
    const slots = this.registry.slots;
    // Every step either pushes a layer or hands over to one that does; the cap only guards
    // against a module that schedules itself forever.
    for (let steps = 0; this.pending && steps < 2 * MAX_LAYERS; steps++) {
      this.pending = false;
      const off = this.pOff;
      const end = this.pEnd;
      const depth = this.pDepth;
      const quoted = this.pQuoted;
      const direct = this.pProto;
      if (direct) {
        this.attempt(direct, off, end, depth, quoted);
        continue;
      }
      const table = this.pTable;
      const t = this.tables[table]!;
      let a = this.pK1 >= 0 ? t[this.pK1]! : 0;
      const b = this.pK2 >= 0 ? t[this.pK2]! : 0;
      // GRE protocol types are ethertypes, except for the few GRE itself registers.
      if (!a && !b && table === T.greProto && this.pK1 >= 0) a = this.tables[T.ethertype]![this.pK1]!;
      if (a && this.attempt(slots[a]!, off, end, depth, quoted)) continue;
      if (b && b !== a && this.attempt(slots[b]!, off, end, depth, quoted)) continue;
      const heur = this.registry.heuristics[table]!;
      for (let i = 0; i < heur.length; i++) {
        const h = heur[i]!;
        this.c.limit = end;
        if (h.test(this.c, off, end) && this.attempt(h.proto, off, end, depth, quoted)) break;
      }
    }
  }

  /** Let `p` decode; undo whatever it pushed if it declines. */
  private attempt(p: Protocol, off: number, end: number, depth: number, quoted: boolean): boolean {
    const d = this.out;
    const nl = d.nLayers;
    const nc = d.nChecks;
    const ip = this.ip;
    this.c.limit = end;
    if (p.decode(this, off, end, depth, quoted)) return true;
    d.nLayers = nl;
    d.nChecks = nc;
    this.ip = ip;
    this.pending = false;
    return false;
  }

  // ---- DecodeContext --------------------------------------------------------------------

  push(p: Protocol, start: number, depth: number, quoted: boolean): Layer | null {
    const d = this.out;
    if (d.nLayers >= MAX_LAYERS) {
      d.layerLimit = true;
      this.pending = false;
      return null;
    }
    let l = d.layers[d.nLayers];
    if (!l) {
      l = new Layer();
      d.layers.push(l);
    }
    l.reset(p.id, start, depth, quoted);
    l.index = d.nLayers;
    l.ipIndex = this.ip;
    if (p.id === K.IPV4 || p.id === K.IPV6) this.ip = d.nLayers;
    else if (p.tunnel && d.nLayers > 0) {
      // A UDP checksum around a tunnel is its "outer" checksum (the one receivers drop on).
      const carrier = d.layers[d.nLayers - 1]!;
      if (carrier.kind === K.UDP && carrier.checkIndex >= 0) d.checks[carrier.checkIndex]!.tunnelOuter = true;
    }
    d.nLayers++;
    return l;
  }

  cut(l: Layer, end: number, need: number): true {
    l.truncated = true;
    l.hdrEnd = end;
    l.end = end;
    l.claimedEnd = l.start + need;
    return true;
  }

  check(spec: ChecksumSpec, l: Layer): void {
    const d = this.out;
    if (d.nChecks >= MAX_CHECKS) return;
    let c = d.checks[d.nChecks];
    if (!c) {
      c = new Check();
      d.checks.push(c);
    }
    const b = d.data;
    const fieldOff = l.start + spec.field;
    c.spec = spec;
    c.layer = spec.layer;
    c.layerCode = LAYER_CODE[spec.layer];
    c.depth = l.depth;
    c.layerIndex = l.index;
    c.fieldOff = fieldOff;
    c.stored = fieldOff + 2 <= b.length ? (b[fieldOff]! << 8) | b[fieldOff + 1]! : -1;
    c.computed = -1;
    c.status = 'unverified';
    c.statusCode = STATUS_CODE.unverified;
    c.reason = '';
    c.why = 0;
    c.tunnelOuter = false;
    c.quoted = l.quoted;
    l.checkIndex = d.nChecks++;
  }

  next(table: TableId, key: number, off: number, end: number, depth: number, quoted: boolean): void {
    this.schedule(null, table, key, -1, off, end, depth, quoted);
  }

  nextEither(table: TableId, k1: number, k2: number, off: number, end: number, depth: number, quoted: boolean): void {
    this.schedule(null, table, k1, k2, off, end, depth, quoted);
  }

  nextWith(p: Protocol, off: number, end: number, depth: number, quoted: boolean): void {
    this.schedule(p, T.link, -1, -1, off, end, depth, quoted);
  }

  private schedule(
    p: Protocol | null,
    table: number,
    k1: number,
    k2: number,
    off: number,
    end: number,
    depth: number,
    quoted: boolean,
  ): void {
    this.pending = true;
    this.pProto = p;
    this.pTable = table;
    this.pK1 = k1;
    this.pK2 = k2;
    this.pOff = off;
    this.pEnd = end;
    this.pDepth = depth;
    this.pQuoted = quoted;
  }
}

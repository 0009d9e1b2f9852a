/**
 * A bounded table of transport flows (IP version, protocol, addresses, ports), both directions
 * one flow, with numeric ids: the rules key their per-flow state by these ids instead of building
 * address strings per packet. Like Zeek's connection table it is bounded: when it is full, the
 * flows idle longest are evicted (rules hear about it and finish or drop their state) and the
 * count is reported.
 *
 * Layout (struct of arrays, nothing per flow but a few typed-array slots):
 *
 *   keys     KEY_WORDS u32 per flow: [version<<8|proto, portLo<<16|portHi, addrLo(4 words), addrHi(4 words)]
 *   lastTs   f64 per flow
 *   index    open addressing (linear probing, backward-shift deletion): flow id + 1, 0 = empty
 */
import type { Dissection } from '../decode/dissect';
import type { Layer } from '../decode/layers';
import { endpoint, ipv4String, ipv6String } from '../decode/text';

const KEY_WORDS = 10;
/** Default number of concurrent flows kept. */
export const DEFAULT_MAX_FLOWS = 1 << 16;

/** Flows allocated at first: the arrays double as needed up to the maximum. */
const INITIAL = 1024;

export class FlowTable {
  /** Most flows kept at once. */
  readonly max: number;
  /** Flows the arrays hold now. */
  capacity: number;
  private keys: Uint32Array;
  lastTs: Float64Array;
  /** Slot of the flow in `index` + 1 (for removal), 0 when the id is free. */
  private slotOf: Uint32Array;
  private index: Uint32Array;
  private mask: number;
  private readonly free: number[] = [];
  private used = 0;
  /** Flows evicted to stay within capacity. */
  evicted = 0;
  /** Direction of the last {@link lookup}: 0 when the frame's source is the key's low endpoint. */
  dir = 0;
  private readonly scratch = new Uint32Array(KEY_WORDS);
  /** Called before a flow id is recycled. */
  onEvict: (id: number) => void = () => undefined;
  /** Called when the arrays grow to a new capacity (per-flow arrays elsewhere follow). */
  onGrow: (capacity: number) => void = () => undefined;

  constructor(max = DEFAULT_MAX_FLOWS) {
    this.max = max;
    this.capacity = Math.min(INITIAL, max);
    this.keys = new Uint32Array(this.capacity * KEY_WORDS);
    this.lastTs = new Float64Array(this.capacity);
    this.slotOf = new Uint32Array(this.capacity);
    this.index = new Uint32Array(indexSize(this.capacity));
    this.mask = this.index.length - 1;
  }

  /** Live flows. */
  get size(): number {
    return this.used - this.free.length;
  }

  /**
   * The flow of transport layer `tl` over IP layer `ip` (created when new unless `create` is
   * false, then -1 when unknown). Sets {@link dir}.
   */
  lookup(d: Dissection, ip: Layer, tl: Layer, ts: number, create = true): number {
    const k = this.scratch;
    const b = d.data;
    const w = ip.ipVersion === 6 ? 16 : 4;
    if (ip.srcOff + w > b.length || ip.dstOff + w > b.length) return -1;
    // Order the endpoints so both directions share one key.
    let c = 0;
    for (let i = 0; i < w && c === 0; i++) c = b[ip.srcOff + i]! - b[ip.dstOff + i]!;
    if (c === 0) c = tl.srcPort - tl.dstPort;
    const swap = c > 0;
    this.dir = swap ? 1 : 0;
    const lo = swap ? ip.dstOff : ip.srcOff;
    const hi = swap ? ip.srcOff : ip.dstOff;
    k[0] = (ip.ipVersion << 8) | tl.kind;
    k[1] = swap ? ((tl.dstPort << 16) | tl.srcPort) >>> 0 : ((tl.srcPort << 16) | tl.dstPort) >>> 0;
    for (let i = 0; i < 4; i++) {
      k[2 + i] = i * 4 < w ? word(b, lo + i * 4) : 0;
      k[6 + i] = i * 4 < w ? word(b, hi + i * 4) : 0;
    }
    let h = 0x811c9dc5;
    for (let i = 0; i < KEY_WORDS; i++) h = Math.imul(h ^ k[i]!, 0x01000193);
    h ^= h >>> 15;
    let slot = h & this.mask;
    for (;;) {
      const e = this.index[slot]!;
      if (e === 0) break;
      const id = e - 1;
      if (this.same(id)) {
        this.lastTs[id] = ts;
        return id;
      }
      slot = (slot + 1) & this.mask;
    }
    if (!create) return -1;
    const id = this.allocate();
    this.keys.set(k, id * KEY_WORDS);
    this.lastTs[id] = ts;
    // The slot found above may have moved if allocate() evicted: probe again.
    slot = h & this.mask;
    while (this.index[slot] !== 0) slot = (slot + 1) & this.mask;
    this.index[slot] = id + 1;
    this.slotOf[id] = slot + 1;
    return id;
  }

  /** "ip:port" of the flow's low (0) or high (1) endpoint, from its key. */
  endpoint(id: number, side: number): string {
    const o = id * KEY_WORDS;
    const v6 = this.keys[o]! >>> 8 === 6;
    const b = new Uint8Array(16);
    for (let i = 0; i < 4; i++) {
      const w = this.keys[o + (side ? 6 : 2) + i]!;
      b[4 * i] = w >>> 24;
      b[4 * i + 1] = (w >>> 16) & 0xff;
      b[4 * i + 2] = (w >>> 8) & 0xff;
      b[4 * i + 3] = w & 0xff;
    }
    const ports = this.keys[o + 1]!;
    return endpoint(v6 ? ipv6String(b, 0) : ipv4String(b, 0), side ? ports & 0xffff : ports >>> 16);
  }

  private same(id: number): boolean {
    const o = id * KEY_WORDS;
    const k = this.scratch;
    for (let i = 0; i < KEY_WORDS; i++) if (this.keys[o + i] !== k[i]) return false;
    return true;
  }

  private allocate(): number {
    if (this.free.length) return this.free.pop()!;
    if (this.used === this.capacity && this.capacity < this.max) this.grow();
    if (this.used < this.capacity) return this.used++;
    this.evictIdle();
    return this.free.pop()!;
  }

  /** Double the arrays (up to the maximum) and rebuild the index. */
  private grow(): void {
    const cap = Math.min(this.max, this.capacity * 2);
    const keys = new Uint32Array(cap * KEY_WORDS);
    keys.set(this.keys);
    const lastTs = new Float64Array(cap);
    lastTs.set(this.lastTs);
    this.keys = keys;
    this.lastTs = lastTs;
    this.slotOf = new Uint32Array(cap);
    this.index = new Uint32Array(indexSize(cap));
    this.mask = this.index.length - 1;
    this.capacity = cap;
    const live = new Uint8Array(this.used).fill(1);
    for (const id of this.free) live[id] = 0;
    for (let id = 0; id < this.used; id++) {
      if (!live[id]) continue;
      let slot = this.hashAt(id * KEY_WORDS) & this.mask;
      while (this.index[slot] !== 0) slot = (slot + 1) & this.mask;
      this.index[slot] = id + 1;
      this.slotOf[id] = slot + 1;
    }
    this.onGrow(cap);
  }

  private hashAt(o: number): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < KEY_WORDS; i++) h = Math.imul(h ^ this.keys[o + i]!, 0x01000193);
    return h ^ (h >>> 15);
  }

  /**
   * Evict about an eighth of the flows, those idle longest (threshold from a sample of last-seen
   * times): amortised, each new flow costs a constant share of one sweep.
   */
  private evictIdle(): void {
    const n = this.used;
    const sample: number[] = [];
    const step = Math.max(1, Math.floor(n / 1024));
    for (let i = 0; i < n; i += step) if (this.slotOf[i]) sample.push(this.lastTs[i]!);
    sample.sort((a, b) => a - b);
    const threshold = sample[Math.floor(sample.length / 8)] ?? Infinity;
    const want = Math.max(1, n >> 3);
    let freed = 0;
    for (let i = 0; i < n && freed < want; i++) {
      if (this.slotOf[i] && this.lastTs[i]! <= threshold) {
        this.remove(i);
        freed++;
      }
    }
    if (!freed) this.remove(0);
  }

  private remove(id: number): void {
    this.onEvict(id);
    this.evicted++;
    let slot = this.slotOf[id]! - 1;
    this.slotOf[id] = 0;
    this.index[slot] = 0;
    // Backward-shift deletion: move later entries of the probe run into the hole.
    let next = (slot + 1) & this.mask;
    while (this.index[next] !== 0) {
      const e = this.index[next]! - 1;
      const home = this.hashAt(e * KEY_WORDS) & this.mask;
      // Move e into the hole if its home is not in (slot, next].
      const between = slot <= next ? home > slot && home <= next : home > slot || home <= next;
      if (!between) {
        this.index[slot] = e + 1;
        this.slotOf[e] = slot + 1;
        this.index[next] = 0;
        slot = next;
      }
      next = (next + 1) & this.mask;
    }
    this.free.push(id);
  }
}

function indexSize(capacity: number): number {
  let size = 1;
  while (size < capacity * 2) size <<= 1;
  return size;
}

function word(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) >>> 0) + ((b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!);
}

/**
 * IP fragment reassembly, for checksum verification only: when the last missing fragment of a
 * datagram arrives, the transport checksum over the whole datagram is verified (by the checksum
 * engine, with the transport protocol's own spec) and reported on that frame, as Wireshark does.
 *
 * Bounded and linear: pieces are kept sorted by offset and the covered prefix advances
 * incrementally (no re-sort per fragment); at most MAX_PENDING datagrams, MAX_PIECES pieces each
 * and MAX_PENDING_BYTES in all are held, the oldest datagram is forgotten first, and what was
 * dropped is counted. Overlapping fragments that disagree are reported, never thrown.
 */
import { sum16 } from '../checksum';
import { classify, WHY, WHY_TEXT } from './checksums';
import type { Dissection } from './dissect';
import { K, type CheckLayer, type CheckStatus, type Layer } from './layers';
import { T } from './protocol';
import { REGISTRY } from './protocols';

const MAX_PENDING = 64;
const MAX_PIECES = 8192;
/**
 * Bytes held for one datagram: at most 65,535 are needed; four times that allows retransmitted
 * fragments. Beyond it fragments are duplicates or an attack (teardrop variants): discarded.
 */
const MAX_DATAGRAM_HELD = 4 * 65536;
const MAX_PENDING_BYTES = 8 * 1024 * 1024;
const MAX_DATAGRAM = 65535;

interface Piece {
  off: number;
  bytes: Uint8Array;
}

interface Pending {
  pieces: Piece[];
  /** Pieces [0, merged) form one run covering [0, covered). */
  merged: number;
  covered: number;
  total: number;
  held: number;
  cut: boolean;
  conflict: boolean;
  first: number;
  proto: number;
  v: number;
  /** Source and final destination addresses, for the pseudo-header. */
  pseudo: Uint8Array;
  depth: number;
}

/** A checksum verdict for a reassembled datagram. */
export interface ReassembledCheck {
  layer: CheckLayer;
  depth: number;
  status: CheckStatus;
  stored: number;
  computed: number;
  reason: string;
}

/** What reassembly had to drop or could not reconcile. */
export interface ReassemblyStats {
  /** Datagrams forgotten before completion to stay within the bounds. */
  datagramsEvicted: number;
  /** Fragments not kept (too many pieces, beyond 64 KiB, or of an evicted datagram). */
  fragmentsDiscarded: number;
  /** Datagrams whose overlapping fragments carried different bytes. */
  conflicts: number;
}

export class Reassembler {
  private readonly pending = new Map<string, Pending>();
  private held = 0;
  readonly stats: ReassemblyStats = { datagramsEvicted: 0, fragmentsDiscarded: 0, conflicts: 0 };

  /** Feed frame `n`; returns the verdict when it completes a datagram. */
  feed(n: number, d: Dissection): ReassembledCheck | null {
    for (let i = 0; i < d.nLayers; i++) {
      const ip = d.layers[i]!;
      if ((ip.kind !== K.IPV4 && ip.kind !== K.IPV6) || !ip.fragment || ip.quoted || ip.invalid) continue;
      return this.add(n, d, ip);
    }
    return null;
  }

  private add(n: number, d: Dissection, ip: Layer): ReassembledCheck | null {
    const b = d.data;
    const w = ip.ipVersion === 4 ? 4 : 16;
    if (ip.srcOff + w > b.length || ip.pseudoDstOff + w > b.length) return null;
    const key = `${ip.ipVersion}|${hexOf(b, ip.srcOff, w)}|${hexOf(b, ip.dstOff, w)}|${ip.ipId}|${ip.proto}`;
    let p = this.pending.get(key);
    if (!p) {
      while (this.pending.size >= MAX_PENDING) this.evictOldest();
      const pseudo = new Uint8Array(2 * w);
      pseudo.set(b.subarray(ip.srcOff, ip.srcOff + w), 0);
      pseudo.set(b.subarray(ip.pseudoDstOff, ip.pseudoDstOff + w), w);
      p = {
        pieces: [],
        merged: 0,
        covered: 0,
        total: -1,
        held: 0,
        cut: false,
        conflict: false,
        first: n,
        proto: ip.proto,
        v: ip.ipVersion,
        pseudo,
        depth: ip.depth,
      };
      this.pending.set(key, p);
    }
    const payload = b.subarray(ip.hdrEnd, ip.end);
    const claimed = ip.claimedEnd - ip.hdrEnd;
    if (ip.truncated || payload.length < claimed) p.cut = true;
    if (!ip.moreFragments) p.total = ip.fragOffset + claimed;
    if (ip.fragOffset + claimed > MAX_DATAGRAM || p.pieces.length >= MAX_PIECES || p.held + payload.length > MAX_DATAGRAM_HELD) {
      p.cut = true;
      this.stats.fragmentsDiscarded++;
    } else {
      while (this.held + payload.length > MAX_PENDING_BYTES && this.pending.size > 1) this.evictOldest(key);
      this.insert(p, { off: ip.fragOffset, bytes: payload.slice() });
    }
    if (p.total < 0 || p.covered < p.total) return null;
    this.drop(key, p);
    return verdict(p, n);
  }

  /** Insert in offset order, note disagreeing overlaps, and advance the covered prefix. */
  private insert(p: Pending, x: Piece): void {
    const ps = p.pieces;
    let lo = 0;
    let hi = ps.length;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (ps[m]!.off <= x.off) lo = m + 1;
      else hi = m;
    }
    const had = p.conflict;
    // Neighbours that overlap x (a retransmitted fragment overlaps with identical bytes).
    for (let j = lo - 1; j >= 0 && !p.conflict; j--) {
      const y = ps[j]!;
      if (y.off + y.bytes.length <= x.off) {
        if (j < lo - 1) break;
        continue;
      }
      if (differ(y, x)) p.conflict = true;
    }
    for (let j = lo; j < ps.length && ps[j]!.off < x.off + x.bytes.length && !p.conflict; j++) {
      if (differ(ps[j]!, x)) p.conflict = true;
    }
    if (p.conflict && !had) this.stats.conflicts++;
    ps.splice(lo, 0, x);
    p.held += x.bytes.length;
    this.held += x.bytes.length;
    if (lo < p.merged) {
      // Inside the covered run already (it starts before a merged piece).
      p.merged++;
      p.covered = Math.max(p.covered, x.off + x.bytes.length);
    }
    while (p.merged < ps.length && ps[p.merged]!.off <= p.covered) {
      const y = ps[p.merged]!;
      p.covered = Math.max(p.covered, y.off + y.bytes.length);
      p.merged++;
    }
  }

  private drop(key: string, p: Pending): void {
    this.pending.delete(key);
    this.held -= p.held;
  }

  private evictOldest(except?: string): void {
    for (const [k, p] of this.pending) {
      if (k === except) continue;
      this.drop(k, p);
      this.stats.datagramsEvicted++;
      this.stats.fragmentsDiscarded += p.pieces.length;
      return;
    }
  }
}

function hexOf(b: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = o; i < o + n; i++) s += b[i]! < 16 ? `0${b[i]!.toString(16)}` : b[i]!.toString(16);
  return s;
}

/** Do two pieces carry different bytes where they overlap? */
function differ(a: Piece, b: Piece): boolean {
  const s = Math.max(a.off, b.off);
  const e = Math.min(a.off + a.bytes.length, b.off + b.bytes.length);
  for (let i = s; i < e; i++) if (a.bytes[i - a.off] !== b.bytes[i - b.off]) return true;
  return false;
}

function verdict(p: Pending, n: number): ReassembledCheck | null {
  const slot = REGISTRY.tables[T.ipProto]![p.proto]!;
  const spec = slot ? REGISTRY.slots[slot]!.checksum : undefined;
  if (!spec || p.cut) return null;
  const data = new Uint8Array(p.total);
  for (const x of p.pieces) data.set(x.bytes.subarray(0, Math.max(0, Math.min(x.bytes.length, p.total - x.off))), x.off);
  const f = spec.field;
  if (data.length < f + 2) return null;
  const stored = (data[f]! << 8) | data[f + 1]!;
  const reason = `reassembled from ${p.pieces.length} fragments (frames ${p.first}-${n})`;
  const base = { layer: spec.layer, depth: p.depth, stored };
  if (p.conflict) return { ...base, status: 'unverified', computed: -1, reason: `${WHY_TEXT[WHY.FRAG_CONFLICT]!.en}; ${reason}` };
  if (spec.zeroIsNone && stored === 0) return { ...base, status: 'zero', computed: -1, reason };
  const w = p.v === 4 ? 4 : 16;
  const len = data.length;
  let pseudo = 0;
  let noLen = 0;
  if (spec.pseudoProto) {
    noLen = sum16(p.pseudo, 0, 2 * w, spec.pseudoProto);
    pseudo = noLen + (len & 0xffff) + Math.floor(len / 0x10000);
  }
  const v = classify(spec, stored, pseudo, noLen, sum16(data, 0, len), { status: 'good', computed: 0, why: 0 });
  return { ...base, status: v.status, computed: v.computed, reason: v.why ? `${WHY_TEXT[v.why]!.en}; ${reason}` : reason };
}

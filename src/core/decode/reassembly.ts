/**
 * IP fragment reassembly, for checksum verification only: when the last missing fragment of a
 * datagram arrives, the transport checksum over the whole datagram is verified and reported on
 * that frame (as Wireshark does). Bounded: at most MAX_PENDING datagrams of at most 64 KiB are
 * held; the oldest is forgotten first. Fragments cut by the snaplen make a datagram unverifiable.
 */
import { fold, neg16, pseudoSum4, pseudoSum6, sum16 } from '../checksum';
import type { Dissection } from './dissect';
import { K, type CheckLayer, type CheckStatus } from './layers';

const MAX_PENDING = 64;
const MAX_DATAGRAM = 65535;

interface Pending {
  pieces: { off: number; bytes: Uint8Array }[];
  total: number;
  cut: boolean;
  first: number;
  proto: number;
  v: number;
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

const L4: Record<number, CheckLayer> = { 6: 'tcp', 17: 'udp', 1: 'icmp', 58: 'icmpv6' };
const FIELD: Record<number, number> = { 6: 16, 17: 6, 1: 2, 58: 2 };

export class Reassembler {
  private readonly pending = new Map<string, Pending>();

  /** Feed frame `n`; returns the verdict when it completes a datagram. */
  feed(n: number, d: Dissection): ReassembledCheck | null {
    for (let i = 0; i < d.nLayers; i++) {
      const ip = d.layers[i]!;
      if ((ip.kind !== K.IPV4 && ip.kind !== K.IPV6) || !ip.fragment || ip.quoted || ip.invalid) continue;
      const b = d.data;
      const w = ip.ipVersion === 4 ? 4 : 16;
      if (ip.srcOff + w > b.length || ip.dstOff + w > b.length) return null;
      const key = `${ip.ipVersion}|${Array.from(b.subarray(ip.srcOff, ip.srcOff + w))}|${Array.from(b.subarray(ip.dstOff, ip.dstOff + w))}|${ip.ipId}|${ip.proto}`;
      let p = this.pending.get(key);
      if (!p) {
        if (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
        const pseudo = new Uint8Array(2 * w);
        pseudo.set(b.subarray(ip.srcOff, ip.srcOff + w), 0);
        pseudo.set(b.subarray(ip.pseudoDstOff, ip.pseudoDstOff + w), w);
        p = { pieces: [], total: -1, cut: false, first: n, proto: ip.proto, v: ip.ipVersion, pseudo, depth: ip.depth };
        this.pending.set(key, p);
      }
      const payload = b.subarray(ip.hdrEnd, ip.end);
      const claimed = ip.claimedEnd - ip.hdrEnd;
      if (ip.truncated || payload.length < claimed) p.cut = true;
      if (ip.fragOffset + claimed > MAX_DATAGRAM) p.cut = true;
      p.pieces.push({ off: ip.fragOffset, bytes: payload.slice() });
      if (!ip.moreFragments) p.total = ip.fragOffset + claimed;
      return this.complete(key, p, n);
    }
    return null;
  }

  private complete(key: string, p: Pending, n: number): ReassembledCheck | null {
    if (p.total < 0) return null;
    p.pieces.sort((a, b) => a.off - b.off);
    let have = 0;
    for (const x of p.pieces) {
      if (x.off > have) return null; // a hole: wait for more
      have = Math.max(have, x.off + x.bytes.length);
    }
    if (have < p.total) return null;
    this.pending.delete(key);
    const layer = L4[p.proto];
    if (!layer || p.cut) return null;
    const data = new Uint8Array(p.total);
    for (const x of p.pieces) data.set(x.bytes.subarray(0, Math.max(0, Math.min(x.bytes.length, p.total - x.off))), x.off);
    const f = FIELD[p.proto]!;
    if (data.length < f + 2) return null;
    const stored = (data[f]! << 8) | data[f + 1]!;
    const reason = `reassembled from ${p.pieces.length} fragments (frames ${p.first}-${n})`;
    if (layer === 'udp' && stored === 0) return { layer, depth: p.depth, status: 'zero', stored, computed: -1, reason };
    const w = p.v === 4 ? 4 : 16;
    const pseudo =
      layer === 'icmp'
        ? 0
        : p.v === 4
          ? pseudoSum4(p.pseudo, 0, w, p.proto, data.length)
          : pseudoSum6(p.pseudo, 0, w, p.proto, data.length);
    const raw = sum16(data, 0, data.length);
    let computed = neg16(fold(pseudo + raw + neg16(stored)));
    if (layer === 'udp' && computed === 0) computed = 0xffff;
    let status: CheckStatus = fold(pseudo + raw) === 0xffff ? 'good' : 'bad';
    if (status === 'bad' && layer !== 'icmp' && stored === fold(pseudo)) status = 'partial';
    return { layer, depth: p.depth, status, stored, computed, reason };
  }
}

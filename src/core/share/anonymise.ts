/**
 * Anonymisation of shared packets, by whitelist: every protocol module says which of its header
 * bytes are structure (kept) and which are addresses (remapped consistently: the same address
 * always gets the same replacement, with enough kept that private ranges and address families
 * stay recognisable). Every byte no layer claims is zeroed: payloads, Ethernet trailers, option
 * contents, anything not decoded (an ESP payload, an unknown ethertype). DNS names keep their
 * shape with other letters. Then every checksum is rewritten so its verdict survives: good stays
 * good, bad stays bad by the same error, zero stays zero, partial stays partial (pseudo-header
 * sum with or without the length, local checksum offload, IPv4 header offload), unverified is
 * left as it was.
 */
import { fold, neg16 } from '../checksum';
import { pseudoSums, coverEnd, WHY } from '../decode/checksums';
import { Dissector, type Dissection } from '../decode/dissect';
import type { AnonContext } from '../decode/protocol';
import { REGISTRY } from '../decode/protocols';

/** Consistent replacement tables for one sharing session. */
export class AddressMapper {
  private readonly v4 = new Map<string, number[]>();
  private readonly v4prefix = new Map<string, number[]>();
  private readonly v6 = new Map<string, number[]>();
  private readonly mac = new Map<string, number[]>();

  /** IPv4: keep the first octet and the host octet, remap the middle two per /24 (prefix-consistent). */
  ip4(b: number[]): number[] {
    const key = b.join('.');
    const hit = this.v4.get(key);
    if (hit) return hit;
    if (b[0] === 0 || b[0]! >= 224) return b; // unspecified, multicast, broadcast
    const pk = b.slice(0, 3).join('.');
    let p = this.v4prefix.get(pk);
    if (!p) {
      const i = this.v4prefix.size + 1;
      p = [b[0]!, 200 + (Math.floor(i / 256) % 56), i % 256];
      this.v4prefix.set(pk, p);
    }
    const out = [p[0]!, p[1]!, p[2]!, b[3]!];
    this.v4.set(key, out);
    return out;
  }

  /** IPv6: keep the first 16 bits (fe80::, ff02::, 2001: stay recognisable), number the rest. */
  ip6(b: number[]): number[] {
    const key = b.join(',');
    const hit = this.v6.get(key);
    if (hit) return hit;
    if (b[0] === 0xff || b.every((x, i) => (i < 15 ? x === 0 : true))) return b; // multicast, ::, ::1
    const i = this.v6.size + 1;
    const out = [b[0]!, b[1]!, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff];
    this.v6.set(key, out);
    return out;
  }

  /** MAC: locally administered 02:00:5e:xx:xx:xx, numbered; broadcast, multicast and all-zero kept. */
  macAddr(b: number[]): number[] {
    if (b[0]! & 1 || b.every((x) => x === 0)) return b;
    const key = b.join(':');
    const hit = this.mac.get(key);
    if (hit) return hit;
    const i = this.mac.size + 1;
    const out = [0x02, 0x00, 0x5e, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff];
    this.mac.set(key, out);
    return out;
  }
}

/** The whitelist context handed to protocol modules. */
class Anon implements AnonContext {
  readonly mask: Uint8Array;
  constructor(
    readonly b: Uint8Array,
    private readonly map: AddressMapper,
  ) {
    this.mask = new Uint8Array(b.length);
  }
  keep(off: number, len: number): void {
    if (len > 0) this.mask.fill(1, Math.max(0, off), Math.min(this.b.length, off + len));
  }
  private swap(off: number, n: number, f: (x: number[]) => number[]): void {
    if (off < 0 || off + n > this.b.length) return;
    this.b.set(f(Array.from(this.b.subarray(off, off + n))), off);
    this.keep(off, n);
  }
  ip4(off: number): void {
    this.swap(off, 4, (x) => this.map.ip4(x));
  }
  ip6(off: number): void {
    this.swap(off, 16, (x) => this.map.ip6(x));
  }
  mac(off: number): void {
    this.swap(off, 6, (x) => this.map.macAddr(x));
  }
  /** DNS name: keep label lengths, replace label bytes with letters, keep type and class. */
  name(p: number, end: number): void {
    const b = this.b;
    let k = 0;
    while (p < end) {
      const n = b[p]!;
      this.keep(p, 1);
      if (n === 0) {
        this.keep(p + 1, 4);
        return;
      }
      if (n >= 0xc0 || p + 1 + n > end) return;
      for (let j = 0; j < n; j++) b[p + 1 + j] = 0x61 + ((k + j) % 26);
      this.keep(p + 1, n);
      k++;
      p += 1 + n;
    }
  }
}

/** A verdict to preserve, snapshotted before the bytes change. */
interface Was {
  status: string;
  why: number;
  stored: number;
  computed: number;
  fieldOff: number;
  ipv4: boolean;
}

/**
 * Anonymise one frame. Returns a new buffer; the input is untouched. `dissector` must be
 * configured with the same VXLAN ports as the analysis.
 */
export function anonymiseFrame(data: Uint8Array, linkType: number, map: AddressMapper, dissector = new Dissector()): Uint8Array {
  const orig = dissector.dissect(data, linkType);
  if (orig.unsupportedLink) return new Uint8Array(data.length); // nothing is understood: blank
  const b = data.slice();
  const a = new Anon(b, map);
  for (let i = 0; i < orig.nLayers; i++) {
    const l = orig.layers[i]!;
    REGISTRY.byId.get(l.kind)?.anonymise?.(l, a);
  }
  const was: Was[] = [];
  for (let i = 0; i < orig.nChecks; i++) {
    const c = orig.checks[i]!;
    a.keep(c.fieldOff, 2);
    was.push({
      status: c.status,
      why: c.why,
      stored: c.stored,
      computed: c.computed,
      fieldOff: c.fieldOff,
      ipv4: c.spec!.cover === 'ipv4-header',
    });
  }
  for (let i = 0; i < b.length; i++) if (!a.mask[i]) b[i] = 0;
  rewriteChecksums(b, linkType, dissector, was);
  return b;
}

/** Rewrite checksums innermost first: each outer sum covers the already-fixed inner fields. */
function rewriteChecksums(b: Uint8Array, linkType: number, dissector: Dissector, was: Was[]): void {
  const set16 = (o: number, v: number) => {
    if (o + 2 > b.length) return;
    b[o] = v >> 8;
    b[o + 1] = v & 0xff;
  };
  for (let i = was.length - 1; i >= 0; i--) {
    const w = was[i]!;
    if (w.status === 'unverified' || w.stored < 0) continue;
    if (w.status === 'zero' || (w.status === 'partial' && w.ipv4)) {
      set16(w.fieldOff, 0);
      continue;
    }
    const d = dissector.dissect(b, linkType);
    const now = d.checks[i];
    if (!now || now.computed < 0) continue;
    if (w.status === 'good') set16(w.fieldOff, now.computed);
    else if (w.status === 'bad') {
      // Same error: stored - computed is preserved (one's complement difference).
      const delta = fold(w.stored + neg16(w.computed));
      let v = fold(now.computed + delta);
      if (v === now.computed) v = neg16(v);
      set16(w.fieldOff, v);
    } else if (w.status === 'partial') {
      if (w.why === WHY.LCO) set16(w.fieldOff, lcoValue(b, linkType, dissector, i, was));
      else set16(w.fieldOff, fold(partialSum(d, i, w.why === WHY.PSEUDO_NOLEN)));
    }
  }
}

/** The pseudo-header sum a transmit-offload field holds (with or without the length). */
function partialSum(d: Dissection, i: number, noLen: boolean): number {
  const c = d.checks[i]!;
  const l = d.layers[c.layerIndex]!;
  const ip = d.layers[l.ipIndex]!;
  const s = pseudoSums(d.data, c.spec!, ip, coverEnd(c.spec!, l, ip) - l.start);
  return noLen ? s.noLen : s.withLen;
}

/** Outer value under local checksum offload: correct as if every inner partial were completed. */
function lcoValue(b: Uint8Array, linkType: number, dissector: Dissector, i: number, was: Was[]): number {
  const saved: [number, number, number][] = [];
  let d = dissector.dissect(b, linkType);
  for (let j = i + 1; j < was.length; j++) {
    if (was[j]!.status !== 'partial' || was[j]!.ipv4) continue;
    const c = d.checks[j]!;
    saved.push([c.fieldOff, b[c.fieldOff]!, b[c.fieldOff + 1]!]);
    b[c.fieldOff] = c.computed >> 8;
    b[c.fieldOff + 1] = c.computed & 0xff;
  }
  d = dissector.dissect(b, linkType);
  const v = d.checks[i]!.computed;
  for (const [o, hi, lo] of saved) {
    b[o] = hi;
    b[o + 1] = lo;
  }
  return v;
}

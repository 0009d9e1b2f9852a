/**
 * Anonymisation of shared packets: consistent remapping of IP and MAC addresses (the same
 * address always gets the same replacement; the first octet / 16 bits are kept so private
 * ranges and address families stay recognisable), transport payloads blanked (zeroed, so
 * lengths survive), DNS names replaced label by label, and then every checksum rewritten so its
 * verdict is preserved: good stays good, bad stays bad by the same error, zero stays zero,
 * partial stays partial (pseudo-header sum, or local checksum offload), unverified is untouched.
 */
import { fold, neg16, pseudoSum4, pseudoSum6 } from './checksum';
import { Dissector, type Dissection } from './decode/dissect';
import { K } from './decode/layers';

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
    if (b[0] === 0 || b[0]! >= 224 || (b[0] === 255 && b[3] === 255)) return b; // unspecified, multicast, broadcast
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

  /** MAC: locally administered 02:00:5e:xx:xx:xx, numbered; broadcast and multicast kept. */
  macAddr(b: number[]): number[] {
    if (b[0]! & 1) return b;
    const key = b.join(':');
    const hit = this.mac.get(key);
    if (hit) return hit;
    const i = this.mac.size + 1;
    const out = [0x02, 0x00, 0x5e, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff];
    this.mac.set(key, out);
    return out;
  }
}

const L4_PROTO: Record<string, number> = { tcp: 6, udp: 17, icmpv6: 58 };

/**
 * Anonymise one frame. Returns a new buffer; the input is untouched. `dissector` must be
 * configured with the same VXLAN ports as the analysis.
 */
export function anonymizeFrame(data: Uint8Array, linkType: number, map: AddressMapper, dissector = new Dissector()): Uint8Array {
  const orig = dissector.dissect(data, linkType);
  // Snapshot the original verdicts (the dissection is reused by later calls).
  const before = Array.from({ length: orig.nChecks }, (_, i) => {
    const c = orig.check(i);
    const noLen =
      c.status === 'partial' && c.layer !== 'ipv4' && !c.reason.startsWith('local') && c.stored !== pseudoSums(orig, i).withLen;
    return {
      status: c.status,
      reason: c.reason,
      stored: c.stored,
      computed: c.computed,
      fieldOff: c.fieldOff,
      layer: c.layer,
      noLen,
    };
  });
  const layers = Array.from({ length: orig.nLayers }, (_, i) => {
    const l = orig.layer(i);
    return {
      kind: l.kind,
      start: l.start,
      hdrEnd: l.hdrEnd,
      end: l.end,
      srcOff: l.srcOff,
      dstOff: l.dstOff,
      pseudoDstOff: l.pseudoDstOff,
      ipVersion: l.ipVersion,
      quoted: l.quoted,
      invalid: l.invalid,
      truncated: l.truncated,
    };
  });
  const b = data.slice();
  const put = (o: number, v: number[]) => v.forEach((x, i) => (b[o + i] = x));
  const get = (o: number, n: number) => Array.from(b.subarray(o, o + n));

  for (let i = 0; i < layers.length; i++) {
    const l = layers[i]!;
    if (l.kind === K.ETH && l.hdrEnd - l.start >= 12) {
      put(l.start, map.macAddr(get(l.start, 6)));
      put(l.start + 6, map.macAddr(get(l.start + 6, 6)));
    } else if ((l.kind === K.IPV4 || l.kind === K.IPV6) && l.srcOff && !l.invalid) {
      const w = l.ipVersion === 4 ? 4 : 16;
      for (const off of new Set([l.srcOff, l.dstOff, l.pseudoDstOff])) {
        if (off + w > b.length) continue;
        put(off, w === 4 ? map.ip4(get(off, 4)) : map.ip6(get(off, 16)));
      }
    } else if (l.kind === K.TCP && !l.quoted) {
      b.fill(0, l.hdrEnd, l.end);
    } else if (l.kind === K.UDP && !l.quoted) {
      const next = layers[i + 1];
      const carries =
        next && (next.kind === K.VXLAN || next.kind === K.GENEVE || next.kind === K.VXLAN_GPE || next.kind === K.DNS);
      if (!carries) b.fill(0, l.hdrEnd, l.end);
    } else if (l.kind === K.DNS) {
      blankDnsName(b, l.hdrEnd, l.end);
      const qEnd = dnsQuestionEnd(b, l.hdrEnd, l.end);
      b.fill(0, qEnd, l.end);
    }
  }

  // Rewrite checksums innermost first: each outer sum covers the already-fixed inner fields.
  const set16 = (o: number, v: number) => {
    b[o] = v >> 8;
    b[o + 1] = v & 0xff;
  };
  for (let i = before.length - 1; i >= 0; i--) {
    const was = before[i]!;
    if (was.status === 'unverified' || was.stored < 0) continue;
    if (was.status === 'zero') {
      set16(was.fieldOff, 0);
      continue;
    }
    const now = dissector.dissect(b, linkType).check(i);
    if (now.computed < 0) continue;
    if (was.status === 'good') set16(was.fieldOff, now.computed);
    else if (was.status === 'bad') {
      // Same error: stored - computed is preserved (one's complement difference).
      const delta = fold(was.stored + neg16(was.computed));
      let v = fold(now.computed + delta);
      if (v === now.computed) v = neg16(v);
      set16(was.fieldOff, v);
    } else if (was.status === 'partial') {
      if (was.reason.startsWith('local checksum offload')) set16(was.fieldOff, lcoValue(b, linkType, dissector, i, before));
      else if (was.layer === 'ipv4') set16(was.fieldOff, 0);
      else {
        const p = pseudoSums(dissector.dissect(b, linkType), i);
        set16(was.fieldOff, was.noLen ? p.noLen : p.withLen);
      }
    }
  }
  return b;
}

/** Folded pseudo-header sums of check `i`, with and without the length (GSO leaves it out). */
function pseudoSums(d: Dissection, i: number): { withLen: number; noLen: number } {
  const c = d.check(i);
  const l = d.layer(c.layerIndex);
  const ip = d.layer(l.ipIndex);
  const end = c.layer === 'udp' ? l.claimedEnd : ip.claimedEnd;
  const len = end - l.start;
  const proto = L4_PROTO[c.layer] ?? 6;
  const sum = (n: number) =>
    ip.ipVersion === 4
      ? pseudoSum4(d.data, ip.srcOff, ip.pseudoDstOff, proto, n)
      : pseudoSum6(d.data, ip.srcOff, ip.pseudoDstOff, proto, n);
  return { withLen: fold(sum(len)), noLen: fold(sum(0)) };
}

/** Outer value under local checksum offload: correct as if every inner partial were completed. */
function lcoValue(
  b: Uint8Array,
  linkType: number,
  dissector: Dissector,
  i: number,
  before: { status: string; fieldOff: number }[],
): number {
  const saved: [number, number, number][] = [];
  let d = dissector.dissect(b, linkType);
  for (let j = i + 1; j < before.length; j++) {
    if (before[j]!.status !== 'partial') continue;
    const c = d.check(j);
    saved.push([c.fieldOff, b[c.fieldOff]!, b[c.fieldOff + 1]!]);
    b[c.fieldOff] = c.computed >> 8;
    b[c.fieldOff + 1] = c.computed & 0xff;
  }
  d = dissector.dissect(b, linkType);
  const v = d.check(i).computed;
  for (const [o, hi, lo] of saved) {
    b[o] = hi;
    b[o + 1] = lo;
  }
  return v;
}

/** Replace each DNS question label with letters of the same length (deterministic). */
function blankDnsName(b: Uint8Array, p: number, end: number): void {
  let k = 0;
  while (p < end) {
    const n = b[p]!;
    if (n === 0 || n >= 0xc0 || p + 1 + n > end) return;
    for (let j = 0; j < n; j++) b[p + 1 + j] = 0x61 + ((k + j) % 26);
    k++;
    p += 1 + n;
  }
}

function dnsQuestionEnd(b: Uint8Array, p: number, end: number): number {
  while (p < end) {
    const n = b[p]!;
    if (n === 0) return Math.min(end, p + 5);
    if (n >= 0xc0) return Math.min(end, p + 6);
    p += 1 + n;
  }
  return end;
}

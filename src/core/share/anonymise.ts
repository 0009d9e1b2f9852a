/**
 * Anonymisation of shared packets, by whitelist: every protocol module says which of its header
 * bytes are structure (kept) and which are addresses (remapped consistently: the same address
 * always gets the same replacement, with enough kept that private ranges and address families
 * stay recognisable). Every byte no layer claims is zeroed: payloads, Ethernet trailers, option
 * contents, anything not decoded (an ESP payload, an unknown ethertype, whatever follows the
 * last decoded layer). DNS names keep their shape with other letters. Where a module's whitelist
 * keeps too much (see {@link STRICTER}) it is tightened here. Then every checksum is rewritten so
 * its verdict survives: good stays good, bad stays bad by the same error, zero stays zero,
 * partial stays partial (pseudo-header sum with or without the length, local checksum offload,
 * IPv4 header offload), unverified is left as it was.
 *
 * Addresses kept as they are, because they name no host and reading a capture needs them:
 * 0.0.0.0, IPv4 multicast (224.0.0.0/4), 255.255.255.255; IPv6 multicast (ff00::/8), :: and ::1;
 * MAC addresses with the group bit (broadcast, multicast) and 00:00:00:00:00:00.
 */
import { fold, neg16 } from '../checksum';
import { pseudoSums, coverEnd, WHY } from '../decode/checksums';
import { Dissector, type Dissection } from '../decode/dissect';
import { K, type Layer } from '../decode/layers';
import type { AnonContext, Protocol } from '../decode/protocol';
import { REGISTRY } from '../decode/protocols';

/** IPv4 addresses that name no host (see the file comment). */
function keptIp4(b: readonly number[]): boolean {
  const a = b[0]!;
  if (a >= 224 && a <= 239) return true; // multicast groups are services, not hosts
  if (a !== 0 && a !== 255) return false;
  return b[1] === a && b[2] === a && b[3] === a; // 0.0.0.0, 255.255.255.255
}

/** IPv6 addresses that name no host: multicast, unspecified (::) and loopback (::1). */
function keptIp6(b: readonly number[]): boolean {
  if (b[0] === 0xff) return true;
  for (let i = 0; i < 15; i++) if (b[i] !== 0) return false;
  return b[15]! <= 1;
}

/**
 * Consistent replacement tables for one sharing session. A replacement is never an address this
 * mapper has already been given as an original: otherwise a capture that uses the very addresses
 * the scheme produces (2001:db8::1 in test captures) would come out with its real addresses,
 * moved onto other hosts.
 */
export class AddressMapper {
  private readonly v4 = new Map<number, number[]>();
  /** Original /24 (first three octets as one number) -> replacement first three octets. */
  private readonly v4prefix = new Map<number, number[]>();
  private readonly v6 = new Map<string, number[]>();
  private readonly mac = new Map<number, number[]>();
  private n4 = 0;
  private n6 = 0;
  private nMac = 0;

  /**
   * IPv4: keep the first octet and the host octet, remap the middle two per /24
   * (prefix-consistent: hosts of one subnet stay in one subnet). 0.0.0.0, multicast and
   * 255.255.255.255 are kept.
   */
  ip4(b: number[]): number[] {
    const key = b[0]! * 0x1000000 + ((b[1]! << 16) | (b[2]! << 8) | b[3]!);
    const hit = this.v4.get(key);
    if (hit) return hit;
    if (keptIp4(b)) return b;
    const pk = Math.floor(key / 256);
    let p = this.v4prefix.get(pk);
    if (!p) {
      // 56 x 256 replacement prefixes per first octet; skip those that are original prefixes.
      let q = 0;
      for (let tries = 0; tries < 56 * 256; tries++) {
        this.n4++;
        q = b[0]! * 0x10000 + (200 + (Math.floor(this.n4 / 256) % 56)) * 256 + (this.n4 % 256);
        if (q !== pk && !this.v4prefix.has(q)) break;
      }
      p = [b[0]!, (q >> 8) & 0xff, q & 0xff];
      this.v4prefix.set(pk, p);
    }
    const out = [p[0]!, p[1]!, p[2]!, b[3]!];
    this.v4.set(key, out);
    return out;
  }

  /**
   * IPv6: keep the first 16 bits (fe80:, fd00:, 2001: stay recognisable), then the documentation
   * prefix and a number: 2001:db8::5e00:1. Multicast, :: and ::1 are kept.
   */
  ip6(b: number[]): number[] {
    const key = b.join(',');
    const hit = this.v6.get(key);
    if (hit) return hit;
    if (keptIp6(b)) return b;
    let out: number[] = [];
    for (let tries = 0; tries < 1 << 24; tries++) {
      const i = ++this.n6;
      out = [b[0]!, b[1]!, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0x5e, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff];
      const k = out.join(',');
      if (k !== key && !this.v6.has(k)) break;
    }
    this.v6.set(key, out);
    return out;
  }

  /** MAC: locally administered 02:00:5e:xx:xx:xx, numbered; broadcast, multicast and all-zero kept. */
  macAddr(b: number[]): number[] {
    if (b[0]! & 1 || b.every((x) => x === 0)) return b;
    const key = macKey(b, 0);
    const hit = this.mac.get(key);
    if (hit) return hit;
    let out: number[] = [];
    for (let tries = 0; tries < 1 << 24; tries++) {
      const i = ++this.nMac;
      out = [0x02, 0x00, 0x5e, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff];
      const k = macKey(out, 0);
      if (k !== key && !this.mac.has(k)) break;
    }
    this.mac.set(key, out);
    return out;
  }
}

/** A 6-byte address as one exact number (48 bits fit a double). */
function macKey(b: ArrayLike<number>, o: number): number {
  return (b[o]! * 0x10000 + ((b[o + 1]! << 8) | b[o + 2]!)) * 0x1000000 + ((b[o + 3]! << 16) | (b[o + 4]! << 8) | b[o + 5]!);
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
  /** Take back a keep: these bytes will be zeroed (only for bytes no one has rewritten). */
  blank(off: number, len: number): void {
    if (len > 0) this.mask.fill(0, Math.max(0, off), Math.min(this.b.length, off + len));
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

// ---- stricter rules than the modules' own --------------------------------------------------
//
// These tighten what a module's `anonymise` keeps, for the layers where it kept identities
// (issue 10). They would sit best in the modules themselves (ipv4.ts, tcp.ts, icmp.ts, sll.ts,
// sll2.ts); each receives the module so it can run the module's rule first and only narrow it.

type Stricter = (l: Layer, a: Anon, p: Protocol | undefined) => void;

/**
 * IPv4 options: the module blanks them whole. Keep each option's type and length (and the
 * pointer, plus the timestamp's overflow/flags byte, of route and timestamp options) so that the
 * option list still parses; the contents (recorded routes, source routes, timestamps, security
 * labels) stay blank.
 */
const ipv4Options: Stricter = (l, a, p) => {
  p?.anonymise?.(l, a);
  if (!l.srcOff || l.invalid) return;
  const b = a.b;
  const end = Math.min(l.hdrEnd, b.length);
  for (let o = l.start + 20; o < end;) {
    const t = b[o]!;
    a.keep(o, 1);
    if (t === 0) return; // end of options: what follows is padding
    if (t === 1) {
      o++; // no-operation
      continue;
    }
    if (o + 1 >= end) return;
    const n = b[o + 1]!;
    a.keep(o + 1, 1);
    if (n < 2 || o + n > end) return; // malformed: the rest stays blank
    if ((t === 7 || t === 68 || t === 131 || t === 137) && n >= 3) a.keep(o + 2, 1);
    if (t === 68 && n >= 4) a.keep(o + 3, 1);
    o += n;
  }
};

/** TCP options whose values are kept (by kind, when their length is the standard one). */
function tcpOptionKept(kind: number, len: number): boolean {
  switch (kind) {
    case 2: // MSS
      return len === 4;
    case 3: // window scale
      return len === 3;
    case 4: // SACK permitted
      return len === 2;
    case 5: // SACK blocks: sequence numbers, kept as the header's are
      return len >= 10 && len <= 34 && (len - 2) % 8 === 0;
    case 8: // timestamps
      return len === 10;
    default:
      return false;
  }
}

/**
 * TCP options: the module keeps the whole header. Keep the options analysis reads (MSS, window
 * scale, SACK, timestamps) and of every other one only kind and length: their values include
 * identities (MPTCP ADD_ADDR carries IP addresses, MPTCP keys, Fast Open cookies derived from the
 * client address, MD5 and AO signatures). After an end-of-list, malformed or cut option the rest
 * is blanked. The walk is the decoder's, so the decoded fields stay the same.
 */
const tcpOptions: Stricter = (l, a, p) => {
  p?.anonymise?.(l, a);
  const b = a.b;
  const end = Math.min(l.hdrEnd, b.length);
  if (l.invalid || end - l.start <= 20) return;
  for (let o = l.start + 20; o < end;) {
    const kind = b[o]!;
    if (kind === 0) return a.blank(o + 1, end - o - 1);
    if (kind === 1) {
      o++;
      continue;
    }
    if (o + 1 >= end) return;
    const len = b[o + 1]!;
    if (len < 2 || o + len > end) return a.blank(o + 2, end - o - 2);
    if (!tcpOptionKept(kind, len)) a.blank(o + 2, len - 2);
    o += len;
  }
};

/**
 * ICMP types whose bytes 4-7 are structure: identifier and sequence, MTU, pointer, quote length,
 * router advertisement counts. Redirect (5) holds the gateway: an address, remapped.
 */
const ICMP_REST_KEPT = new Set([0, 3, 4, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18]);

/** ICMPv4: remap a redirect's gateway address; blank bytes 4-7 of types not known to be structure. */
const icmpRest: Stricter = (l, a, p) => {
  p?.anonymise?.(l, a);
  if (l.hdrEnd - l.start < 8) return;
  if (l.icmpType === 5) a.ip4(l.start + 4);
  else if (!ICMP_REST_KEPT.has(l.icmpType)) a.blank(l.start + 4, 4);
};

/**
 * Linux cooked captures: the module maps the link-layer address as a MAC whatever its length. On
 * tunnel devices (ipip, gre, sit) it is 4 bytes, the local IPv4 endpoint: a MAC rule would keep
 * it whenever its first octet is odd (a "multicast" MAC). Remap it as IPv4 (consistently with the
 * IP headers); blank addresses of other lengths.
 */
const sllAddress: Stricter = (l, a, p) => {
  if (l.truncated) return;
  const n = (a.b[l.start + 4]! << 8) | a.b[l.start + 5]!;
  if (n === 6) return p?.anonymise?.(l, a);
  a.keep(l.start, 6); // packet type, ARPHRD, address length
  if (n === 4) a.ip4(l.start + 6);
  a.keep(l.start + 14, 2); // protocol
};

/** The same for Linux cooked v2 (address length at byte 11, address at 12). */
const sll2Address: Stricter = (l, a, p) => {
  if (l.truncated) return;
  const n = a.b[l.start + 11]!;
  if (n === 6) return p?.anonymise?.(l, a);
  a.keep(l.start, 12); // protocol, interface index, ARPHRD, packet type, address length
  if (n === 4) a.ip4(l.start + 12);
};

/** Layer kinds anonymised by a stricter rule than their module's (which it may call). */
const STRICTER: ReadonlyMap<number, Stricter> = new Map([
  [K.IPV4, ipv4Options],
  [K.TCP, tcpOptions],
  [K.ICMP, icmpRest],
  [K.SLL, sllAddress],
  [K.SLL2, sll2Address],
]);

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
    const p = REGISTRY.byId.get(l.kind);
    const strict = STRICTER.get(l.kind);
    if (strict) strict(l, a, p);
    else p?.anonymise?.(l, a);
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

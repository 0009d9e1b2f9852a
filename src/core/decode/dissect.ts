/**
 * Frame dissector: link layer -> IP -> transport -> tunnels (recursively) -> DNS, followed by
 * checksum verification at every depth.
 *
 * Every decoder has the same shape `(offset, end, depth, quoted)`: `end` is the last byte the
 * layer may use (the smaller of what its parent claims and what was captured), every length is
 * checked against it before a read, and a layer cut short is kept with `truncated` set.
 */
import { fold, neg16, pseudoSum4, pseudoSum6, sum16, swap16 } from '../checksum';
import { Check, K, Layer, type CheckLayer, type CheckStatus } from './layers';

/** Options that change how bytes are interpreted. */
export interface DissectOptions {
  /** UDP destination ports decoded as VXLAN (defaults: 4789 IANA, 8472 Linux). */
  vxlanPorts: number[];
}

export const DEFAULT_VXLAN_PORTS = [4789, 8472];
const GENEVE_PORT = 6081;
const VXLAN_GPE_PORT = 4790;
const DNS_PORT = 53;
/** Nesting guard: no real capture nests tunnels this deep; crafted ones must not recurse forever. */
const MAX_LAYERS = 48;
const MAX_CHECKS = 24;
/** IPv6 extension header chain guard (libpcap's test file has ~90 headers). */
const MAX_EXT_HEADERS = 256;

// Ethertypes
const ET_IPV4 = 0x0800;
const ET_ARP = 0x0806;
const ET_RARP = 0x8035;
const ET_VLAN = 0x8100;
const ET_QINQ = 0x88a8;
const ET_QINQ_OLD1 = 0x9100;
const ET_QINQ_OLD2 = 0x9200;
const ET_IPV6 = 0x86dd;
const ET_MPLS = 0x8847;
const ET_MPLS_MC = 0x8848;
const ET_TEB = 0x6558; // transparent Ethernet bridging (Ethernet over GRE, Geneve)
const ET_PPP = 0x880b;
const ET_CISCO_METADATA = 0x8909;

// IP protocols
const P_ICMP = 1;
const P_IPIP = 4;
const P_TCP = 6;
const P_UDP = 17;
const P_IPV6 = 41;
const P_GRE = 47;
const P_ICMPV6 = 58;
const P6_HOPOPT = 0;
const P6_ROUTING = 43;
const P6_FRAGMENT = 44;
const P6_AH = 51;
const P6_NONE = 59;
const P6_DSTOPTS = 60;

// Link types (LINKTYPE_*)
export const LT_NULL = 0;
export const LT_ETHERNET = 1;
export const LT_PPP = 9;
export const LT_RAW_OLD1 = 12;
export const LT_RAW_OLD2 = 14;
export const LT_PPP_HDLC = 50;
export const LT_RAW = 101;
export const LT_LOOP = 108;
export const LT_LINUX_SLL = 113;
export const LT_IPV4 = 228;
export const LT_IPV6 = 229;
export const LT_LINUX_SLL2 = 276;

/** Link types this dissector decodes. */
export const SUPPORTED_LINK_TYPES: ReadonlySet<number> = new Set([
  LT_NULL,
  LT_ETHERNET,
  LT_PPP,
  LT_RAW_OLD1,
  LT_RAW_OLD2,
  LT_PPP_HDLC,
  LT_RAW,
  LT_LOOP,
  LT_LINUX_SLL,
  LT_IPV4,
  LT_IPV6,
  LT_LINUX_SLL2,
]);

/** Result of dissecting one frame. Reused across frames: read it before the next `dissect`. */
export class Dissection {
  data: Uint8Array = new Uint8Array(0);
  linkType = 0;
  origLen = 0;
  /** Link type not decoded. */
  unsupportedLink = false;
  readonly layers: Layer[] = [];
  nLayers = 0;
  readonly checks: Check[] = [];
  nChecks = 0;

  /** Layer `i` (0 = outermost). */
  layer(i: number): Layer {
    return this.layers[i]!;
  }

  /** Checksum `i` (outermost first). */
  check(i: number): Check {
    return this.checks[i]!;
  }
}

/** Range-sum cache entry: a folded sum over [start, end) reused by enclosing checksums. */
interface Span {
  start: number;
  end: number;
  sum: number;
}

/**
 * Decodes frames into a reusable {@link Dissection}. One instance per capture: it is not
 * re-entrant, and holds no state between frames besides its pools.
 */
export class Dissector {
  readonly out = new Dissection();
  private b: Uint8Array = new Uint8Array(0);
  private readonly vxlanPorts: Set<number>;
  private readonly spans: Span[] = [];
  private nSpans = 0;

  constructor(opts: Partial<DissectOptions> = {}) {
    this.vxlanPorts = new Set(opts.vxlanPorts ?? DEFAULT_VXLAN_PORTS);
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
    this.b = data;
    const end = data.length;
    switch (linkType) {
      case LT_ETHERNET:
        this.ether(0, end, 0, false);
        break;
      case LT_LINUX_SLL:
        this.sll(0, end);
        break;
      case LT_LINUX_SLL2:
        this.sll2(0, end);
        break;
      case LT_RAW:
      case LT_RAW_OLD1:
      case LT_RAW_OLD2:
      case LT_IPV4:
      case LT_IPV6:
        // Look at the version nibble rather than trusting the link type (tcpdump does too).
        this.ipByVersion(0, end, 0, false);
        break;
      case LT_NULL:
      case LT_LOOP:
        this.loopback(0, end, linkType === LT_LOOP);
        break;
      case LT_PPP:
      case LT_PPP_HDLC:
        this.ppp(0, end, 0, false);
        break;
      default:
        d.unsupportedLink = true;
        return d;
    }
    this.verifyChecksums();
    return d;
  }

  // ---- helpers -------------------------------------------------------------------------

  private u16(o: number): number {
    return (this.b[o]! << 8) | this.b[o + 1]!;
  }

  private u32(o: number): number {
    // Built from bytes (no DataView per frame: the hot path allocates nothing).
    return ((this.b[o]! << 24) >>> 0) + ((this.b[o + 1]! << 16) | (this.b[o + 2]! << 8) | this.b[o + 3]!);
  }

  private push(kind: number, start: number, depth: number, quoted: boolean): Layer | null {
    const d = this.out;
    if (d.nLayers >= MAX_LAYERS) return null;
    let l = d.layers[d.nLayers];
    if (!l) {
      l = new Layer();
      d.layers.push(l);
    }
    l.reset(kind, start, depth, quoted);
    d.nLayers++;
    return l;
  }

  /** Mark a layer whose fixed header does not fit. Returns false so callers can `return`. */
  private cut(l: Layer, end: number, need: number): boolean {
    l.truncated = true;
    l.hdrEnd = end;
    l.end = end;
    l.claimedEnd = l.start + need;
    return false;
  }

  // ---- link layers ---------------------------------------------------------------------

  /*
   * Ethernet II:  dst(6) src(6) type(2); 802.1Q/802.1ad tags insert TPID(2) TCI(2) before type.
   */
  private ether(o: number, end: number, depth: number, quoted: boolean): void {
    const l = this.push(K.ETH, o, depth, quoted);
    if (!l) return;
    if (end - o < 14) return void this.cut(l, end, 14);
    let type = this.u16(o + 12);
    let p = o + 14;
    l.hdrEnd = p;
    l.end = end;
    l.claimedEnd = end;
    l.etherType = type;
    while (type === ET_VLAN || type === ET_QINQ || type === ET_QINQ_OLD1 || type === ET_QINQ_OLD2) {
      const v = this.push(K.VLAN, p, depth, quoted);
      if (!v) return;
      if (end - p < 4) return void this.cut(v, end, 4);
      v.vlan = this.u16(p) & 0x0fff;
      type = this.u16(p + 2);
      v.etherType = type;
      p += 4;
      v.hdrEnd = p;
      v.end = end;
      v.claimedEnd = end;
    }
    this.etherPayload(type, p, end, depth, quoted);
  }

  private etherPayload(type: number, p: number, end: number, depth: number, quoted: boolean): void {
    switch (type) {
      case ET_IPV4:
      case ET_IPV6:
        this.ipByVersion(p, end, depth, quoted);
        return;
      case ET_ARP:
      case ET_RARP: {
        const a = this.push(K.ARP, p, depth, quoted);
        if (!a) return;
        a.hdrEnd = Math.min(end, p + 28);
        a.end = end;
        a.claimedEnd = p + 28;
        a.truncated = end - p < 28;
        return;
      }
      case ET_MPLS:
      case ET_MPLS_MC:
        this.mpls(p, end, depth, quoted);
        return;
      case ET_TEB:
        this.ether(p, end, depth, quoted);
        return;
      default:
        return;
    }
  }

  /*
   * Linux cooked v1 (16 bytes): pkttype(2) arphrd(2) addrlen(2) addr(8) protocol(2).
   */
  private sll(o: number, end: number): void {
    const l = this.push(K.SLL, o, 0, false);
    if (!l) return;
    if (end - o < 16) return void this.cut(l, end, 16);
    const proto = this.u16(o + 14);
    l.etherType = proto;
    l.hdrEnd = o + 16;
    l.end = end;
    l.claimedEnd = end;
    this.etherPayload(proto, o + 16, end, 0, false);
  }

  /*
   * Linux cooked v2 (20 bytes): protocol(2) reserved(2) ifindex(4) arphrd(2) pkttype(1)
   * addrlen(1) addr(8).
   */
  private sll2(o: number, end: number): void {
    const l = this.push(K.SLL2, o, 0, false);
    if (!l) return;
    if (end - o < 20) return void this.cut(l, end, 20);
    const proto = this.u16(o);
    l.etherType = proto;
    l.hdrEnd = o + 20;
    l.end = end;
    l.claimedEnd = end;
    this.etherPayload(proto, o + 20, end, 0, false);
  }

  /*
   * BSD loopback: a 4-byte address family, in the writer's byte order for NULL (0) and in
   * network order for LOOP (108). AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24
   * (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS).
   */
  private loopback(o: number, end: number, networkOrder: boolean): void {
    const l = this.push(K.LOOP, o, 0, false);
    if (!l) return;
    if (end - o < 4) return void this.cut(l, end, 4);
    const be = this.u32(o);
    const le = ((this.b[o + 3]! << 24) >>> 0) + ((this.b[o + 2]! << 16) | (this.b[o + 1]! << 8) | this.b[o]!);
    const af = networkOrder ? be : be < 256 ? be : le;
    l.etherType = af;
    l.hdrEnd = o + 4;
    l.end = end;
    l.claimedEnd = end;
    if (af === 2 || af === 10 || af === 24 || af === 28 || af === 30) this.ipByVersion(o + 4, end, 0, false);
  }

  /*
   * PPP: optional address 0xff + control 0x03, then a 1- or 2-byte protocol field.
   */
  private ppp(o: number, end: number, depth: number, quoted: boolean): void {
    const l = this.push(K.PPP, o, depth, quoted);
    if (!l) return;
    let p = o;
    if (end - p >= 2 && this.b[p] === 0xff && this.b[p + 1] === 0x03) p += 2;
    if (end - p < 1) return void this.cut(l, end, p - o + 2);
    let proto = this.b[p]!;
    if (proto & 1)
      p += 1; // protocol field compression
    else {
      if (end - p < 2) return void this.cut(l, end, p - o + 2);
      proto = this.u16(p);
      p += 2;
    }
    l.etherType = proto;
    l.hdrEnd = p;
    l.end = end;
    l.claimedEnd = end;
    if (proto === 0x0021 || proto === 0x0057) this.ipByVersion(p, end, depth, quoted);
    else if (proto === 0x0281 || proto === 0x0283) this.mpls(p, end, depth, quoted);
  }

  /*
   * MPLS label stack entries (4 bytes): label(20) tc(3) S(1) ttl(8). After the bottom of
   * stack, the payload has no type field: guess IPv4/IPv6 from the version nibble.
   */
  private mpls(o: number, end: number, depth: number, quoted: boolean): void {
    const l = this.push(K.MPLS, o, depth, quoted);
    if (!l) return;
    let p = o;
    for (;;) {
      if (end - p < 4) return void this.cut(l, end, p - o + 4);
      const bos = this.b[p + 2]! & 1;
      p += 4;
      if (bos) break;
    }
    l.hdrEnd = p;
    l.end = end;
    l.claimedEnd = end;
    if (end > p) {
      const v = this.b[p]! >> 4;
      if (v === 4 || v === 6) this.ipByVersion(p, end, depth, quoted);
    }
  }

  // ---- IP --------------------------------------------------------------------------------

  private ipByVersion(o: number, end: number, depth: number, quoted: boolean): void {
    if (end - o < 1) return;
    const v = this.b[o]! >> 4;
    if (v === 4) this.ipv4(o, end, depth, quoted);
    else if (v === 6) this.ipv6(o, end, depth, quoted);
    else {
      const l = this.push(K.IPV4, o, depth, quoted);
      if (l) {
        l.invalid = `IP version ${v} is neither 4 nor 6`;
        l.end = end;
        l.hdrEnd = o;
        l.claimedEnd = end;
        l.ipVersion = v;
      }
    }
  }

  /*
   * IPv4 header (RFC 791):
   *
   *    0       4       8              16      19             31
   *   +-------+-------+--------------+-------+---------------+
   *   |version|  IHL  |     TOS      |      total length     |
   *   +-------+-------+--------------+-------+---------------+
   *   |        identification        |flags|  fragment off   |
   *   +---------------+--------------+-------+---------------+
   *   |      TTL      |   protocol   |    header checksum    |
   *   +---------------+--------------+-----------------------+
   *   |                     source address                   |
   *   |                  destination address                 |
   *   |                options (IHL > 5) ...                 |
   */
  private ipv4(o: number, end: number, depth: number, quoted: boolean): void {
    const l = this.push(K.IPV4, o, depth, quoted);
    if (!l) return;
    l.ipVersion = 4;
    if (end - o < 20) return void this.cut(l, end, 20);
    const ihl = (this.b[o]! & 0x0f) * 4;
    if (ihl < 20) {
      l.invalid = `IPv4 header length ${ihl} < 20`;
      l.hdrEnd = o;
      l.end = end;
      l.claimedEnd = end;
      return;
    }
    let total = this.u16(o + 2);
    if (total === 0 && !quoted) {
      // TSO/GSO super-frame captured before segmentation: the kernel leaves total length 0.
      l.tso = true;
      total = end - o;
    }
    if (total < ihl) {
      l.invalid = `IPv4 total length ${total} < header length ${ihl}`;
      l.hdrEnd = o;
      l.end = end;
      l.claimedEnd = end;
      return;
    }
    l.ipId = this.u16(o + 4);
    const ff = this.u16(o + 6);
    l.moreFragments = (ff & 0x2000) !== 0;
    l.fragOffset = (ff & 0x1fff) * 8;
    l.fragment = l.moreFragments || l.fragOffset > 0;
    l.ttl = this.b[o + 8]!;
    l.proto = this.b[o + 9]!;
    l.srcOff = o + 12;
    l.dstOff = o + 16;
    l.pseudoDstOff = o + 16;
    l.claimedEnd = o + total;
    const lim = Math.min(end, o + total);
    l.end = lim;
    if (lim - o < ihl) {
      l.truncated = true;
      l.hdrEnd = lim;
    } else l.hdrEnd = o + ihl;
    if (l.claimedEnd > end) l.truncated = true;
    this.addCheck('ipv4', l, o + 10);
    if (l.hdrEnd < o + ihl || l.fragOffset > 0) return; // no transport header in later fragments
    this.ipPayload(l, l.proto, o + ihl, lim, depth, quoted);
  }

  /*
   * IPv6 fixed header (40 bytes): version(4) class(8) flow(20) | payload length(16)
   * next header(8) hop limit(8) | source(128) | destination(128); then extension headers.
   */
  private ipv6(o: number, end: number, depth: number, quoted: boolean): void {
    const l = this.push(K.IPV6, o, depth, quoted);
    if (!l) return;
    l.ipVersion = 6;
    if (end - o < 40) return void this.cut(l, end, 40);
    let plen = this.u16(o + 4);
    if (plen === 0 && !quoted) plen = end - o - 40; // jumbogram or GSO: trust the capture
    l.ttl = this.b[o + 7]!;
    l.srcOff = o + 8;
    l.dstOff = o + 24;
    l.pseudoDstOff = o + 24;
    l.claimedEnd = o + 40 + plen;
    const lim = Math.min(end, l.claimedEnd);
    l.end = lim;
    if (l.claimedEnd > end) l.truncated = true;
    let next = this.b[o + 6]!;
    let p = o + 40;
    for (let i = 0; i < MAX_EXT_HEADERS; i++) {
      if (next === P6_HOPOPT || next === P6_ROUTING || next === P6_DSTOPTS || next === P6_AH) {
        if (lim - p < 8) {
          l.truncated = true;
          l.hdrEnd = lim;
          return;
        }
        const hlen = next === P6_AH ? (this.b[p + 1]! + 2) * 4 : (this.b[p + 1]! + 1) * 8;
        if (lim - p < hlen) {
          l.truncated = true;
          l.hdrEnd = lim;
          return;
        }
        if (next === P6_ROUTING) this.routingFinalDst(l, p, hlen);
        next = this.b[p]!;
        p += hlen;
      } else if (next === P6_FRAGMENT) {
        if (lim - p < 8) {
          l.truncated = true;
          l.hdrEnd = lim;
          return;
        }
        const fo = this.u16(p + 2);
        l.fragOffset = fo & 0xfff8;
        l.moreFragments = (fo & 1) !== 0;
        // An "atomic fragment" (offset 0, M clear, RFC 6946) is a whole datagram.
        l.fragment = l.fragOffset > 0 || l.moreFragments;
        l.ipId = this.u32(p + 4);
        next = this.b[p]!;
        p += 8;
      } else break;
    }
    l.proto = next;
    l.hdrEnd = p;
    if (l.fragOffset > 0 || next === P6_NONE) return;
    this.ipPayload(l, next, p, lim, depth, quoted);
  }

  /*
   * With a routing header that still has segments left, the transport pseudo-header uses the
   * final destination (RFC 8200 §8.1): the last address of a type 0 header, or Segment List[0]
   * of a Segment Routing Header (type 4).
   *   type 0:  next(1) len(1) type(1) left(1) reserved(4) addr[0..n]
   *   type 4:  next(1) len(1) type(1) left(1) last_entry(1) flags(1) tag(2) segment[0..n]
   */
  private routingFinalDst(l: Layer, p: number, hlen: number): void {
    const type = this.b[p + 2]!;
    const left = this.b[p + 3]!;
    if (left === 0) return;
    const n = Math.floor((hlen - 8) / 16);
    if (n < 1) return;
    if (type === 0) l.pseudoDstOff = p + 8 + (n - 1) * 16;
    else if (type === 4) l.pseudoDstOff = p + 8;
  }

  private ipPayload(ip: Layer, proto: number, p: number, end: number, depth: number, quoted: boolean): void {
    const ipIndex = this.out.nLayers - 1;
    switch (proto) {
      case P_TCP:
        this.tcp(ip, ipIndex, p, end, depth, quoted);
        return;
      case P_UDP:
        this.udp(ip, ipIndex, p, end, depth, quoted);
        return;
      case P_ICMP:
        this.icmp(ip, ipIndex, p, end, depth, quoted, false);
        return;
      case P_ICMPV6:
        this.icmp(ip, ipIndex, p, end, depth, quoted, true);
        return;
      case P_IPIP:
      case P_IPV6:
        if (!ip.fragment) this.ipByVersion(p, end, depth + 1, quoted);
        return;
      case P_GRE:
        if (!ip.fragment) this.gre(p, end, depth, quoted);
        return;
      default:
        return;
    }
  }

  // ---- transport -------------------------------------------------------------------------

  /*
   * TCP header: sport(2) dport(2) seq(4) ack(4) offset/flags(2) window(2) checksum(2) urg(2)
   * options (kind, length, value): 0 EOL, 1 NOP, 2 MSS, 3 window scale, 4 SACK-permitted,
   * 5 SACK, 8 timestamps.
   */
  private tcp(ip: Layer, ipIndex: number, o: number, end: number, depth: number, quoted: boolean): void {
    const l = this.push(K.TCP, o, depth, quoted);
    if (!l) return;
    l.ipIndex = ipIndex;
    l.claimedEnd = ip.claimedEnd;
    l.end = end;
    // Quoted packets (ICMP errors) often hold only 8 bytes of TCP: ports and sequence number.
    if (end - o >= 4) {
      l.srcPort = this.u16(o);
      l.dstPort = this.u16(o + 2);
    }
    if (end - o >= 8) l.seq = this.u32(o + 4);
    if (end - o < 20) {
      l.truncated = true;
      l.hdrEnd = end;
      if (!quoted) this.addCheck('tcp', l, o + 16);
      return;
    }
    l.ack = this.u32(o + 8);
    const off = (this.b[o + 12]! >> 4) * 4;
    l.tcpFlags = this.b[o + 13]! | ((this.b[o + 12]! & 1) << 8);
    l.window = this.u16(o + 14);
    this.addCheck('tcp', l, o + 16);
    if (off < 20) {
      l.invalid = `TCP data offset ${off} < 20`;
      l.hdrEnd = o + 20;
      return;
    }
    const hend = Math.min(end, o + off);
    if (hend < o + off) l.truncated = true;
    l.hdrEnd = hend;
    l.payloadLen = Math.max(0, ip.claimedEnd - (o + off));
    if (ip.claimedEnd > end) l.truncated = true;
    let p = o + 20;
    while (p < hend) {
      const kind = this.b[p]!;
      if (kind === 0) break;
      if (kind === 1) {
        p++;
        continue;
      }
      if (p + 1 >= hend) break;
      const len = this.b[p + 1]!;
      if (len < 2 || p + len > hend) break;
      if (kind === 2 && len === 4) l.mss = this.u16(p + 2);
      else if (kind === 3 && len === 3) l.wscale = this.b[p + 2]!;
      else if (kind === 4) l.sackOk = true;
      else if (kind === 8 && len === 10) {
        l.tsVal = this.u32(p + 2);
        l.tsEcr = this.u32(p + 6);
      }
      p += len;
    }
  }

  /*
   * UDP header: sport(2) dport(2) length(2) checksum(2).
   */
  private udp(ip: Layer, ipIndex: number, o: number, end: number, depth: number, quoted: boolean): void {
    const l = this.push(K.UDP, o, depth, quoted);
    if (!l) return;
    l.ipIndex = ipIndex;
    if (end - o >= 4) {
      l.srcPort = this.u16(o);
      l.dstPort = this.u16(o + 2);
    }
    if (end - o < 8) {
      l.truncated = true;
      l.hdrEnd = end;
      l.end = end;
      l.claimedEnd = o + 8;
      if (!quoted) this.addCheck('udp', l, o + 6);
      return;
    }
    let ulen = this.u16(o + 4);
    if (ulen === 0 && !quoted && ip.claimedEnd - o > 0xffff) ulen = ip.claimedEnd - o; // UDP GSO super-frame
    l.hdrEnd = o + 8;
    if (ulen < 8 || o + ulen > ip.claimedEnd) {
      // Length disagrees with IP: keep the IP payload, flag it.
      l.invalid = `UDP length ${ulen} does not fit the IP payload (${ip.claimedEnd - o})`;
      l.claimedEnd = ip.claimedEnd;
    } else l.claimedEnd = o + ulen;
    l.end = Math.min(end, l.claimedEnd);
    if (l.claimedEnd > end) l.truncated = true;
    l.payloadLen = l.claimedEnd - l.hdrEnd;
    const ci = this.addCheck('udp', l, o + 6);
    if (this.udpPayload(l, o + 8, l.end, depth, quoted) && ci >= 0) this.out.checks[ci]!.tunnelOuter = true;
  }

  /** Decode what UDP carries. Returns true when it is a tunnel (its checksum is then "outer"). */
  private udpPayload(u: Layer, p: number, end: number, depth: number, quoted: boolean): boolean {
    const sp = u.srcPort;
    const dp = u.dstPort;
    // VXLAN is keyed on the destination port; replies from a VXLAN port are tunnels too.
    if (this.vxlanPorts.has(dp) || (this.vxlanPorts.has(sp) && dp !== GENEVE_PORT && dp !== VXLAN_GPE_PORT)) {
      if (this.vxlan(p, end, depth, quoted)) return true;
    } else if (dp === GENEVE_PORT || sp === GENEVE_PORT) {
      if (this.geneve(p, end, depth, quoted)) return true;
    } else if (dp === VXLAN_GPE_PORT || sp === VXLAN_GPE_PORT) {
      if (this.vxlanGpe(p, end, depth, quoted)) return true;
    }
    if (sp === DNS_PORT || dp === DNS_PORT) this.dns(p, end, depth, quoted);
    return false;
  }

  /*
   * ICMP / ICMPv6: type(1) code(1) checksum(2) rest(4), then for errors the quoted packet.
   * ICMP errors: 3 unreachable, 4 source quench, 5 redirect, 11 time exceeded, 12 parameter.
   * ICMPv6 errors: 1 unreachable, 2 packet too big, 3 time exceeded, 4 parameter problem.
   */
  private icmp(ip: Layer, ipIndex: number, o: number, end: number, depth: number, quoted: boolean, v6: boolean): void {
    const l = this.push(v6 ? K.ICMPV6 : K.ICMP, o, depth, quoted);
    if (!l) return;
    l.ipIndex = ipIndex;
    l.claimedEnd = ip.claimedEnd;
    l.end = end;
    if (ip.claimedEnd > end) l.truncated = true;
    if (end - o < 4) {
      l.truncated = true;
      l.hdrEnd = end;
      return;
    }
    l.icmpType = this.b[o]!;
    l.icmpCode = this.b[o + 1]!;
    this.addCheck(v6 ? 'icmpv6' : 'icmp', l, o + 2);
    l.hdrEnd = Math.min(end, o + 8);
    if (end - o < 8 || quoted) return;
    const t = l.icmpType;
    const isError = v6 ? t >= 1 && t <= 4 : t === 3 || t === 4 || t === 5 || t === 11 || t === 12;
    if (!isError) return;
    let qend = end;
    if (!v6 && (t === 3 || t === 11 || t === 12) && this.b[o + 5]! > 0) {
      // RFC 4884: length of the original datagram in 32-bit words; extensions follow it.
      qend = Math.min(end, o + 8 + this.b[o + 5]! * 4);
    }
    this.ipByVersion(o + 8, qend, depth + 1, true);
  }

  // ---- tunnels ---------------------------------------------------------------------------

  /*
   * VXLAN (RFC 7348): flags(1, I=0x08) reserved(3) VNI(3) reserved(1); inner Ethernet follows.
   */
  private vxlan(o: number, end: number, depth: number, quoted: boolean): boolean {
    if (end - o < 8 || (this.b[o]! & 0x08) === 0) return false;
    const l = this.push(K.VXLAN, o, depth, quoted);
    if (!l) return false;
    l.vni = (this.b[o + 4]! << 16) | (this.b[o + 5]! << 8) | this.b[o + 6]!;
    l.hdrEnd = o + 8;
    l.end = end;
    l.claimedEnd = end;
    this.ether(o + 8, end, depth + 1, quoted);
    return true;
  }

  /*
   * VXLAN-GPE: flags(1) reserved(2) next protocol(1) VNI(3) reserved(1).
   * Next protocol: 1 IPv4, 2 IPv6, 3 Ethernet, 4 NSH.
   */
  private vxlanGpe(o: number, end: number, depth: number, quoted: boolean): boolean {
    if (end - o < 8) return false;
    const l = this.push(K.VXLAN_GPE, o, depth, quoted);
    if (!l) return false;
    l.vni = (this.b[o + 4]! << 16) | (this.b[o + 5]! << 8) | this.b[o + 6]!;
    l.hdrEnd = o + 8;
    l.end = end;
    l.claimedEnd = end;
    this.nextProtocol(this.b[o + 3]!, o + 8, end, depth + 1, quoted);
    return true;
  }

  /** IETF "next protocol" numbers shared by VXLAN-GPE and NSH: 1 IPv4, 2 IPv6, 3 Ethernet, 4 NSH, 5 MPLS. */
  private nextProtocol(np: number, p: number, end: number, depth: number, quoted: boolean): void {
    if (np === 1 || np === 2) this.ipByVersion(p, end, depth, quoted);
    else if (np === 3) this.ether(p, end, depth, quoted);
    else if (np === 4) this.nsh(p, end, depth, quoted);
    else if (np === 5) this.mpls(p, end, depth, quoted);
  }

  /*
   * Network Service Header (RFC 8300): ver(2) O(1) U(1) TTL(6) length(6, 4-byte words)
   * unassigned(4) MD type(4) next protocol(8) | service path id(24) index(8) | context...
   * A service chain header, not a tunnel: the depth stays that of the carrier.
   */
  private nsh(o: number, end: number, depth: number, quoted: boolean): void {
    if (end - o < 8) return;
    const hlen = (this.b[o + 1]! & 0x3f) * 4;
    if (hlen < 8 || end - o < hlen) return;
    this.nextProtocol(this.b[o + 3]!, o + hlen, end, depth, quoted);
  }

  /*
   * Geneve (RFC 8926): ver(2) optlen(6, in 4-byte words) | O C rsvd(6) | protocol(2) |
   * VNI(3) reserved(1) | options...
   */
  private geneve(o: number, end: number, depth: number, quoted: boolean): boolean {
    if (end - o < 8 || this.b[o]! >> 6 !== 0) return false;
    const l = this.push(K.GENEVE, o, depth, quoted);
    if (!l) return false;
    const hlen = 8 + (this.b[o]! & 0x3f) * 4;
    const proto = this.u16(o + 2);
    l.etherType = proto;
    l.vni = (this.b[o + 4]! << 16) | (this.b[o + 5]! << 8) | this.b[o + 6]!;
    l.end = end;
    l.claimedEnd = end;
    if (end - o < hlen) {
      l.truncated = true;
      l.hdrEnd = end;
      return true;
    }
    l.hdrEnd = o + hlen;
    this.etherPayloadTunnel(proto, o + hlen, end, depth + 1, quoted);
    return true;
  }

  private etherPayloadTunnel(proto: number, p: number, end: number, depth: number, quoted: boolean): void {
    if (proto === ET_TEB) this.ether(p, end, depth, quoted);
    else if (proto === ET_CISCO_METADATA) {
      // Cisco MetaData (8 bytes). On Ethernet: version(1) length(1) option(2) SGT(2)
      // ethertype(2). Carried in GRE the ethertype comes first: ethertype(2) version(1)
      // length(1) option(2) SGT(2) (as in tcpdump's various_gre.pcap).
      if (end - p < 8) return;
      const gre = this.b[p + 2] === 1 && this.b[p] !== 1;
      this.etherPayload(this.u16(gre ? p : p + 6), p + 8, end, depth, quoted);
    } else this.etherPayload(proto, p, end, depth, quoted);
  }

  /*
   * GRE (RFC 2784/2890, and PPTP's enhanced GRE, RFC 2637):
   *   C(1) R(1) K(1) S(1) s(1) recur(3) A(1) flags(4) ver(3) | protocol(2)
   *   [checksum(2) reserved(2)] if C | [key(4)] if K | [seq(4)] if S | [ack(4)] if A (v1)
   */
  private gre(o: number, end: number, depth: number, quoted: boolean): void {
    const l = this.push(K.GRE, o, depth, quoted);
    if (!l) return;
    if (end - o < 4) return void this.cut(l, end, 4);
    const flags = this.u16(o);
    const proto = this.u16(o + 2);
    const ver = flags & 7;
    l.etherType = proto;
    let hlen = 4;
    if (flags & 0x8000 || flags & 0x4000) hlen += 4;
    const keyOff = o + hlen;
    if (flags & 0x2000) hlen += 4;
    if (flags & 0x1000) hlen += 4;
    if (ver === 1 && flags & 0x0080) hlen += 4;
    l.end = end;
    l.claimedEnd = end;
    if (end - o < hlen) {
      l.truncated = true;
      l.hdrEnd = end;
      return;
    }
    if (flags & 0x2000) l.greKey = this.u32(keyOff);
    l.hdrEnd = o + hlen;
    const p = o + hlen;
    if (ver === 1 || proto === ET_PPP) {
      if (end > p) this.ppp(p, end, depth + 1, quoted);
      return;
    }
    if (proto === 0x0000) {
      // GRE keepalive: the payload is a whole IP packet to be sent back (RFC 2784 has no type 0).
      if (end > p && this.b[p]! >> 4 === 4) this.ipByVersion(p, end, depth + 1, quoted);
      return;
    }
    this.etherPayloadTunnel(proto, p, end, depth + 1, quoted);
  }

  // ---- DNS -------------------------------------------------------------------------------

  /*
   * DNS header (RFC 1035): id(2) flags(2) qdcount(2) ancount(2) nscount(2) arcount(2), then
   * the question: labels, type(2), class(2). Only the first question is read.
   */
  private dns(o: number, end: number, depth: number, quoted: boolean): void {
    // Quoted DNS (inside an ICMP error) is decoded too: it says which query was refused.
    if (end - o < 12) return;
    const l = this.push(K.DNS, o, depth, quoted);
    if (!l) return;
    l.dnsId = this.u16(o);
    l.dnsFlags = this.u16(o + 2);
    const qd = this.u16(o + 4);
    l.dnsAnswers = this.u16(o + 6);
    l.hdrEnd = o + 12;
    l.end = end;
    l.claimedEnd = end;
    if (qd < 1) return;
    let p = o + 12;
    let name = '';
    for (let i = 0; i < 128; i++) {
      if (p >= end) {
        l.truncated = true;
        return;
      }
      const n = this.b[p]!;
      if (n === 0) {
        p++;
        break;
      }
      if (n >= 0xc0 || p + 1 + n > end) {
        l.truncated = n < 0xc0;
        return; // no compression pointers in a first question; anything else is damage
      }
      let label = '';
      for (let j = p + 1; j < p + 1 + n; j++) {
        const c = this.b[j]!;
        label += c > 0x20 && c < 0x7f && c !== 0x2e ? String.fromCharCode(c) : `\\${c.toString().padStart(3, '0')}`;
      }
      name += (name ? '.' : '') + label;
      p += 1 + n;
    }
    l.dnsQname = name || '.';
    if (end - p >= 2) l.dnsQtype = this.u16(p);
  }

  // ---- checksums -------------------------------------------------------------------------

  /** Reserve a checksum slot for layer `l` (verified later); returns its index or -1. */
  private addCheck(layer: CheckLayer, l: Layer, fieldOff: number): number {
    const d = this.out;
    if (d.nChecks >= MAX_CHECKS) return -1;
    let c = d.checks[d.nChecks];
    if (!c) {
      c = new Check();
      d.checks.push(c);
    }
    c.layer = layer;
    c.depth = l.depth;
    c.layerIndex = d.nLayers - 1;
    c.fieldOff = fieldOff;
    c.stored = fieldOff + 2 <= this.b.length ? this.u16(fieldOff) : -1;
    c.computed = -1;
    c.status = 'unverified';
    c.reason = '';
    c.tunnelOuter = false;
    c.quoted = l.quoted;
    return d.nChecks++;
  }

  /**
   * Verify all checksums, innermost first, so that an enclosing checksum reuses the inner
   * ranges' sums (each byte summed once) and can apply local-checksum-offload corrections.
   */
  private verifyChecksums(): void {
    const d = this.out;
    this.nSpans = 0;
    for (let i = d.nChecks - 1; i >= 0; i--) {
      const c = d.checks[i]!;
      const l = d.layers[c.layerIndex]!;
      if (c.layer === 'ipv4') this.verifyIpv4(c, l);
      else this.verifyL4(c, l, i);
    }
  }

  private setVerdict(c: Check, status: CheckStatus, reason = ''): void {
    c.status = status;
    c.reason = reason;
  }

  private verifyIpv4(c: Check, l: Layer): void {
    const hlen = (this.b[l.start]! & 0x0f) * 4;
    if (l.start + hlen > this.b.length || c.stored < 0) return this.setVerdict(c, 'unverified', 'truncated');
    const s = sum16(this.b, l.start, l.start + hlen);
    c.computed = neg16(fold(s + neg16(c.stored)));
    if (fold(s) === 0xffff) return this.setVerdict(c, 'good');
    // A TSO/GSO super-frame (total length 0) is captured before the NIC writes each segment's
    // header checksum: 0 there is an offload artefact, not corruption.
    if (l.tso && c.stored === 0) return this.setVerdict(c, 'partial', 'segmentation offload super-frame (the NIC fills it in)');
    this.setVerdict(c, 'bad');
  }

  /** Sum of b[start, end), reusing the largest cached inner span. */
  private rangeSum(start: number, end: number): number {
    let best: Span | null = null;
    for (let i = 0; i < this.nSpans; i++) {
      const s = this.spans[i]!;
      if (s.start >= start && s.end <= end && (!best || s.end - s.start > best.end - best.start)) best = s;
    }
    let sum: number;
    if (best) {
      const inner = (best.start - start) & 1 ? swap16(best.sum) : best.sum;
      // The bytes before the span end at an odd boundary only if the span starts oddly; sum16
      // pads a trailing odd byte as a high byte, which is exactly its position in the word.
      sum = sum16(this.b, start, best.start) + inner + this.sumFrom(best.end, end, (best.end - start) & 1);
    } else sum = sum16(this.b, start, end);
    const folded = fold(sum);
    let slot = this.spans[this.nSpans];
    if (!slot) {
      slot = { start: 0, end: 0, sum: 0 };
      this.spans.push(slot);
    }
    slot.start = start;
    slot.end = end;
    slot.sum = folded;
    this.nSpans++;
    return folded;
  }

  /** Sum of b[start, end) as positioned at parity `odd` relative to the enclosing start. */
  private sumFrom(start: number, end: number, odd: number): number {
    if (!odd) return sum16(this.b, start, end);
    if (start >= end) return 0;
    // First byte is the low byte of a word; the rest is word-aligned again.
    return this.b[start]! + sum16(this.b, start + 1, end);
  }

  private verifyL4(c: Check, l: Layer, index: number): void {
    const d = this.out;
    const cut = c.quoted ? 'quoted in an ICMP error, cut short' : 'truncated';
    if (c.stored < 0) return this.setVerdict(c, 'unverified', cut);
    const ip = d.layers[l.ipIndex]!;
    if (ip.fragment) return this.setVerdict(c, 'unverified', 'IP fragment');
    if (ip.invalid) return this.setVerdict(c, 'unverified', 'invalid IP header');
    const isUdp = c.layer === 'udp';
    const start = l.start;
    const end = isUdp ? l.claimedEnd : ip.claimedEnd;
    if (isUdp && c.stored === 0) return this.setVerdict(c, 'zero', ip.ipVersion === 6 ? 'zero over IPv6' : '');
    if (isUdp && l.invalid) return this.setVerdict(c, 'unverified', 'UDP length disagrees with IP');
    // A quoted packet is verifiable only when the ICMP error quotes all of it.
    if (end > this.b.length || end > ip.end) return this.setVerdict(c, 'unverified', cut);
    const len = end - start;
    let pseudo = 0;
    let pseudoNoLen = 0;
    if (c.layer !== 'icmp') {
      const proto = c.layer === 'tcp' ? P_TCP : isUdp ? P_UDP : P_ICMPV6;
      if (ip.ipVersion === 4) {
        pseudo = pseudoSum4(this.b, ip.srcOff, ip.pseudoDstOff, proto, len);
        pseudoNoLen = pseudo - len; // GSO partial sums leave the length out
      } else {
        pseudo = pseudoSum6(this.b, ip.srcOff, ip.pseudoDstOff, proto, len);
        pseudoNoLen = pseudo - (len & 0xffff) - Math.floor(len / 0x10000);
      }
    }
    const raw = this.rangeSum(start, end);
    const total = fold(pseudo + raw);
    let computed = neg16(fold(pseudo + raw + neg16(c.stored)));
    if (isUdp && computed === 0) computed = 0xffff; // 0 means "none" in UDP (RFC 768)
    c.computed = computed;
    if (total === 0xffff) return this.setVerdict(c, 'good');
    if (c.layer !== 'icmp') {
      // Transmit offload: the field holds the folded pseudo-header sum, not yet completed.
      if (c.stored === fold(pseudo) || c.stored === fold(pseudoNoLen)) {
        return this.setVerdict(c, 'partial', 'pseudo-header sum (transmit checksum offload)');
      }
    }
    if (isUdp && c.tunnelOuter && this.verifiesAfterInnerCompletion(start, end, pseudo + raw, index)) {
      return this.setVerdict(c, 'partial', 'local checksum offload (verifies once the inner checksum is completed)');
    }
    this.setVerdict(c, 'bad');
  }

  /**
   * Local checksum offload: the outer UDP checksum was computed as if every inner partial
   * checksum already held its final value. Substitute each inner partial field's computed
   * value and test the outer sum again (one's-complement arithmetic makes this a delta).
   */
  private verifiesAfterInnerCompletion(start: number, end: number, sum: number, index: number): boolean {
    const d = this.out;
    let corrected = sum;
    let any = false;
    for (let j = index + 1; j < d.nChecks; j++) {
      const ic = d.checks[j]!;
      if (ic.status !== 'partial' || ic.quoted || ic.fieldOff < start || ic.fieldOff + 2 > end) continue;
      const odd = (ic.fieldOff - start) & 1;
      const oldV = odd ? swap16(ic.stored) : ic.stored;
      const newV = odd ? swap16(ic.computed) : ic.computed;
      corrected += neg16(oldV) + newV;
      any = true;
    }
    return any && fold(corrected) === 0xffff;
  }
}

/**
 * Layer and checksum records produced by the dissector. They live in a pool owned by one
 * {@link Dissection} and are reset per frame, so decoding allocates nothing per packet on the
 * hot path (gopacket's DecodingLayerParser does the same).
 */
import type { ChecksumSpec } from './protocol';

/**
 * Layer kinds of the core protocols that analysis, filters and formatting refer to by number.
 * Every other protocol declares its own id in its module (see protocols/); the registry checks
 * at load that ids and names are unique.
 */
export const K = {
  UNKNOWN: 0,
  ETH: 1,
  VLAN: 2,
  SLL: 3,
  SLL2: 4,
  LOOP: 5,
  PPP: 6,
  MPLS: 7,
  ARP: 8,
  IPV4: 10,
  IPV6: 11,
  TCP: 20,
  UDP: 21,
  ICMP: 22,
  ICMPV6: 23,
  GRE: 30,
  VXLAN: 31,
  GENEVE: 32,
  VXLAN_GPE: 33,
  DNS: 40,
} as const;

/** Checksum verdicts of the report contract. */
export type CheckStatus = 'good' | 'bad' | 'zero' | 'partial' | 'unverified';
/** Checksummed layers of the report contract. */
export type CheckLayer = 'ipv4' | 'tcp' | 'udp' | 'icmp' | 'icmpv6';

/** Checked layers and verdicts by number (`Check.layerCode`, `Check.statusCode`): counting them is an index, not a string lookup. */
export const CHECK_LAYERS: readonly CheckLayer[] = ['ipv4', 'tcp', 'udp', 'icmp', 'icmpv6'];
export const CHECK_STATUSES: readonly CheckStatus[] = ['good', 'bad', 'zero', 'partial', 'unverified'];
export const LAYER_CODE: Readonly<Record<CheckLayer, number>> = { ipv4: 0, tcp: 1, udp: 2, icmp: 3, icmpv6: 4 };
export const STATUS_CODE: Readonly<Record<CheckStatus, number>> = { good: 0, bad: 1, zero: 2, partial: 3, unverified: 4 };

/** How people write the checked layers' names (IPv4, not IPV4). */
export const CHECK_LAYER_NAME: Record<CheckLayer, string> = {
  ipv4: 'IPv4',
  udp: 'UDP',
  tcp: 'TCP',
  icmp: 'ICMP',
  icmpv6: 'ICMPv6',
};

/** TCP flag bits (byte 13 of the header, plus the AE bit from byte 12). */
export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;

/** One decoded layer. Fields irrelevant to a kind keep their reset values. */
export class Layer {
  kind = 0;
  /** First byte of the header within the frame. */
  start = 0;
  /** First byte after the header (start of payload). */
  hdrEnd = 0;
  /** End of this layer's bytes that were captured (payload end, clipped to the capture). */
  end = 0;
  /** End this layer claims (may exceed the capture when truncated). */
  claimedEnd = 0;
  /** Tunnel depth: 0 for the outermost IP packet; +1 per tunnel or ICMP quote. */
  depth = 0;
  /** Header or payload cut short by the capture. */
  truncated = false;
  /** Inside an ICMP error's quoted packet. */
  quoted = false;
  /** Header violates the protocol (e.g. IHL < 5); decoding stopped here. */
  invalid = '';
  // Link
  etherType = 0;
  vlan = -1;
  // IP
  ipVersion = 0;
  srcOff = 0;
  dstOff = 0;
  /** Offset of the address the pseudo-header must use as destination (IPv6 routing headers). */
  pseudoDstOff = 0;
  proto = 0;
  ipId = -1;
  ttl = 0;
  fragment = false;
  fragOffset = 0;
  moreFragments = false;
  /** IPv4 total length 0 on a captured super-frame (TSO/GSO): length taken from the capture. */
  tso = false;
  // Transport
  srcPort = 0;
  dstPort = 0;
  tcpFlags = 0;
  seq = 0;
  ack = 0;
  window = 0;
  tsVal = -1;
  tsEcr = -1;
  mss = -1;
  wscale = -1;
  sackOk = false;
  /** Transport payload length (TCP segment data, UDP data). */
  payloadLen = 0;
  // ICMP
  icmpType = -1;
  icmpCode = -1;
  /** MTU announced by ICMP "fragmentation needed" / ICMPv6 "packet too big", -1 none. */
  mtu = -1;
  // Tunnels and sessions
  /** VNI (VXLAN, Geneve), GRE key, GTP TEID, PPPoE session id, WireGuard receiver index; -1 none. */
  tunnelId = -1;
  /** Message type or code (GTP, WireGuard, PPPoE, ARP opcode); -1 none. */
  msgType = -1;
  // DNS
  dnsId = -1;
  dnsFlags = 0;
  dnsQname = '';
  dnsQtype = 0;
  dnsAnswers = 0;
  /** Index of the IP layer carrying this transport layer. */
  ipIndex = -1;
  /** Index of this layer in the dissection. */
  index = 0;
  /** Index of this layer's checksum in the dissection, -1 without one. */
  checkIndex = -1;

  reset(kind: number, start: number, depth: number, quoted: boolean): void {
    this.kind = kind;
    this.start = start;
    this.hdrEnd = start;
    this.end = start;
    this.claimedEnd = start;
    this.depth = depth;
    this.truncated = false;
    this.quoted = quoted;
    this.invalid = '';
    this.etherType = 0;
    this.vlan = -1;
    this.ipVersion = 0;
    this.srcOff = 0;
    this.dstOff = 0;
    this.pseudoDstOff = 0;
    this.proto = 0;
    this.ipId = -1;
    this.ttl = 0;
    this.fragment = false;
    this.fragOffset = 0;
    this.moreFragments = false;
    this.tso = false;
    this.srcPort = 0;
    this.dstPort = 0;
    this.tcpFlags = 0;
    this.seq = 0;
    this.ack = 0;
    this.window = 0;
    this.tsVal = -1;
    this.tsEcr = -1;
    this.mss = -1;
    this.wscale = -1;
    this.sackOk = false;
    this.payloadLen = 0;
    this.icmpType = -1;
    this.icmpCode = -1;
    this.mtu = -1;
    this.tunnelId = -1;
    this.msgType = -1;
    this.dnsId = -1;
    this.dnsFlags = 0;
    this.dnsQname = '';
    this.dnsQtype = 0;
    this.dnsAnswers = 0;
    this.ipIndex = -1;
    this.checkIndex = -1;
  }
}

/** One checksum verdict. */
export class Check {
  /** How this checksum is verified (the protocol's spec). */
  spec: ChecksumSpec | null = null;
  layer: CheckLayer = 'ipv4';
  /** `layer` as an index of CHECK_LAYERS. */
  layerCode = 0;
  depth = 0;
  status: CheckStatus = 'good';
  /** `status` as an index of CHECK_STATUSES. */
  statusCode = 0;
  /** Value in the packet. */
  stored = 0;
  /** Value it should hold, or -1 when it cannot be computed. */
  computed = -1;
  /** Why `partial` or `unverified` (or `zero` over IPv6), in English (see checksums.ts WHY_TEXT). */
  reason = '';
  /** The same as a code (WHY), for translation. */
  why = 0;
  /** Index of the layer this checksum belongs to. */
  layerIndex = 0;
  /** Byte offset of the checksum field in the frame. */
  fieldOff = 0;
  /** This UDP checksum is the outer checksum of a tunnel (VXLAN, Geneve, VXLAN-GPE). */
  tunnelOuter = false;
  quoted = false;
}

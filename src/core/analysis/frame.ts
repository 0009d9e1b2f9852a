/**
 * The frame as every rule sees it: one object, reused for every frame (nothing allocated per
 * packet), with the layers rules care about picked out once, the numeric flow id and direction,
 * and text helpers that build strings only when a rule asks (findings, not the hot path).
 */
import type { Dissection } from '../decode/dissect';
import { endpoint, innermostIp, ipAddr } from '../decode/format';
import { K, type Check, type CheckStatus, type Layer } from '../decode/layers';
import type { FlowTable } from './flows';
import type { ReassembledCheck } from '../decode/reassembly';
import type { OuterState } from '../report';

export class Frame {
  cap = 0;
  n = 0;
  ts = 0;
  d!: Dissection;
  /** Index of the innermost IP layer outside ICMP quotes, -1 without one. */
  ipI = -1;
  ip: Layer | null = null;
  /** The transport layer over `ip` (TCP, UDP, ICMP, ICMPv6), null otherwise. */
  tl: Layer | null = null;
  /** The layer after the transport (DNS ...), null otherwise. */
  app: Layer | null = null;
  /** The first tunnel-outer UDP checksum of the frame (the one a receiver drops on). */
  outer: Check | null = null;
  /** Flow id of (ip, tl) for TCP and UDP, -1 otherwise. */
  flow = -1;
  /** 0 when the source is the flow's low endpoint, 1 otherwise. */
  dir = 0;
  /** The verdict of a datagram this frame completed (fragment reassembly), if any. */
  reassembled: ReassembledCheck | null = null;
  /** tcp.analysis flags of this frame (see tcp-conv.ts). */
  flags = 0;
  /** tcp.stream of this frame, -1 when not TCP. */
  stream = -1;

  /** Prepare for frame `n` of capture `cap`: pick the layers and the flow. */
  set(cap: number, n: number, ts: number, d: Dissection, reassembled: ReassembledCheck | null, flows: FlowTable): void {
    this.cap = cap;
    this.reassembled = reassembled;
    this.flags = 0;
    this.stream = -1;
    this.n = n;
    this.ts = ts;
    this.d = d;
    this.outer = null;
    for (let i = 0; i < d.nChecks; i++) {
      const c = d.checks[i]!;
      if (c.tunnelOuter) {
        this.outer = c;
        break;
      }
    }
    const ipI = innermostIp(d);
    this.ipI = ipI;
    this.ip = ipI >= 0 ? d.layers[ipI]! : null;
    const tl = ipI >= 0 && ipI + 1 < d.nLayers ? d.layers[ipI + 1]! : null;
    this.tl = tl && !tl.quoted && this.ip!.fragOffset === 0 ? tl : null;
    const app = this.tl && ipI + 2 < d.nLayers ? d.layers[ipI + 2]! : null;
    this.app = app && !app.quoted ? app : null;
    this.flow = -1;
    this.dir = 0;
    if (this.tl && (this.tl.kind === K.TCP || this.tl.kind === K.UDP) && this.tl.hdrEnd - this.tl.start >= 8) {
      this.flow = flows.lookup(d, this.ip!, this.tl, ts);
      this.dir = flows.dir;
    }
  }

  /** A 32-bit hash of the innermost IP's source or destination address bytes. */
  addrHash(which: 'src' | 'dst'): number {
    const ip = this.ip!;
    const o = which === 'src' ? ip.srcOff : ip.dstOff;
    const b = this.d.data;
    let h = 0x811c9dc5;
    for (let i = o; i < o + (ip.ipVersion === 6 ? 16 : 4); i++) h = Math.imul(h ^ b[i]!, 0x01000193);
    return h >>> 0;
  }

  /** Source address text of the innermost IP. */
  srcAddr(): string {
    return ipAddr(this.d, this.ip!, 'src');
  }

  dstAddr(): string {
    return ipAddr(this.d, this.ip!, 'dst');
  }

  /** "ip:port" of the transport source. */
  src(): string {
    return endpoint(this.srcAddr(), this.tl!.srcPort);
  }

  dst(): string {
    return endpoint(this.dstAddr(), this.tl!.dstPort);
  }

  /** Outer checksum state around this frame's innermost packet. */
  outerState(): OuterState {
    return this.outer ? this.outer.status : 'none';
  }

  /** Verdict of the transport checksum of the innermost packet. */
  innerStatus(): CheckStatus | 'none' {
    const tl = this.tl;
    return tl && tl.checkIndex >= 0 ? this.d.checks[tl.checkIndex]!.status : 'none';
  }

  /** IPv4 identification of the innermost packet, -1 for IPv6. */
  ipId(): number {
    return this.ip && this.ip.ipVersion === 4 ? this.ip.ipId : -1;
  }
}

/** Index of the IP layer quoted by an ICMP error at layer `icmpIndex`, or -1. */
export function quotedIp(f: Frame): number {
  const i = f.ipI + 2;
  const q = f.d.layers[i];
  return q && q.quoted && (q.kind === K.IPV4 || q.kind === K.IPV6) && i < f.d.nLayers ? i : -1;
}

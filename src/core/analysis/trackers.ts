/**
 * The per-capture trackers every rule reads: the flow table, TCP conversations, DNS transactions,
 * and the transmission signatures the other capture is matched against. All bounded; what they
 * had to drop is reported in `captures[i].limits`.
 */
import { K } from '../decode/layers';
import { DnsTransactions } from './dns-tx';
import { DEFAULT_MAX_FLOWS, FlowTable } from './flows';
import { quotedIp, type Frame } from './frame';
import { TcpConversations } from './tcp-conv';
import { SigIndex } from './tx';

/** Transmission signatures kept per capture (for two-capture matching). */
const MAX_SIGS = 1 << 18;

export class Trackers {
  readonly flows: FlowTable;
  readonly tcp: TcpConversations;
  readonly dns: DnsTransactions;
  /** Signatures of SYN, SYN-ACK, RST, ICMP error and DNS transmissions (two-capture runs only). */
  readonly sigs: SigIndex;
  lastTs = -Infinity;

  /** `compare`: another capture will be matched against this one (index transmissions). */
  constructor(maxFlows = DEFAULT_MAX_FLOWS, maxFrames = 500, compare = false) {
    this.sigs = new SigIndex(compare, MAX_SIGS);
    this.flows = new FlowTable(maxFlows);
    this.tcp = new TcpConversations(this.flows, this.sigs, maxFrames);
    this.dns = new DnsTransactions(this.sigs, maxFrames);
  }

  /** Transmissions not indexed because the signature index was full. */
  sigsDropped(): number {
    return this.sigs.dropped;
  }

  /** Update the trackers with a frame (after `f.set`). */
  update(f: Frame): void {
    const tl = f.tl;
    if (!tl) return;
    if (tl.kind === K.TCP) {
      if (f.flow >= 0 && tl.hdrEnd - tl.start >= 20) {
        f.flags = this.tcp.update(f);
        f.stream = this.tcp.c.stream[f.flow]!;
      }
    } else if (tl.kind === K.UDP) {
      const app = f.app;
      // A message without a question (QDCOUNT 0: garbage sent to port 53 in a flood) is no lookup.
      if (app && app.kind === K.DNS && !app.truncated && app.dnsQname) this.dns.update(f);
    } else if (tl.kind === K.ICMP || tl.kind === K.ICMPV6) {
      const qi = quotedIp(f);
      if (qi >= 0) this.icmpError(f, qi);
    }
  }

  /** ICMP "fragmentation needed" / "packet too big" seen (frames, capped), and the MTUs they announce. */
  readonly pmtu: { frame: number; mtu: number; from: string }[] = [];

  /**
   * An ICMP error quoting a packet: a refused DNS query, a refused or unreachable SYN, or a
   * "fragmentation needed" for a segment. A quoted tunnel packet is followed to the innermost
   * quoted transport header (routers quote enough of a VXLAN packet to reach it).
   */
  private icmpError(f: Frame, qi: number): void {
    const d = f.d;
    const icmp = f.tl!;
    const v6 = icmp.kind === K.ICMPV6;
    if ((!v6 && icmp.icmpType === 3 && icmp.icmpCode === 4) || (v6 && icmp.icmpType === 2)) {
      if (this.pmtu.length < 500) this.pmtu.push({ frame: f.n, mtu: icmp.mtu, from: f.srcAddr() });
    }
    let ip = qi;
    for (let i = qi + 1; i < d.nLayers; i++) {
      const l = d.layers[i]!;
      if ((l.kind === K.IPV4 || l.kind === K.IPV6) && !l.invalid) ip = i;
    }
    const q = d.at(ip + 1);
    if (!q) return;
    if (q.kind === K.UDP) this.dns.icmpError(f, icmp, ip);
    else if (q.kind === K.TCP && q.hdrEnd - q.start >= 8) {
      const flow = this.flows.lookup(d, d.layers[ip]!, q, f.ts, false);
      if (flow >= 0) this.tcp.icmpError(flow, q.seq, f, icmp.icmpType, icmp.icmpCode, icmp.mtu);
    }
  }
}

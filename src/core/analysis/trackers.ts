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

/** Transmission signatures kept per capture (for two-capture matching). */
const MAX_SIGS = 1 << 20;

export class Trackers {
  readonly flows: FlowTable;
  readonly tcp: TcpConversations;
  readonly dns: DnsTransactions;
  /** Signatures of SYN, SYN-ACK and DNS transmissions -> frame number. */
  readonly sigs = new Map<number, number>();
  lastTs = -Infinity;

  constructor(maxFlows = DEFAULT_MAX_FLOWS, maxFrames = 500) {
    this.flows = new FlowTable(maxFlows);
    this.tcp = new TcpConversations(this.flows.capacity, this.sigs, maxFrames, MAX_SIGS);
    this.dns = new DnsTransactions(this.sigs, maxFrames, MAX_SIGS);
  }

  /** Transmissions not indexed because the signature map was full. */
  sigsDropped(): number {
    return this.tcp.sigsDropped + this.dns.sigsDropped;
  }

  /** Update the trackers with a frame (after `f.set`). */
  update(f: Frame): void {
    const tl = f.tl;
    if (!tl) return;
    if (tl.kind === K.TCP) {
      if (f.flow >= 0 && tl.hdrEnd - tl.start >= 20) {
        f.flags = this.tcp.update(f);
        f.stream = this.tcp.stream[f.flow]!;
      }
    } else if (tl.kind === K.UDP) {
      const app = f.app;
      if (app && app.kind === K.DNS && !app.truncated) this.dns.update(f);
    } else if (tl.kind === K.ICMP || tl.kind === K.ICMPV6) {
      const qi = quotedIp(f);
      if (qi >= 0) this.icmpError(f, qi);
    }
  }

  /** An ICMP error quoting a packet: a refused DNS query, or a refused or unreachable SYN. */
  private icmpError(f: Frame, qi: number): void {
    const d = f.d;
    const q = d.layers[qi + 1];
    if (!q) return;
    if (q.kind === K.UDP) this.dns.icmpError(f, f.tl!, qi);
    else if (q.kind === K.TCP && q.hdrEnd - q.start >= 8) {
      const flow = this.flows.lookup(d, d.layers[qi]!, q, f.ts, false);
      if (flow >= 0) this.tcp.icmpError(flow, q.seq, f, f.tl!.icmpType, f.tl!.icmpCode);
    }
  }
}

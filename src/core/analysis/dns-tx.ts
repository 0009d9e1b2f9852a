/**
 * DNS transactions, tracked once per frame for every rule: queries grouped by client, server,
 * name and type (a resolver's retries land in one group), each query matched to its response by
 * socket, id and name, and to an ICMP error that quoted it (the query was refused, not lost).
 * Bounded: beyond MAX_GROUPS new groups are only counted.
 */
import { endpoint } from '../decode/format';
import { K, type Layer } from '../decode/layers';
import { DNS_QR } from '../decode/protocols/dns';
import type { Dissection } from '../decode/dissect';
import type { Frame } from './frame';
import { signature, TxList, txOf, type Tx } from './tx';

const MAX_GROUPS = 100_000;

/** Queries for one name and type from one client to one server. */
export interface DnsGroup {
  client: string;
  server: string;
  name: string;
  qtype: number;
  queries: TxList;
  /** Answered queries (by query key: socket, id and name) with their response. */
  answers: Map<number, { frame: number; ts: number; rcode: number }>;
  /** Transmissions of queries not answered (yet), by query key. */
  pending: Map<number, Tx[]>;
  /** Source port of the first query (parallel A/AAAA queries from one socket share it). */
  port: number;
  rejected: { from: string; icmpType: number; icmpCode: number; frames: number[] } | null;
}

/** FNV-1a of a string (DNS names in signatures). */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Key of one query: client socket, server socket, DNS id and name. */
function queryKey(client: number, cport: number, server: number, sport: number, id: number, name: number): number {
  return signature(
    5,
    client ^ Math.imul(cport, 0x85ebca6b),
    server ^ Math.imul(sport, 0xc2b2ae35),
    name ^ Math.imul(id, 0x27d4eb2f),
  );
}

export class DnsTransactions {
  /** Groups by (client address, server address, name, type). */
  readonly groups = new Map<number, DnsGroup>();
  /** Group of each query by (client socket, server socket, id, name). */
  private readonly byQuery = new Map<number, DnsGroup>();
  /** Groups not created because of the bound. */
  dropped = 0;
  /** Transmissions not indexed: the signature map was full. */
  sigsDropped = 0;

  private index(sig: number, n: number): void {
    if (this.sigs.has(sig)) return;
    if (this.sigs.size < this.maxSigs) this.sigs.set(sig, n);
    else this.sigsDropped++;
  }

  constructor(
    readonly sigs: Map<number, number>,
    private readonly maxFrames: number,
    private readonly maxSigs: number,
  ) {}

  /** Track one DNS message carried by the frame's transport (UDP). */
  update(f: Frame): void {
    const dns = f.app!;
    const tl = f.tl!;
    const name = hashString(dns.dnsQname);
    const src = f.addrHash('src');
    const dst = f.addrHash('dst');
    if (!(dns.dnsFlags & DNS_QR)) {
      const gkey = signature(6, src, dst, name ^ Math.imul(dns.dnsQtype, 0x9e3779b1));
      let g = this.groups.get(gkey);
      if (!g) {
        if (this.groups.size >= MAX_GROUPS) {
          this.dropped++;
          return;
        }
        g = {
          client: f.srcAddr(),
          server: endpoint(f.dstAddr(), tl.dstPort),
          name: dns.dnsQname,
          qtype: dns.dnsQtype,
          queries: new TxList(),
          answers: new Map(),
          pending: new Map(),
          port: tl.srcPort,
          rejected: null,
        };
        this.groups.set(gkey, g);
      }
      const qkey = queryKey(src, tl.srcPort, dst, tl.dstPort, dns.dnsId, name);
      if (this.byQuery.size < 4 * MAX_GROUPS) this.byQuery.set(qkey, g);
      const sig = signature(3, dns.dnsId, name, f.ipId());
      this.index(sig, f.n);
      const one = txOf(f, sig);
      if (g.queries.add(one) && !g.answers.has(qkey)) {
        let p = g.pending.get(qkey);
        if (!p) g.pending.set(qkey, (p = []));
        if (p.length < this.maxFrames) p.push(one);
      }
    } else {
      const qkey = queryKey(dst, tl.dstPort, src, tl.srcPort, dns.dnsId, name);
      const g = this.byQuery.get(qkey);
      if (g && !g.answers.has(qkey)) {
        g.answers.set(qkey, { frame: f.n, ts: f.ts, rcode: dns.dnsFlags & 0xf });
        g.pending.delete(qkey);
      }
      const sig = signature(4, dns.dnsId, name, f.ipId());
      this.index(sig, f.n);
    }
  }

  /** An ICMP error quoting a DNS query (IP layer `qi` of the quote): the query was refused. */
  icmpError(f: Frame, icmp: Layer, qi: number): void {
    const d: Dissection = f.d;
    const qip = d.layers[qi]!;
    const qudp = d.layers[qi + 1];
    const qdns = d.layers[qi + 2];
    if (!qudp || qudp.kind !== K.UDP || !qdns || qdns.kind !== K.DNS || qdns.dnsFlags & DNS_QR) return;
    const h = (o: number) => {
      let x = 0x811c9dc5;
      for (let i = o; i < o + (qip.ipVersion === 6 ? 16 : 4); i++) x = Math.imul(x ^ d.data[i]!, 0x01000193);
      return x >>> 0;
    };
    const key = queryKey(h(qip.srcOff), qudp.srcPort, h(qip.dstOff), qudp.dstPort, qdns.dnsId, hashString(qdns.dnsQname));
    const g = this.byQuery.get(key);
    if (!g) return;
    if (!g.rejected) g.rejected = { from: f.srcAddr(), icmpType: icmp.icmpType, icmpCode: icmp.icmpCode, frames: [] };
    if (g.rejected.frames.length < this.maxFrames) g.rejected.frames.push(f.n);
  }
}

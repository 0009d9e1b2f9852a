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
import { signature, TAG, TxList, txOf, type SigIndex, type Tx } from './tx';

const MAX_GROUPS = 100_000;
/** Answers remembered per group (to match retries and duplicates); beyond it they are counted. */
const MAX_ANSWERS = 10_000;
/** A query with another id from the same socket this long after the last one is a retry of it. */
const NEW_ID_RETRY_SEC = 0.5;

/** One name lookup that needed more than one query: its queries, then the answer that ended it. */
export interface DnsLookup {
  queries: Tx[];
  /** Queries sent, including those beyond the list's cap. */
  count: number;
  answer: { frame: number; ts: number; sig: number };
}

/** The lookup in progress in a group: queries sent, no answer yet. */
interface OpenLookup {
  queries: Tx[];
  count: number;
  port: number;
  id: number;
  lastTs: number;
}

/** Queries for one name and type from one client to one server. */
export interface DnsGroup {
  client: string;
  server: string;
  name: string;
  qtype: number;
  queries: TxList;
  /** Answered queries (by query key: socket, id and name) with their response and when it was first asked. */
  answers: Map<number, { frame: number; ts: number; rcode: number; sig: number; qts: number }>;
  /** Answers not remembered in `answers` (cap). */
  answersDropped: number;
  /** The lookup waiting for its answer (null when none). */
  open: OpenLookup | null;
  /** Lookups answered only after the client asked again (at most maxFrames; `retriedCount` counts all). */
  retried: DnsLookup[];
  retriedCount: number;
  /** Transmissions of queries not answered (yet), by query key. */
  pending: Map<number, Tx[]>;
  /** Source port of the first query (parallel A/AAAA queries from one socket share it). */
  port: number;
  /** First answer to any query of the group. */
  firstAnswer: { frame: number; ts: number } | null;
  /** IP TTL of the first query and of the first response (inner, and outer when tunnelled), -1 unknown. */
  ttl: [number, number];
  outerTtl: [number, number];
  rejected: { from: string; icmpType: number; icmpCode: number; frames: number[] } | null;
}

/** FNV-1a of a string (DNS names in signatures). */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** TTL of the outer (tunnel) IP header around the frame's packet, -1 when not tunnelled. */
function outerTtl(f: Frame): number {
  const o = f.outer;
  return o ? (f.d.layers[f.d.layers[o.layerIndex]!.ipIndex]?.ttl ?? -1) : -1;
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

  constructor(
    readonly sigs: SigIndex,
    private readonly maxFrames: number,
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
          firstAnswer: null,
          answersDropped: 0,
          open: null,
          retried: [],
          retriedCount: 0,
          ttl: [f.ip!.ttl, -1],
          outerTtl: [outerTtl(f), -1],
        };
        this.groups.set(gkey, g);
      }
      const qkey = queryKey(src, tl.srcPort, dst, tl.dstPort, dns.dnsId, name);
      if (this.byQuery.size < 4 * MAX_GROUPS) this.byQuery.set(qkey, g);
      const sig = signature(TAG.DNS_QUERY, dns.dnsId, name, f.ipId());
      this.sigs.add(sig, f.n, f.ts);
      const one = txOf(f, sig);
      if (g.queries.add(one)) {
        if (!g.answers.has(qkey)) {
          let p = g.pending.get(qkey);
          if (!p) g.pending.set(qkey, (p = []));
          if (p.length < this.maxFrames) p.push(one);
        }
        this.lookupQuery(g, one, tl.srcPort, dns.dnsId);
      }
    } else {
      const qkey = queryKey(dst, tl.dstPort, src, tl.srcPort, dns.dnsId, name);
      const g = this.byQuery.get(qkey);
      if (g && !g.answers.has(qkey)) {
        const sig = signature(TAG.DNS_RESPONSE, dns.dnsId, name, f.ipId());
        const qts = g.pending.get(qkey)?.[0]?.ts ?? f.ts;
        if (g.answers.size < MAX_ANSWERS) g.answers.set(qkey, { frame: f.n, ts: f.ts, rcode: dns.dnsFlags & 0xf, sig, qts });
        else g.answersDropped++;
        g.pending.delete(qkey);
        this.lookupAnswer(g, tl.dstPort, { frame: f.n, ts: f.ts, sig });
        if (!g.firstAnswer) {
          g.firstAnswer = { frame: f.n, ts: f.ts };
          g.ttl[1] = f.ip!.ttl;
          g.outerTtl[1] = outerTtl(f);
        }
      }
      const sig = signature(TAG.DNS_RESPONSE, dns.dnsId, name, f.ipId());
      this.sigs.add(sig, f.n, f.ts);
    }
  }

  /**
   * A new query transmission: the retry of the open lookup when it comes from the same socket
   * with the same id (glibc, musl), or with another id a while later (resolvers that renumber
   * each try, like Go's); otherwise the start of a new lookup.
   */
  private lookupQuery(g: DnsGroup, q: Tx, port: number, id: number): void {
    const o = g.open;
    if (o && o.port === port && (o.id === id || q.ts - o.lastTs >= NEW_ID_RETRY_SEC)) {
      o.count++;
      o.lastTs = q.ts;
      o.id = id;
      if (o.queries.length < this.maxFrames) o.queries.push(q);
      return;
    }
    g.open = { queries: [q], count: 1, port, id, lastTs: q.ts };
  }

  /** An answer to the group's queries from `port`: it ends the open lookup. */
  private lookupAnswer(g: DnsGroup, port: number, answer: DnsLookup['answer']): void {
    const o = g.open;
    if (!o || o.port !== port) return;
    g.open = null;
    if (o.count < 2) return;
    g.retriedCount++;
    if (g.retried.length < this.maxFrames) g.retried.push({ queries: o.queries, count: o.count, answer });
  }

  /** An ICMP error quoting a DNS query (IP layer `qi` of the quote): the query was refused. */
  icmpError(f: Frame, icmp: Layer, qi: number): void {
    const d: Dissection = f.d;
    const qip = d.layers[qi]!;
    const qudp = d.at(qi + 1);
    const qdns = d.at(qi + 2);
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

/**
 * The connections view (Wireshark's Conversations and Expert Information in one table): every
 * TCP connection numbered as tshark numbers `tcp.stream`, with its handshake round trip, outcome,
 * retransmissions, bytes each way and duration; and every DNS lookup with its latency.
 *
 * Rows of connections that ended (or were evicted) are taken when they go, as compact rows in a
 * bounded list; live ones at the end. Beyond the caps rows are counted, not kept.
 */
import { outcomeName, type Lang } from './i18n';
import type { ConnSummary } from './conn-summary';
import type { Trackers } from './trackers';
import { qtypeName } from '../decode/protocols/dns';

/** Rows kept per table. */
export const MAX_CONVERSATION_ROWS = 20_000;

export type ConnOutcome = 'established' | 'refused' | 'reset' | 'failed' | 'unknown';

/** One TCP connection. Times in seconds from the capture's first packet. */
export interface ConnRow {
  stream: number;
  client: string;
  server: string;
  start: number;
  duration: number;
  /** SYN to SYN-ACK plus SYN-ACK to ACK, milliseconds; null without a full handshake. */
  rttMs: number | null;
  outcome: ConnOutcome;
  /** SYNs sent (1 when no retry; 0 when the capture began mid-connection). */
  syns: number;
  retrans: number;
  bytesToServer: number;
  bytesToClient: number;
  segments: number;
}

/** One DNS lookup (name and type from one client to one server). */
export interface DnsRow {
  name: string;
  type: string;
  client: string;
  server: string;
  start: number;
  queries: number;
  answered: boolean;
  /** First query to the first answer, milliseconds. */
  latencyMs: number | null;
  rcode: number | null;
}

export interface ConversationTable {
  tcp: ConnRow[];
  dns: DnsRow[];
  /** Rows not kept (caps), per table. */
  tcpNotListed: number;
  dnsNotListed: number;
}

/** The outcome of a connection from its summary. */
export function outcomeOf(s: ConnSummary): ConnOutcome {
  const h = s.handshake;
  if (h && (h.rst || h.icmp.length) && !h.synacks.count) return 'refused';
  if (s.c2s.rstTs || s.s2c.rstTs) return s.synAckDelay >= 0 || !h ? 'reset' : 'refused';
  if (s.synAckDelay >= 0 || (!h && s.c2s.segments > 0 && s.s2c.segments > 0)) return 'established';
  if (h && !h.synacks.count) return s.live ? 'unknown' : 'failed';
  return 'unknown';
}

/** A row from a connection summary. */
export function connRow(s: ConnSummary, start: number): ConnRow {
  const rtt = s.synAckDelay >= 0 && s.ackDelay >= 0 ? (s.synAckDelay + s.ackDelay) * 1000 : null;
  return {
    stream: s.stream,
    client: s.client,
    server: s.server,
    start: Math.max(0, s.firstTs - start),
    duration: Math.max(0, s.lastTs - s.firstTs),
    rttMs: rtt === null ? null : Math.round(rtt * 1000) / 1000,
    outcome: outcomeOf(s),
    syns: s.handshake ? s.handshake.attempts.count : 0,
    retrans: s.c2s.retrans + s.s2c.retrans,
    bytesToServer: s.c2s.bytes,
    bytesToClient: s.s2c.bytes,
    segments: s.c2s.segments + s.s2c.segments,
  };
}

/** The table of one capture's trackers (`start`: its first packet's time). */
export function conversationTable(t: Trackers, start: number): ConversationTable {
  const tcp = [...t.tcp.closedRows];
  let tcpNotListed = t.tcp.closedRowsDropped;
  for (const s of t.tcp.connections(true)) {
    if (!s.live) continue; // ended ones are in closedRows already
    if (tcp.length < MAX_CONVERSATION_ROWS) tcp.push(connRow(s, start));
    else tcpNotListed++;
  }
  tcp.sort((a, b) => a.stream - b.stream);
  const dns: DnsRow[] = [];
  let dnsNotListed = t.dns.dropped;
  for (const g of t.dns.groups.values()) {
    if (dns.length >= MAX_CONVERSATION_ROWS) {
      dnsNotListed++;
      continue;
    }
    const q0 = g.queries.list[0];
    const a = g.firstAnswer;
    let rcode: number | null = null;
    for (const x of g.answers.values()) {
      rcode = x.rcode;
      break;
    }
    dns.push({
      name: g.name,
      type: qtypeName(g.qtype),
      client: g.client,
      server: g.server,
      start: q0 ? Math.max(0, q0.ts - start) : 0,
      queries: g.queries.count,
      answered: a !== null,
      latencyMs: a && q0 ? Math.round((a.ts - q0.ts) * 1e6) / 1000 : null,
      rcode,
    });
  }
  dns.sort((a, b) => a.start - b.start);
  return { tcp, dns, tcpNotListed, dnsNotListed };
}

/** Outcome names for the table (en/zh). */
export const outcomeLabel = (lang: Lang, o: ConnOutcome): string => outcomeName(lang, o);

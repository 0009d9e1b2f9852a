/**
 * A TCP connection as the rules and the connections view read it: a plain snapshot of the
 * tracker's columns for one flow (taken when the flow is evicted, or at the end), oriented from
 * the client (the side that sent the SYN, else the first packet) to the server.
 */
import type { FlowTable } from './flows';
import type { TcpConversations } from './tcp-conv';
import type { TxList } from './tx';

/** One connection attempt: the client's SYN transmissions and what answered them. */
export interface Handshake {
  flow: number;
  client: string;
  server: string;
  isn: number;
  /** Direction of the client's packets within the flow. */
  dir: number;
  attempts: TxList;
  synacks: TxList;
  /** First RST from the server while no SYN-ACK had come. */
  rst: { frame: number; ts: number; sig: number } | null;
  /** ICMP/ICMPv6 errors quoting one of the SYNs. */
  icmp: IcmpNote[];
}

/** An ICMP error that quoted a packet of the connection. */
export interface IcmpNote {
  frame: number;
  ts: number;
  type: number;
  code: number;
  /** MTU announced (fragmentation needed, packet too big), -1 otherwise. */
  mtu: number;
  from: string;
  /** Sequence number of the quoted TCP segment. */
  seq: number;
  /** Transmission signature (for the other capture). */
  sig: number;
  /** IP TTL of the ICMP packet, and of its tunnel's outer header (-1 when not tunnelled). */
  ttl: number;
  outerTtl: number;
}

/** The same data segment sent again and again. */
export interface Run {
  seq: number;
  len: number;
  /** Transmissions, the original included when it was seen. */
  count: number;
  /** The original transmission was seen: it is the first of `frames`. */
  original: boolean;
  frames: number[];
  times: number[];
  /** DF on the inner IP header, and on the outer (tunnel) header. */
  df: boolean;
  outerDf: boolean;
  /** Acknowledged in the end. */
  acked: boolean;
}

/** One direction of a connection. */
export interface DirSummary {
  from: string;
  to: string;
  bytes: number;
  segments: number;
  /** Data segments sent again. */
  retrans: number;
  retransFrames: number[];
  maxSeg: number;
  /** Largest data segment seen acknowledged. */
  deliveredMax: number;
  firstDataTs: number;
  lastDataTs: number;
  lastDataFrame: number;
  finTs: number;
  rstTs: number;
  /** Frame of this direction's first FIN or RST, 0 none. */
  closeFrame: number;
  /** Everything sent was acknowledged by the end. */
  allAcked: boolean;
  ttl: number;
  outerTtl: number;
  df: boolean;
  /** The run of one segment sent most often. */
  worstRun: Run | null;
}

export interface ConnSummary {
  flow: number;
  stream: number;
  client: string;
  server: string;
  firstTs: number;
  lastTs: number;
  /** Seconds from the (last) SYN to its SYN-ACK, and from the SYN-ACK to the client's ACK; -1 unknown. */
  synAckDelay: number;
  ackDelay: number;
  /** A SYN of this connection was seen (the client is known). */
  sawSyn: boolean;
  handshake: Handshake | null;
  c2s: DirSummary;
  s2c: DirSummary;
  icmp: IcmpNote[];
  /** Still in the flow table at the end of the capture. */
  live: boolean;
}

/** Snapshot flow `id` (oriented client -> server). */
export function connSummary(t: TcpConversations, flows: FlowTable, id: number, h: Handshake | null, live: boolean): ConnSummary {
  const c = t.c;
  const cd = c.clientDir[id]! < 0 ? 0 : c.clientDir[id]!;
  const dirSummary = (d: number): DirSummary => {
    const k = 2 * id + d;
    const runs = t.runs.get(k);
    let worst = runs ? runs.worst : null;
    if (runs && runs.cur.count && (!worst || runs.cur.count > worst.count)) worst = runs.cur;
    const allAcked = !c.hasSeq[k] || (c.hasAck[k] === 1 && ((c.nextSeq[k]! - c.acked[k]!) | 0) <= (c.finTs[k] ? 1 : 0));
    if (worst) worst = { ...worst, acked: c.hasAck[k] === 1 && ((worst.seq + worst.len) >>> 0) - c.acked[k]! <= 0 };
    return {
      from: flows.endpoint(id, d),
      to: flows.endpoint(id, 1 - d),
      bytes: c.bytes[k]!,
      segments: c.segments[k]!,
      retrans: c.retrans[k]!,
      retransFrames: runs ? runs.frames : [],
      maxSeg: c.maxSeg[k]!,
      deliveredMax: c.deliveredMax[k]!,
      firstDataTs: c.firstDataTs[k]!,
      lastDataTs: c.lastDataTs[k]!,
      lastDataFrame: c.lastDataFrame[k]!,
      finTs: c.finTs[k]!,
      rstTs: c.rstTs[k]!,
      closeFrame: c.closeFrame[k]!,
      allAcked,
      ttl: c.ttl[k]!,
      outerTtl: c.outerTtl[k]!,
      df: c.df[k] === 1,
      worstRun: worst,
    };
  };
  const c2s = dirSummary(cd);
  return {
    flow: id,
    stream: c.stream[id]!,
    client: h ? h.client : c2s.from,
    server: h ? h.server : c2s.to,
    firstTs: c.firstTs[id]!,
    lastTs: c.lastTs[id]!,
    synAckDelay: c.synAckDelay[id]!,
    ackDelay: c.ackDelay[id]!,
    sawSyn: c.lastSynTs[id]! > 0,
    handshake: h,
    c2s,
    s2c: dirSummary(1 - cd),
    icmp: t.icmp.get(id) ?? [],
    live,
  };
}

/** Is a connection worth keeping after its flow is gone (something a rule reports)? */
export function worth(s: ConnSummary): boolean {
  const h = s.handshake;
  if (h && (h.attempts.count > 1 || h.synacks.count > 1 || h.rst !== null || h.icmp.length > 0)) return true;
  return s.c2s.retrans > 0 || s.s2c.retrans > 0 || s.icmp.length > 0 || stalledCandidate(s);
}

/** Data flowed, then nothing for a while before the end (transfer-stalled's raw material). */
export function stalledCandidate(s: ConnSummary): boolean {
  for (const d of [s.c2s, s.s2c]) if (d.bytes > 0 && !d.finTs && s.lastTs - d.lastDataTs >= 2) return true;
  return false;
}

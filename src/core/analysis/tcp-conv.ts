/**
 * TCP conversations, tracked once per frame for every rule (as Wireshark's TCP analysis is, which
 * its expert info reads): stream numbers as tshark gives them, who opened the connection,
 * handshake timing, and per direction bytes, segments, ACK progress, the largest segment that was
 * acknowledged, retransmissions (with runs of the same segment sent again and again), DF, TTLs
 * and close times; plus the handshake of each connection attempt and the ICMP errors that quote
 * the connection.
 *
 * Per-flow state is struct-of-arrays (columns.ts) indexed by flow id (and 2 * id + direction);
 * objects exist only for flows that sent a SYN or retransmitted. When the flow table evicts a
 * flow, a connection worth reporting is retired as a summary into a bounded list.
 */
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../decode/layers';
import { columns } from './columns';
import type { FlowTable } from './flows';
import type { Frame } from './frame';
import { connRow, MAX_CONVERSATION_ROWS, type ConnRow } from './conversations';
import { connSummary, worth, type ConnSummary, type Handshake, type IcmpNote, type Run } from './conn-summary';
import { signature, TAG, TxList, txOf, type SigIndex, type Tx } from './tx';
import { RECENT, seqLE, TCP_COLUMNS } from './tcp-columns';

export type { ConnSummary, Handshake, IcmpNote, Run };

/** tcp.analysis flag: a retransmitted segment. */
export const A_RETRANSMISSION = 1;

/** Connections kept after their flow was evicted. */
const MAX_RETIRED = 10_000;
/**
 * Live handshakes kept at once. A SYN flood opens millions: beyond this, new ones are counted
 * (`handshakesNotTracked`), not kept; answered and retried handshakes are retired as they finish.
 */
const MAX_HANDSHAKES = 100_000;
/** Transmissions listed per retransmission run. */
const RUN_FRAMES = 32;

export class TcpConversations {
  readonly c;
  private nextStream = 0;
  /** Live handshakes by flow id. */
  readonly handshakes = new Map<number, Handshake>();
  /** Runs of one segment sent again and again, per direction key (2 * flow + dir). */
  readonly runs = new Map<number, { cur: Run; worst: Run | null; frames: number[]; from: string; to: string }>();
  /** ICMP errors quoting a flow's packets. */
  readonly icmp = new Map<number, IcmpNote[]>();
  /** Connections of evicted flows (or replaced by a new attempt on the same ports). */
  readonly retired: ConnSummary[] = [];
  retiredDropped = 0;
  /** New handshakes not tracked because MAX_HANDSHAKES were live. */
  handshakesNotTracked = 0;
  /** Compact rows of connections that ended or were evicted (for the connections view). */
  readonly closedRows: ConnRow[] = [];
  closedRowsDropped = 0;
  /** Time of the capture's first packet (row times are relative to it). */
  private firstPacketTs = -1;
  /** SYN signature -> flow, to find the same connection in the other capture. */
  readonly flowOfSyn = new Map<number, number>();

  constructor(
    private readonly flows: FlowTable,
    readonly sigs: SigIndex,
    private readonly maxFrames: number,
  ) {
    this.c = columns(TCP_COLUMNS, flows.capacity);
  }

  /** Follow the flow table's growth. */
  grow(capacity: number): void {
    this.c.grow(capacity);
  }

  /** Streams numbered so far. */
  get streams(): number {
    return this.nextStream;
  }

  /** Track one TCP segment (full header); returns tcp.analysis flags for the frame. */
  update(f: Frame): number {
    this.liveCache = null;
    if (this.firstPacketTs < 0) this.firstPacketTs = f.ts;
    const c = this.c;
    const id = f.flow;
    const tl = f.tl!;
    const flags = tl.tcpFlags;
    const dir = f.dir;
    const k = 2 * id + dir;
    const o = k ^ 1;
    const ts = f.ts;
    const syn = (flags & TCP_SYN) !== 0;
    const ack = (flags & TCP_ACK) !== 0;
    // A new stream: the first packet of a flow, or a new SYN after the previous connection ended.
    if (c.stream[id]! < 0 || (syn && !ack && this.closed(id))) this.open(id, ts, dir);
    c.lastTs[id] = ts;
    if (c.ttl[k]! < 0) {
      c.ttl[k] = f.ip!.ttl;
      c.outerTtl[k] = outerTtl(f);
    }
    if (syn && !ack) {
      c.clientDir[id] = dir;
      c.lastSynTs[id] = ts;
    } else if (syn) {
      c.lastSynAckTs[id] = ts;
      if (c.lastSynTs[id]) c.synAckDelay[id] = ts - c.lastSynTs[id]!;
    } else if (ack && c.ackDelay[id]! < 0 && c.lastSynAckTs[id] && dir === c.clientDir[id])
      c.ackDelay[id] = ts - c.lastSynAckTs[id]!;
    if (ack) this.acknowledge(o, tl.ack);
    let out = 0;
    const len = tl.payloadLen + (syn ? 1 : 0) + (flags & TCP_FIN ? 1 : 0);
    if (len > 0) {
      const end = (tl.seq + len) >>> 0;
      if (!c.hasSeq[k]) {
        c.hasSeq[k] = 1;
        c.nextSeq[k] = end;
      } else if (seqLE(end, c.nextSeq[k]!)) {
        // Nothing new: a retransmission, unless it is a keep-alive (one byte just below the
        // next sequence number) or a second copy of a packet already seen (same IP id).
        // (A FIN sent again is a retransmission, as Wireshark says, not a keep-alive.)
        const keepAlive = tl.payloadLen <= 1 && !syn && !(flags & TCP_FIN) && end === c.nextSeq[k];
        if (!keepAlive && !this.seenId(k, f)) {
          out |= A_RETRANSMISSION;
          // Data retransmissions (SYN retries are the handshakes' business).
          if (tl.payloadLen > 0) this.retransmitted(f, k, end);
        }
      } else c.nextSeq[k] = end;
    }
    this.remember(k, f);
    if (tl.payloadLen > 0) {
      c.bytes[k] = c.bytes[k]! + tl.payloadLen;
      if (!c.firstDataTs[k]) c.firstDataTs[k] = ts;
      c.lastDataTs[k] = ts;
      c.lastDataFrame[k] = f.n;
      if (tl.payloadLen > c.maxSeg[k]!) c.maxSeg[k] = tl.payloadLen;
      if (f.d.data[f.ip!.start + 6]! & 0x40) c.df[k] = 1;
      const p = c.ringPos[k]!;
      const r = k * RECENT + p;
      // Pushed out still unacknowledged, with no older one kept: keep it (see unaSeq).
      if (c.ringLen[r] && c.ringFrame[r] && !c.unaLen[k]) {
        c.unaSeq[k] = c.ringSeq[r]!;
        c.unaLen[k] = c.ringLen[r]!;
        c.unaFrame[k] = c.ringFrame[r]!;
        c.unaTs[k] = c.ringTs[r]!;
      }
      c.ringSeq[r] = tl.seq;
      c.ringLen[r] = tl.payloadLen;
      c.ringFrame[r] = f.n;
      c.ringTs[r] = ts;
      c.ringPos[k] = (p + 1) % RECENT;
    }
    c.segments[k]!++;
    if (flags & TCP_FIN && !c.finTs[k]) {
      c.finTs[k] = ts;
      if (!c.closeFrame[k]) c.closeFrame[k] = f.n;
    }
    if (flags & TCP_RST && !c.rstTs[k]) {
      c.rstTs[k] = ts;
      if (!c.closeFrame[k]) c.closeFrame[k] = f.n;
    }
    if (syn) this.handshake(f, ack);
    else if (flags & TCP_RST) {
      const h = this.handshakes.get(id);
      if (h && h.dir !== dir && !h.rst && !h.synacks.count) {
        const sig = signature(TAG.RST, tl.seq, tl.ack, f.ipId());
        h.rst = { frame: f.n, ts, sig };
        this.sigs.add(sig, f.n, ts);
      }
    }
    return out;
  }

  /** An ACK for direction `k` up to `ack`: note the largest segment it acknowledges. */
  private acknowledge(k: number, ack: number): void {
    const c = this.c;
    if (!c.hasAck[k] || seqLE(c.acked[k]!, ack)) c.acked[k] = ack;
    c.hasAck[k] = 1;
    if (c.unaLen[k] && seqLE((c.unaSeq[k]! + c.unaLen[k]!) >>> 0, ack)) c.unaLen[k] = 0;
    for (let i = k * RECENT; i < (k + 1) * RECENT; i++) {
      const l = c.ringLen[i]!;
      if (l && seqLE((c.ringSeq[i]! + l) >>> 0, ack)) {
        if (l > c.deliveredMax[k]!) c.deliveredMax[k] = l;
        c.ringLen[i] = 0;
      }
    }
  }

  /** A data segment sent again: count it, and follow runs of the same segment. */
  private retransmitted(f: Frame, k: number, end: number): void {
    const c = this.c;
    const tl = f.tl!;
    c.retrans[k]!++;
    let r = this.runs.get(k);
    if (!r) {
      r = {
        cur: newRun(-1, 0),
        worst: null,
        frames: [],
        from: f.src(),
        to: f.dst(),
      };
      this.runs.set(k, r);
    }
    if (r.frames.length < this.maxFrames) r.frames.push(f.n);
    let run = r.cur;
    if (run.seq !== tl.seq) {
      if (run.count && (!r.worst || run.count > r.worst.count)) r.worst = run;
      run = newRun(tl.seq, tl.payloadLen);
      r.cur = run;
      // The original transmission: still in the recent segments, or the oldest unacknowledged
      // one, pushed out of the ring by the segments sent after it.
      let frame = 0;
      let ts = 0;
      for (let i = k * RECENT; i < (k + 1) * RECENT && !frame; i++) {
        if (c.ringSeq[i] === tl.seq && c.ringFrame[i] !== f.n) {
          frame = c.ringFrame[i]!;
          ts = c.ringTs[i]!;
        }
      }
      if (!frame && c.unaLen[k] && c.unaSeq[k] === tl.seq && c.unaFrame[k] !== f.n) {
        frame = c.unaFrame[k]!;
        ts = c.unaTs[k]!;
      }
      if (frame) {
        run.count = 1;
        run.original = true;
        run.frames.push(frame);
        run.times.push(ts);
      }
    }
    run.count++;
    if (tl.payloadLen > run.len) run.len = tl.payloadLen;
    if (run.frames.length < RUN_FRAMES) {
      run.frames.push(f.n);
      run.times.push(f.ts);
    }
    if (f.d.data[f.ip!.start + 6]! & 0x40) run.df = true;
    if (f.outer) {
      const oip = f.d.layers[f.d.layers[f.outer.layerIndex]!.ipIndex];
      if (oip && oip.ipVersion === 4 && f.d.data[oip.start + 6]! & 0x40) run.outerDf = true;
    }
    void end;
  }

  private closed(id: number): boolean {
    const c = this.c;
    return (c.finTs[2 * id]! > 0 && c.finTs[2 * id + 1]! > 0) || c.rstTs[2 * id]! > 0 || c.rstTs[2 * id + 1]! > 0;
  }

  private open(id: number, ts: number, dir: number): void {
    if (this.c.stream[id]! >= 0) this.retire(id);
    this.c.clear(id);
    this.c.stream[id] = this.nextStream++;
    this.c.firstTs[id] = ts;
    this.c.clientDir[id] = dir;
    this.runs.delete(2 * id);
    this.runs.delete(2 * id + 1);
    this.icmp.delete(id);
  }

  /** Was this IP id seen recently in this direction? (IPv6: the TCP timestamp stands in.) */
  /**
   * What tells a second copy of one packet (seen twice in an `-i any` capture) from a packet
   * sent again: the IP id, else the TCP timestamp value; 0 when neither can (IPv4 id 0, which
   * Linux uses for every DF packet of some sockets, and no timestamps): then it is never a copy.
   */
  private copyKey(f: Frame): number {
    const ipId = f.ipId();
    if (ipId > 0) return ipId + 1;
    const tsVal = f.tl!.tsVal;
    return tsVal >= 0 ? (tsVal + 0x10001) >>> 0 || 1 : 0;
  }

  private seenId(k: number, f: Frame): boolean {
    const id = this.copyKey(f);
    if (!id) return false;
    const r = this.c.recent;
    for (let i = k * RECENT; i < (k + 1) * RECENT; i++) if (r[i] === id) return true;
    return false;
  }

  private remember(k: number, f: Frame): void {
    const id = this.copyKey(f);
    if (!id) return;
    const p = this.c.recentPos[k]!;
    this.c.recent[k * RECENT + p] = id;
    this.c.recentPos[k] = (p + 1) % RECENT;
  }

  private handshake(f: Frame, isAck: boolean): void {
    const tl = f.tl!;
    const id = f.flow;
    let h = this.handshakes.get(id);
    if (!isAck) {
      if (h && h.isn !== tl.seq) {
        this.retireHandshake(h);
        h = undefined;
      }
      if (!h) {
        if (this.handshakes.size >= MAX_HANDSHAKES) {
          this.handshakesNotTracked++;
          return;
        }
        h = {
          flow: id,
          client: f.src(),
          server: f.dst(),
          isn: tl.seq,
          dir: f.dir,
          attempts: new TxList(),
          synacks: new TxList(),
          rst: null,
          icmp: [],
        };
        this.handshakes.set(id, h);
      }
      const sig = signature(TAG.SYN, tl.seq, f.ipId(), tl.tsVal);
      this.sigs.add(sig, f.n, f.ts);
      if (this.sigs.enabled && this.flowOfSyn.size < MAX_RETIRED * 16) this.flowOfSyn.set(sig, id);
      h.attempts.add(txOf(f, sig));
    } else if (h && h.dir !== f.dir && (tl.ack - 1) >>> 0 === h.isn) {
      const sig = signature(TAG.SYNACK, tl.seq, f.ipId(), tl.tsVal);
      this.sigs.add(sig, f.n, f.ts);
      h.synacks.add(txOf(f, sig));
    }
  }

  /** An ICMP error quoting a TCP packet of `flow` (seq `seq`): a refused SYN, or "fragmentation needed". */
  icmpError(flow: number, seq: number, f: Frame, type: number, code: number, mtu: number): void {
    this.liveCache = null;
    const sig = signature(TAG.ICMP, seq, (type << 8) | code, f.ipId());
    this.sigs.add(sig, f.n, f.ts);
    const note: IcmpNote = {
      frame: f.n,
      ts: f.ts,
      type,
      code,
      mtu,
      from: f.srcAddr(),
      seq,
      sig,
      ttl: f.ip?.ttl ?? -1,
      outerTtl: outerTtl(f),
    };
    const h = this.handshakes.get(flow);
    if (h && h.isn === seq && h.icmp.length < this.maxFrames) h.icmp.push(note);
    let list = this.icmp.get(flow);
    if (!list) this.icmp.set(flow, (list = []));
    if (list.length < this.maxFrames) list.push(note);
  }

  /** A handshake replaced by a new attempt on the same ports. */
  private retireHandshake(h: Handshake): void {
    this.handshakes.delete(h.flow);
    if (this.retiredFull(h)) return;
    const s = connSummary(this, this.flows, h.flow, h, false);
    if (!worth(s)) return;
    if (this.retired.length < MAX_RETIRED) this.retired.push(s);
    else this.retiredDropped++;
  }

  /** Keep what is worth reporting of a flow that is going away. */
  private retire(id: number): void {
    const h = this.handshakes.get(id) ?? null;
    this.handshakes.delete(id);
    // A flood evicts millions of flows: past both caps, only count (summarising is the cost).
    const rowsFull = this.closedRows.length >= MAX_CONVERSATION_ROWS;
    if (rowsFull) this.closedRowsDropped++;
    if (rowsFull && this.retiredFull(h)) return;
    const s = connSummary(this, this.flows, id, h, false);
    if (!rowsFull) this.closedRows.push(connRow(s, this.firstPacketTs));
    if (worth(s)) {
      if (this.retired.length < MAX_RETIRED) this.retired.push(s);
      else this.retiredDropped++;
    }
  }

  /**
   * The retired list is full: count a connection that would have been kept (judged from its
   * handshake alone: summarising it is the costly part) and skip the summary. A flood evicts
   * millions of flows; only the first MAX_RETIRED are summarised.
   */
  private retiredFull(h: Handshake | null): boolean {
    if (this.retired.length < MAX_RETIRED) return false;
    if (h && (h.attempts.count > 1 || h.synacks.count > 1 || h.rst !== null || h.icmp.length > 0)) this.retiredDropped++;
    return true;
  }

  /** The flow id is being recycled. */
  evict(id: number): void {
    this.liveCache = null;
    if (this.c.stream[id]! >= 0) this.retire(id);
    this.c.stream[id] = -1;
    this.runs.delete(2 * id);
    this.runs.delete(2 * id + 1);
    this.icmp.delete(id);
  }

  /** Every connection worth reporting: retired ones, then the live ones. */
  *connections(all = false): Iterable<ConnSummary> {
    yield* this.retired;
    // Several rules and the point locator ask at the end of a capture: summarise the live flows
    // once (a flood leaves tens of thousands), not once per rule.
    if (!this.liveCache) {
      this.liveCache = [];
      for (let id = 0; id < this.c.stream.length; id++) {
        if (this.c.stream[id]! < 0) continue;
        this.liveCache.push(connSummary(this, this.flows, id, this.handshakes.get(id) ?? null, true));
      }
    }
    for (const s of this.liveCache) if (all || worth(s)) yield s;
  }

  /** Summaries of the live flows for connections(); cleared by any new packet or eviction. */
  private liveCache: ConnSummary[] | null = null;

  /** Every handshake: of retired connections, then the live ones. */
  *allHandshakes(): Iterable<Handshake> {
    for (const s of this.retired) if (s.handshake) yield s.handshake;
    yield* this.handshakes.values();
  }
}

export type { Tx };

/** TTL of the tunnel's outer IP header around `f`, -1 when not tunnelled. */
/** A run of one segment (`seq`, `len` bytes) with no transmission counted yet. */
function newRun(seq: number, len: number): Run {
  return { seq, len, count: 0, original: false, frames: [], times: [], df: false, outerDf: false, acked: false };
}

function outerTtl(f: Frame): number {
  return f.outer ? (f.d.layers[f.d.layers[f.outer.layerIndex]!.ipIndex]?.ttl ?? -1) : -1;
}

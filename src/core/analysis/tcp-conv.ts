/**
 * TCP conversations, tracked once per frame for every rule (like Wireshark's TCP analysis that
 * its expert info reads): stream numbers as tshark gives them, who opened the connection, bytes,
 * segments, retransmissions and data times per direction, and the handshake of each connection
 * attempt (SYN transmissions, SYN-ACKs, the RST or ICMP error that refused it).
 *
 * Per-flow state is struct-of-arrays indexed by flow id (and 2 * id + direction); handshakes are
 * objects, but only for flows that sent a SYN. When the flow table evicts a flow, a handshake
 * worth reporting is retired into a bounded list, the rest is forgotten.
 */
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../decode/layers';
import type { Frame } from './frame';
import { signature, TxList, txOf, type Tx } from './tx';

/** tcp.analysis flag: a retransmitted segment. */
export const A_RETRANSMISSION = 1;

/** Recent IP ids per direction: a packet seen twice (`-i any`) is not a retransmission. */
const RECENT = 8;
/** Handshakes kept after their flow was evicted. */
const MAX_RETIRED = 10_000;

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
  rst: { frame: number; ts: number } | null;
  /** ICMP/ICMPv6 errors quoting one of the SYNs. */
  icmp: { frame: number; ts: number; type: number; code: number; from: string }[];
}

export class TcpConversations {
  stream: Int32Array;
  private nextStream = 0;
  firstTs: Float64Array;
  lastTs: Float64Array;
  /** Direction of the opener (SYN sender, else first packet), per flow. */
  clientDir: Int8Array;
  /** Per direction (2 * flow + dir). */
  nextSeq: Uint32Array;
  hasSeq: Uint8Array;
  bytes: Float64Array;
  segments: Uint32Array;
  retrans: Uint32Array;
  maxSeg: Uint32Array;
  lastDataTs: Float64Array;
  fin: Uint8Array;
  rst: Uint8Array;
  private recent: Uint32Array;
  private recentPos: Uint8Array;
  /** Live handshakes by flow id. */
  readonly handshakes = new Map<number, Handshake>();
  /** Handshakes of evicted flows or replaced by a new attempt on the same ports. */
  readonly retired: Handshake[] = [];
  retiredDropped = 0;
  /** Frames of retransmitted data segments per direction key (2 * flow + dir), capped per list. */
  readonly retransFrames = new Map<number, { from: string; to: string; frames: number[] }>();
  /** Retransmissions of evicted flows (bounded like the retired handshakes). */
  readonly retiredRetrans: { from: string; to: string; frames: number[]; count: number }[] = [];
  /** Transmission signatures of SYNs (and SYN-ACKs) -> frame, for the other capture to match. */
  readonly sigs: Map<number, number>;

  constructor(
    capacity: number,
    sigs: Map<number, number>,
    private readonly maxFrames: number,
    private readonly maxSigs: number,
  ) {
    this.sigs = sigs;
    this.stream = new Int32Array(capacity).fill(-1);
    this.firstTs = new Float64Array(capacity);
    this.lastTs = new Float64Array(capacity);
    this.clientDir = new Int8Array(capacity).fill(-1);
    this.nextSeq = new Uint32Array(2 * capacity);
    this.hasSeq = new Uint8Array(2 * capacity);
    this.bytes = new Float64Array(2 * capacity);
    this.segments = new Uint32Array(2 * capacity);
    this.retrans = new Uint32Array(2 * capacity);
    this.maxSeg = new Uint32Array(2 * capacity);
    this.lastDataTs = new Float64Array(2 * capacity);
    this.fin = new Uint8Array(2 * capacity);
    this.rst = new Uint8Array(2 * capacity);
    this.recent = new Uint32Array(2 * capacity * RECENT);
    this.recentPos = new Uint8Array(2 * capacity);
  }

  /** Follow the flow table's growth: per-flow arrays get the new capacity, contents kept. */
  grow(capacity: number): void {
    const g = <A extends Int32Array | Float64Array | Int8Array | Uint32Array | Uint8Array>(a: A, n: number, fill = 0): A => {
      const b = new (a.constructor as new (n: number) => A)(n);
      if (fill) b.fill(fill);
      b.set(a);
      return b;
    };
    this.stream = g(this.stream, capacity, -1);
    this.firstTs = g(this.firstTs, capacity);
    this.lastTs = g(this.lastTs, capacity);
    this.clientDir = g(this.clientDir, capacity, -1);
    this.nextSeq = g(this.nextSeq, 2 * capacity);
    this.hasSeq = g(this.hasSeq, 2 * capacity);
    this.bytes = g(this.bytes, 2 * capacity);
    this.segments = g(this.segments, 2 * capacity);
    this.retrans = g(this.retrans, 2 * capacity);
    this.maxSeg = g(this.maxSeg, 2 * capacity);
    this.lastDataTs = g(this.lastDataTs, 2 * capacity);
    this.fin = g(this.fin, 2 * capacity);
    this.rst = g(this.rst, 2 * capacity);
    this.recent = g(this.recent, 2 * capacity * RECENT);
    this.recentPos = g(this.recentPos, 2 * capacity);
  }

  /** Transmissions not indexed: the signature map was full. */
  sigsDropped = 0;

  private index(sig: number, n: number): void {
    if (this.sigs.has(sig)) return;
    if (this.sigs.size < this.maxSigs) this.sigs.set(sig, n);
    else this.sigsDropped++;
  }

  /** Streams numbered so far. */
  get streams(): number {
    return this.nextStream;
  }

  /** Track one TCP segment (full header); returns tcp.analysis flags for the frame. */
  update(f: Frame): number {
    const id = f.flow;
    const tl = f.tl!;
    const flags = tl.tcpFlags;
    const dir = f.dir;
    const k = 2 * id + dir;
    const syn = (flags & TCP_SYN) !== 0;
    const ack = (flags & TCP_ACK) !== 0;
    // A new stream: the first packet of a flow, or a new SYN after the previous connection ended.
    if (this.stream[id]! < 0 || (syn && !ack && this.closed(id))) this.open(id, f.ts, dir);
    this.lastTs[id] = f.ts;
    if (syn && !ack) this.clientDir[id] = dir;
    let out = 0;
    const len = tl.payloadLen + (syn ? 1 : 0) + (flags & TCP_FIN ? 1 : 0);
    if (len > 0) {
      const end = (tl.seq + len) >>> 0;
      if (!this.hasSeq[k]) {
        this.hasSeq[k] = 1;
        this.nextSeq[k] = end;
      } else if (((end - this.nextSeq[k]!) | 0) <= 0) {
        // Nothing new: a retransmission, unless it is a keep-alive (one byte just below the
        // next sequence number) or a second copy of a packet already seen (same IP id).
        const keepAlive = tl.payloadLen <= 1 && !syn && end === this.nextSeq[k];
        if (!keepAlive && !this.seenId(k, f)) {
          out |= A_RETRANSMISSION;
          if (tl.payloadLen > 0) {
            // Data retransmissions (SYN retries are the handshakes' business).
            this.retrans[k]!++;
            let r = this.retransFrames.get(k);
            if (!r) this.retransFrames.set(k, (r = { from: f.src(), to: f.dst(), frames: [] }));
            if (r.frames.length < this.maxFrames) r.frames.push(f.n);
          }
        }
      } else this.nextSeq[k] = end;
    }
    this.remember(k, f);
    if (tl.payloadLen > 0) {
      this.bytes[k] = this.bytes[k]! + tl.payloadLen;
      this.lastDataTs[k] = f.ts;
      if (tl.payloadLen > this.maxSeg[k]!) this.maxSeg[k] = tl.payloadLen;
    }
    this.segments[k]!++;
    if (flags & TCP_FIN) this.fin[k] = 1;
    if (flags & TCP_RST) this.rst[k] = 1;
    if (syn) this.handshake(f, ack);
    else if (flags & TCP_RST) {
      const h = this.handshakes.get(id);
      if (h && h.dir !== dir && !h.rst && !h.synacks.count) h.rst = { frame: f.n, ts: f.ts };
    }
    return out;
  }

  private closed(id: number): boolean {
    return (this.fin[2 * id] === 1 && this.fin[2 * id + 1] === 1) || this.rst[2 * id] === 1 || this.rst[2 * id + 1] === 1;
  }

  private open(id: number, ts: number, dir: number): void {
    this.stream[id] = this.nextStream++;
    this.firstTs[id] = ts;
    this.clientDir[id] = dir;
    for (const k of [2 * id, 2 * id + 1]) {
      this.hasSeq[k] = 0;
      this.bytes[k] = 0;
      this.segments[k] = 0;
      this.retrans[k] = 0;
      this.maxSeg[k] = 0;
      this.lastDataTs[k] = 0;
      this.fin[k] = 0;
      this.rst[k] = 0;
      this.recentPos[k] = 0;
      this.recent.fill(0, k * RECENT, (k + 1) * RECENT);
      this.retransFrames.delete(k);
    }
  }

  /** Was this IP id seen recently in this direction? (IPv6: the TCP timestamp stands in.) */
  private seenId(k: number, f: Frame): boolean {
    const id = (f.ipId() >= 0 ? f.ipId() + 1 : f.tl!.tsVal + 1) >>> 0;
    for (let i = 0; i < RECENT; i++) if (this.recent[k * RECENT + i] === id) return true;
    return false;
  }

  private remember(k: number, f: Frame): void {
    const id = (f.ipId() >= 0 ? f.ipId() + 1 : f.tl!.tsVal + 1) >>> 0;
    const p = this.recentPos[k]!;
    this.recent[k * RECENT + p] = id;
    this.recentPos[k] = (p + 1) % RECENT;
  }

  private handshake(f: Frame, isAck: boolean): void {
    const tl = f.tl!;
    const id = f.flow;
    let h = this.handshakes.get(id);
    if (!isAck) {
      if (h && h.isn !== tl.seq) {
        this.retire(h);
        h = undefined;
      }
      if (!h) {
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
      const sig = signature(1, tl.seq, f.ipId(), tl.tsVal);
      this.index(sig, f.n);
      h.attempts.add(txOf(f, sig));
    } else if (h && h.dir !== f.dir && (tl.ack - 1) >>> 0 === h.isn) {
      const sig = signature(2, tl.seq, f.ipId(), tl.tsVal);
      this.index(sig, f.n);
      h.synacks.add(txOf(f, sig));
    }
  }

  /** An ICMP error quoting a SYN of flow `flow`: the attempt was refused or unreachable. */
  icmpError(flow: number, seq: number, f: Frame, type: number, code: number): void {
    const h = this.handshakes.get(flow);
    if (h && h.isn === seq && h.icmp.length < this.maxFrames)
      h.icmp.push({ frame: f.n, ts: f.ts, type, code, from: f.srcAddr() });
  }

  private retire(h: Handshake): void {
    this.handshakes.delete(h.flow);
    const worth = h.attempts.count > 1 || h.synacks.count > 1 || h.rst !== null || h.icmp.length > 0;
    if (!worth) return;
    if (this.retired.length < MAX_RETIRED) this.retired.push(h);
    else this.retiredDropped++;
  }

  /** The flow id is being recycled. */
  evict(id: number): void {
    const h = this.handshakes.get(id);
    if (h) this.retire(h);
    this.stream[id] = -1;
    for (const k of [2 * id, 2 * id + 1]) {
      const r = this.retransFrames.get(k);
      if (!r) continue;
      if (this.retiredRetrans.length < MAX_RETIRED) this.retiredRetrans.push({ ...r, count: this.retrans[k]! });
      else this.retiredDropped++;
      this.retransFrames.delete(k);
    }
  }

  /** Every handshake: retired ones first, then the live ones. */
  *allHandshakes(): Iterable<Handshake> {
    yield* this.retired;
    yield* this.handshakes.values();
  }
}

export type { Tx };

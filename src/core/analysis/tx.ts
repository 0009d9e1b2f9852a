/**
 * Transmissions: one SYN or DNS query as it left (or arrived), with the checksum states around
 * it and a numeric signature that identifies the same transmission in another capture (IPv4 id,
 * TCP sequence number and timestamp value survive NAT of ports and clock offsets). Copies of one
 * transmission in one capture (a `-i any` capture sees it inside and outside the tunnel) are
 * merged by an index, not a scan.
 */
import type { Attempt, CheckStatus, OuterState } from '../report';
import type { Frame } from './frame';

/** Two copies of one transmission (e.g. `-i any` inside and outside the tunnel) are this close. */
const DUP_WINDOW_SEC = 1;

export interface Tx {
  frame: number;
  ts: number;
  /** IPv4 id, -1 for IPv6. */
  ipId: number;
  tsVal: number;
  outer: OuterState;
  outerStored: number | null;
  outerComputed: number | null;
  /** Frame of a tunnelled copy that supplied the outer state (-1: this frame, or none). */
  outerFrame: number;
  tunnelPort: number | null;
  tunnelIpv6: boolean;
  inner: CheckStatus | 'none';
  sig: number;
}

/**
 * Transmission signatures of one capture -> where and when they were seen, for matching against
 * the other capture. Only kept when two captures are analysed, and bounded.
 */
export class SigIndex {
  readonly frame = new Map<number, number>();
  readonly ts = new Map<number, number>();
  /** Signatures not indexed because the index was full. */
  dropped = 0;

  constructor(
    readonly enabled: boolean,
    private readonly max: number,
  ) {}

  add(sig: number, n: number, ts: number): void {
    if (!this.enabled || this.frame.has(sig)) return;
    if (this.frame.size >= this.max) {
      this.dropped++;
      return;
    }
    this.frame.set(sig, n);
    this.ts.set(sig, ts);
  }
}

/** Signature tags: what kind of transmission a signature identifies. */
export const TAG = { SYN: 1, SYNACK: 2, DNS_QUERY: 3, DNS_RESPONSE: 4, RST: 7, ICMP: 8 } as const;

/** A signature from a tag (S, A, D, R ...) and up to three 32-bit identity fields. */
export function signature(tag: number, a: number, b: number, c: number): number {
  let h = Math.imul(tag + 0x9e3779b1, 0x85ebca6b) ^ (a >>> 0);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) ^ (b >>> 0);
  h = Math.imul(h ^ (h >>> 16), 0x27d4eb2f) ^ (c >>> 0);
  // 52 bits: the high part from a second mix keeps collisions out of reach for any capture.
  const hi = Math.imul(h ^ (h >>> 15), 0x165667b1) >>> 12;
  return hi * 0x100000000 + (h >>> 0);
}

/** The transmission of the current frame. */
export function txOf(f: Frame, sig: number): Tx {
  const o = f.outer;
  const d = f.d;
  const carrier = o ? d.layers[o.layerIndex]! : null;
  return {
    frame: f.n,
    ts: f.ts,
    ipId: f.ipId(),
    tsVal: f.tl ? f.tl.tsVal : -1,
    outer: o ? o.status : 'none',
    outerStored: o ? o.stored : null,
    outerComputed: o && o.computed >= 0 ? o.computed : null,
    outerFrame: -1,
    tunnelPort: carrier ? carrier.dstPort : null,
    tunnelIpv6: carrier ? d.layers[carrier.ipIndex]?.ipVersion === 6 : false,
    inner: f.innerStatus(),
    sig,
  };
}

/**
 * The transmissions of one connection attempt or query group, with copies merged: a copy has
 * the same IPv4 id (or, over IPv6, arrives within 10 ms) and the same TCP timestamp within a
 * second. A tunnelled copy supplies the outer checksum state of a plain one. Capped: beyond
 * `max` transmissions only the count grows.
 */
export class TxList {
  readonly list: Tx[] = [];
  /** Transmissions seen, including those beyond the cap. */
  count = 0;
  /**
   * Index by (IP id, TCP timestamp) for lists past SCAN_MAX entries; shorter lists (nearly all:
   * a SYN flood is millions of one-entry lists) are scanned, which costs no Map per list.
   */
  private byId: Map<number, Tx> | null = null;

  constructor(private readonly max = 1000) {}

  private static key(x: Tx): number {
    return x.ipId >= 0 ? x.ipId * 4294967296 + (x.tsVal >>> 0) : -1 - (x.tsVal >>> 0);
  }

  private find(key: number): Tx | undefined {
    if (this.byId) return this.byId.get(key);
    // Newest first: a copy (the same packet seen twice) follows its original closely.
    for (let i = this.list.length - 1; i >= 0; i--) if (TxList.key(this.list[i]!) === key) return this.list[i];
    return undefined;
  }

  /** Add `x` unless it is a copy of one already listed; returns true when it is new. */
  add(x: Tx): boolean {
    const key = TxList.key(x);
    const a = this.find(key);
    if (a && Math.abs(a.ts - x.ts) <= (x.ipId >= 0 ? DUP_WINDOW_SEC : 0.01)) {
      if (a.outer === 'none' && x.outer !== 'none') {
        a.outer = x.outer;
        a.outerStored = x.outerStored;
        a.outerComputed = x.outerComputed;
        a.outerFrame = x.frame;
        a.tunnelPort = x.tunnelPort;
        a.tunnelIpv6 = x.tunnelIpv6;
      }
      return false;
    }
    this.count++;
    if (this.list.length >= this.max) return true;
    this.list.push(x);
    if (this.byId) this.byId.set(key, x);
    else if (this.list.length > SCAN_MAX) this.byId = new Map(this.list.map((t) => [TxList.key(t), t]));
    return true;
  }
}

/** Lists up to this long are searched by a scan instead of an index. */
const SCAN_MAX = 16;

/** Seconds rounded to microseconds (report values). */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** An attempt of the report, from a transmission; `other` gives its frame in the other capture. */
export function toAttempt(a: Tx, first: number, other: ReadonlyMap<number, number> | null): Attempt {
  const at: Attempt = {
    frame: a.frame,
    ts: a.ts,
    offsetSec: round6(a.ts - first),
    outerChecksum: a.outer,
    outerStored: a.outerStored,
    outerComputed: a.outerComputed,
    tunnelPort: a.tunnelPort,
    ...(a.tunnelIpv6 ? { tunnelIpv6: true } : {}),
    innerChecksum: a.inner,
  };
  if (a.outerFrame >= 0) at.outerFrame = a.outerFrame;
  if (other) {
    const o = other.get(a.sig);
    at.delivered = o !== undefined;
    if (o !== undefined) at.otherFrame = o;
  }
  return at;
}

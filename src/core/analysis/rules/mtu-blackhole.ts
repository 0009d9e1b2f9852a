/**
 * mtu-blackhole: one full-size segment sent again and again at growing intervals and never
 * acknowledged, while smaller packets of the same connection pass (the handshake, a short first
 * answer): the path drops packets above some size. The evidence is stated, not assumed: the
 * sizes lost and delivered, DF on the inner and on the tunnel header, and whether an ICMP
 * "fragmentation needed" / "packet too big" was seen (and the MTU it announces) or not.
 */
import type { FindingBase } from '../../report';
import type { ConnSummary, DirSummary, Run } from '../conn-summary';
import { fmtS, type Lang } from '../i18n';
import { defineRule } from '../rule';
import { round6 } from '../tx';

export interface MtuFinding extends FindingBase {
  kind: 'mtu-blackhole';
  client: string;
  server: string;
  /** The direction that loses its large segments. */
  from: string;
  to: string;
  /** Size (TCP payload) of the segment sent again and again. */
  lostSize: number;
  /** Largest segment of that direction seen acknowledged, null when none was. */
  deliveredMax: number | null;
  /** ICMP fragmentation-needed / packet-too-big frames quoting this connection (possibly none). */
  icmpFragNeeded: number[];
  /** MTU those ICMP messages announce, null without any. */
  mtu: number | null;
  /** Transmissions of the lost segment, and their offsets (s) from the first. */
  transmissions: number;
  /** The first of `frames` is the original transmission (seen), the rest are retransmissions. */
  originalSeen: boolean;
  offsets: number[];
  /** The handshake (last SYN, its SYN-ACK) that shows small packets pass: shared with the evidence. */
  handshakeFrames: number[];
  /** DF set on the inner IP header, and on the tunnel's outer header (seen here). */
  df: boolean;
  outerDf: boolean;
}

declare module '../../report' {
  interface FindingMap {
    'mtu-blackhole': MtuFinding;
  }
}

const TITLE: Record<Lang, (from: string, to: string, size: number, n: number, over: number) => string> = {
  en: (from, to, size, n, over) =>
    `${size}-byte segment from ${from} to ${to} sent ${n} times over ${fmtS(over)} s and never acknowledged`,
  zh: (from, to, size, n, over) => `${from} 发往 ${to} 的 ${size} 字节数据段在 ${fmtS(over)} 秒内发送了 ${n} 次，始终未被确认`,
};

/** Fragmentation needed (ICMP 3/4) or packet too big (ICMPv6 2). */
export function isFragNeeded(type: number, code: number, v6: boolean): boolean {
  return v6 ? type === 2 : type === 3 && code === 4;
}

/** The black hole of one direction of a connection, or null. */
export function blackHole(s: ConnSummary, d: DirSummary): Run | null {
  const run = d.worstRun;
  if (!run || run.count < 3 || run.acked || run.len < 500) return null;
  // Smaller packets pass: the handshake completed, or a smaller segment was acknowledged.
  const small = s.synAckDelay >= 0 || d.deliveredMax > 0;
  if (!small || (d.deliveredMax > 0 && d.deliveredMax >= run.len)) return null;
  // Retransmission timer backoff: each gap at least about as long as the previous one.
  const t = run.times;
  for (let i = 2; i < t.length; i++) if (t[i]! - t[i - 1]! < 0.8 * (t[i - 1]! - t[i - 2]!)) return null;
  return run;
}

/** Frames of the connection's last SYN and its SYN-ACK, when seen. */
function handshakeFrames(s: ConnSummary): number[] {
  const h = s.handshake;
  if (!h) return [];
  const syn = h.attempts.list[h.attempts.list.length - 1];
  const ack = h.synacks.list[h.synacks.list.length - 1];
  return [syn?.frame ?? 0, ack?.frame ?? 0].filter((n) => n > 0);
}

export const MTU_BLACKHOLE = defineRule<null, MtuFinding>({
  kinds: ['mtu-blackhole'],
  create: () => null,
  finish(_s, ctx) {
    const out: MtuFinding[] = [];
    for (const s of ctx.trackers.tcp.connections()) {
      for (const d of [s.s2c, s.c2s]) {
        const run = blackHole(s, d);
        if (!run) continue;
        const icmp = s.icmp.filter((i) => isFragNeeded(i.type, i.code, i.from.includes(':')));
        const t0 = run.times[0]!;
        out.push({
          kind: 'mtu-blackhole',
          severity: 'error',
          title: TITLE[ctx.lang](d.from, d.to, run.len, run.count, run.times[run.times.length - 1]! - t0),
          capture: ctx.cap,
          frames: run.frames,
          client: s.client,
          server: s.server,
          from: d.from,
          to: d.to,
          lostSize: run.len,
          deliveredMax: d.deliveredMax || null,
          icmpFragNeeded: icmp.map((i) => i.frame),
          mtu: icmp.length ? icmp[0]!.mtu : null,
          transmissions: run.count,
          originalSeen: run.original,
          offsets: run.times.map((x) => round6(x - t0)),
          handshakeFrames: handshakeFrames(s),
          df: run.df,
          outerDf: run.outerDf,
        });
      }
    }
    return out;
  },
  evidence: (x) => [...x.handshakeFrames, ...x.frames, ...x.icmpFragNeeded].map((frame) => ({ capture: x.capture, frame })),
  timeline: (x) => ({
    points: x.offsets.map((o, i) => ({
      offsetSec: o,
      frame: x.frames[i]!,
      kind: i === 0 && x.originalSeen ? ('attempt' as const) : ('retransmission' as const),
      lane: 0 as const,
      label: `${x.lostSize} B`,
    })),
    reference: [],
  }),
});

/**
 * transfer-stalled: data flowed in one direction, then nothing more for seconds, and the
 * receiving end gave up (closed or reset the connection) while the sender had not finished.
 * Seen from the receiving side of a black hole, or of a server that hangs: this capture alone
 * cannot tell which; a capture at the sender can.
 */
import type { FindingBase } from '../../report';
import type { ConnSummary, DirSummary } from '../conn-summary';
import { fmtS, type Lang } from '../i18n';
import { defineRule } from '../rule';
import { round6 } from '../tx';

export interface StalledFinding extends FindingBase {
  kind: 'transfer-stalled';
  client: string;
  server: string;
  /** The direction whose data stopped. */
  from: string;
  to: string;
  /** Seconds from the last data to the receiver's close. */
  stalledSec: number;
  /** Bytes that had arrived before the stall. */
  bytesBefore: number;
  /** Frames: the last data segment, then the receiver's FIN or RST. */
  lastDataFrame: number;
  closeFrame: number;
}

declare module '../../report' {
  interface FindingMap {
    'transfer-stalled': StalledFinding;
  }
}

const TITLE: Record<Lang, (from: string, to: string, bytes: number, sec: number) => string> = {
  en: (from, to, bytes, sec) => `Data from ${from} to ${to} stopped after ${bytes} bytes; ${to} gave up ${fmtS(sec)} s later`,
  zh: (from, to, bytes, sec) => `${from} 发往 ${to} 的数据在 ${bytes} 字节后中断；${fmtS(sec)} 秒后 ${to} 放弃了连接`,
};

/** Silence (s) after which a receiver that gives up counts as stalled. */
const STALL_SEC = 2;

/** The stall of direction `d` (data) of connection `s`, or null. */
export function stall(d: DirSummary, back: DirSummary): { sec: number } | null {
  if (d.bytes <= 0 || d.finTs || d.rstTs || d.retrans) return null;
  const close = back.finTs || back.rstTs;
  if (!close || close < d.lastDataTs) return null;
  const sec = close - d.lastDataTs;
  return sec >= STALL_SEC ? { sec } : null;
}

function finding(s: ConnSummary, d: DirSummary, back: DirSummary, cap: number, lang: Lang): StalledFinding | null {
  const st = stall(d, back);
  if (!st) return null;
  return {
    kind: 'transfer-stalled',
    severity: 'warning',
    title: TITLE[lang](d.from, d.to, d.bytes, st.sec),
    capture: cap,
    frames: [d.lastDataFrame, back.closeFrame].filter((n) => n > 0),
    client: s.client,
    server: s.server,
    from: d.from,
    to: d.to,
    stalledSec: round6(st.sec),
    bytesBefore: d.bytes,
    lastDataFrame: d.lastDataFrame,
    closeFrame: back.closeFrame,
  };
}

export const TRANSFER_STALLED = defineRule<null, StalledFinding>({
  kinds: ['transfer-stalled'],
  create: () => null,
  finish(_s, ctx) {
    const out: StalledFinding[] = [];
    for (const s of ctx.trackers.tcp.connections()) {
      const f = finding(s, s.s2c, s.c2s, ctx.cap, ctx.lang) ?? finding(s, s.c2s, s.s2c, ctx.cap, ctx.lang);
      if (f) out.push(f);
    }
    return out;
  },
  timeline: (x) => ({
    points: [
      { offsetSec: 0, frame: x.lastDataFrame, kind: 'retransmission', lane: 0, label: `${x.bytesBefore} B` },
      { offsetSec: x.stalledSec, frame: x.closeFrame, kind: 'end', lane: 0, label: 'FIN' },
    ],
    reference: [],
  }),
});

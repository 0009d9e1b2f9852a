/**
 * tcp-retransmission: data segments sent again in one direction of a connection (not SYNs, not
 * keep-alives, not a second copy of the same packet in an `-i any` capture).
 */
import type { FindingBase } from '../../report';
import { s, type Lang } from '../i18n';
import { defineRule } from '../rule';

export interface RetransmissionFinding extends FindingBase {
  kind: 'tcp-retransmission';
  /** Total count (`frames` lists at most the first maxFrames). */
  count: number;
  client: string;
  server: string;
}

declare module '../../report' {
  interface FindingMap {
    'tcp-retransmission': RetransmissionFinding;
  }
}

const TITLE: Record<Lang, (from: string, to: string, n: number) => string> = {
  en: (from, to, n) => `${n} retransmitted data segment${s(n)} from ${from} to ${to}`,
  zh: (from, to, n) => `${from} 发往 ${to} 的数据段重传 ${n} 次`,
};

export const TCP_RETRANSMISSION = defineRule<null, RetransmissionFinding>({
  kinds: ['tcp-retransmission'],
  create: () => null,
  finish(_s, ctx) {
    const out: RetransmissionFinding[] = [];
    for (const s of ctx.trackers.tcp.connections()) {
      for (const d of [s.c2s, s.s2c]) {
        if (!d.retrans) continue;
        out.push({
          kind: 'tcp-retransmission',
          severity: 'info',
          title: TITLE[ctx.lang](d.from, d.to, d.retrans),
          capture: ctx.cap,
          frames: d.retransFrames,
          count: d.retrans,
          client: d.from,
          server: d.to,
        });
      }
    }
    return out;
  },
});

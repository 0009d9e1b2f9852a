/**
 * connection-refused: a SYN answered by a RST (nothing listens, or a `reject with tcp reset`
 * rule) or by an ICMP/ICMPv6 destination unreachable (port unreachable; administratively
 * prohibited: a `reject` rule, a NetworkPolicy). One attempt, one answer, no retries, usually.
 */
import type { FindingBase } from '../../report';
import type { Handshake } from '../conn-summary';
import { fmtS, icmpName, type Lang } from '../i18n';
import { defineRule, type Timeline } from '../rule';
import { round6 } from '../tx';

export type RefusalAnswer = 'rst' | 'icmp-port-unreachable' | 'icmp-admin-prohibited' | 'icmp-other';

export interface RefusedFinding extends FindingBase {
  kind: 'connection-refused';
  client: string;
  server: string;
  answer: RefusalAnswer;
  /** Frame of the RST or ICMP error. */
  answerFrame: number;
  /** Who sent the ICMP error (the server's host, or a router or firewall on the way). */
  answeredBy: string;
  /** ICMP type and code of the answer, null for a RST. */
  icmp: { type: number; code: number } | null;
  attempts: number;
  /** Seconds of each SYN after the first. */
  attemptOffsets: number[];
  /** First SYN to the answer, seconds. */
  delaySec: number;
}

declare module '../../report' {
  interface FindingMap {
    'connection-refused': RefusedFinding;
  }
}

const TITLE: Record<Lang, (c: string, s: string, how: string, delay: number) => string> = {
  en: (c, s, how, delay) => `Connection from ${c} to ${s} refused (${how}) after ${fmtS(delay)} s`,
  zh: (c, s, how, delay) => `${c} 到 ${s} 的连接被拒绝（${how}），耗时 ${fmtS(delay)} 秒`,
};

/** How an ICMP unreachable is classified (type 3 over IPv4, type 1 over IPv6). */
export function refusalOf(type: number, code: number, v6: boolean): RefusalAnswer {
  if (!v6 && type === 3)
    return code === 3
      ? 'icmp-port-unreachable'
      : code === 9 || code === 10 || code === 13
        ? 'icmp-admin-prohibited'
        : 'icmp-other';
  if (v6 && type === 1) return code === 4 ? 'icmp-port-unreachable' : code === 1 ? 'icmp-admin-prohibited' : 'icmp-other';
  return 'icmp-other';
}

/** The refusal of a handshake, or null when it was not refused. */
export function refusal(
  h: Handshake,
): { answer: RefusalAnswer; frame: number; ts: number; by: string; icmp: { type: number; code: number } | null } | null {
  if (h.synacks.count) return null;
  const i = h.icmp.find((x) => (x.type === 3 && !x.from.includes(':')) || (x.type === 1 && x.from.includes(':')));
  if (h.rst && (!i || h.rst.ts <= i.ts))
    return {
      answer: 'rst',
      frame: h.rst.frame,
      ts: h.rst.ts,
      by: h.server.replace(/:\d+$/, '').replace(/^\[|\]$/g, ''),
      icmp: null,
    };
  if (i)
    return {
      answer: refusalOf(i.type, i.code, i.from.includes(':')),
      frame: i.frame,
      ts: i.ts,
      by: i.from,
      icmp: { type: i.type, code: i.code },
    };
  return null;
}

export const CONNECTION_REFUSED = defineRule<null, RefusedFinding>({
  kinds: ['connection-refused'],
  create: () => null,
  finish(_s, ctx) {
    const out: RefusedFinding[] = [];
    for (const h of ctx.trackers.tcp.allHandshakes()) {
      const r = refusal(h);
      const first = h.attempts.list[0];
      if (!r || !first) continue;
      const how = r.answer === 'rst' ? 'RST' : `ICMP ${icmpName(ctx.lang, r.icmp!.type, r.icmp!.code, r.by.includes(':'))}`;
      out.push({
        kind: 'connection-refused',
        severity: 'error',
        title: TITLE[ctx.lang](h.client, h.server, how, r.ts - first.ts),
        capture: ctx.cap,
        frames: [...h.attempts.list.map((a) => a.frame), r.frame],
        client: h.client,
        server: h.server,
        answer: r.answer,
        answerFrame: r.frame,
        answeredBy: r.by,
        icmp: r.icmp,
        attempts: h.attempts.count,
        attemptOffsets: h.attempts.list.map((a) => round6(a.ts - first.ts)),
        delaySec: round6(r.ts - first.ts),
      });
    }
    return out;
  },
  timeline(x) {
    const points: Timeline['points'] = x.attemptOffsets.map((o, i) => ({
      offsetSec: o,
      frame: x.frames[i]!,
      kind: 'attempt',
      lane: 0,
      label: 'SYN',
    }));
    points.push({
      offsetSec: x.delaySec,
      frame: x.answerFrame,
      kind: 'answer',
      lane: 0,
      label: x.answer === 'rst' ? 'RST' : 'ICMP',
    });
    return { points, reference: [] };
  },
});

/**
 * dns-unanswered: DNS queries with no response in the capture (a lone query in the last second
 * may simply not be answered yet), with the resolver's retry interval when it is steady (dig and
 * glibc: 5 s), and the ICMP errors that refused them when the server's host answered with one.
 */
import type { Attempt, FindingBase } from '../../report';
import type { DnsGroup } from '../dns-tx';
import { icmpName, s, type Lang } from '../i18n';
import { defineRule } from '../rule';
import { toAttempt, type Tx } from '../tx';

export interface DnsFinding extends FindingBase {
  kind: 'dns-unanswered';
  name: string;
  qtype: number;
  client: string;
  server: string;
  queries: number;
  attemptList: Attempt[];
  delivered?: number;
  /** Seconds between retries when the resolver retries at a steady interval (dig and glibc: 5 s), else null. */
  retryInterval: number | null;
  /** Reference marks for the timeline: multiples of `retryInterval`. */
  expectedOffsets: number[];
  /** The queries were refused with ICMP errors (e.g. port unreachable): who sent them, which frames. */
  rejectedBy?: { from: string; icmpType: number; icmpCode: number; frames: number[] };
}

declare module '../../report' {
  interface FindingMap {
    'dns-unanswered': DnsFinding;
  }
}

const TITLE: Record<Lang, (name: string, server: string, n: number, answered: number, rejected: string | null) => string> = {
  en: (name, server, n, answered, rejected) =>
    `DNS query for ${name} to ${server} ${rejected ? `refused with ICMP ${rejected}` : 'unanswered'} (${n} transmission${s(n)}${answered ? `; ${answered} other answered` : ''})`,
  zh: (name, server, n, answered, rejected) =>
    `发往 ${server} 的 ${name} DNS 查询${rejected ? `被 ICMP ${rejected} 拒绝` : '无应答'}（发送 ${n} 次${answered ? `；另有 ${answered} 次得到应答` : ''}）`,
};

/**
 * The retry interval when every gap is within 15 % of the median gap (a resolver timeout such as
 * dig's and glibc's 5 s), rounded to a tenth of a second; null otherwise.
 */
export function steadyInterval(offsets: number[]): number | null {
  if (offsets.length < 2) return null;
  const gaps = offsets.slice(1).map((o, i) => o - offsets[i]!);
  const median = gaps.slice().sort((a, b) => a - b)[gaps.length >> 1]!;
  if (median < 0.05 || gaps.some((g) => Math.abs(g - median) > 0.15 * median)) return null;
  return Math.round(median * 10) / 10;
}

function finding(
  g: DnsGroup,
  cap: number,
  lastTs: number,
  other: ReadonlyMap<number, number> | null,
  lang: Lang,
): DnsFinding | null {
  let pending: Tx[] = [];
  for (const list of g.pending.values()) pending.push(...list);
  // Queries asked again and answered then are retried (dns-retried), not unanswered: only what
  // is still pending after the group's last answer counts.
  let last = -Infinity;
  for (const a of g.answers.values()) last = Math.max(last, a.ts);
  pending = pending.filter((p) => p.ts > last);
  if (!pending.length) return null;
  pending.sort((a, b) => a.ts - b.ts);
  // A lone query in the last second of the capture may simply not have been answered yet.
  if (pending.length < 2 && lastTs - pending[0]!.ts < 1 && !g.rejected) return null;
  const first = pending[0]!.ts;
  const attemptList = pending.map((a) => toAttempt(a, first, other));
  const interval = steadyInterval(attemptList.map((a) => a.offsetSec));
  const f: DnsFinding = {
    kind: 'dns-unanswered',
    severity: g.answers.size ? 'warning' : 'error',
    title: TITLE[lang](
      g.name,
      g.server,
      pending.length,
      g.answers.size,
      g.rejected ? icmpName(lang, g.rejected.icmpType, g.rejected.icmpCode, g.rejected.from.includes(':')) : null,
    ),
    capture: cap,
    frames: pending.map((p) => p.frame),
    name: g.name,
    qtype: g.qtype,
    client: g.client,
    server: g.server,
    queries: pending.length,
    attemptList,
    retryInterval: interval,
    expectedOffsets: interval ? attemptList.map((_, i) => Math.round(i * interval * 1000) / 1000) : [],
  };
  if (other) f.delivered = attemptList.filter((a) => a.delivered).length;
  if (g.rejected) f.rejectedBy = g.rejected;
  return f;
}

export const DNS_UNANSWERED = defineRule<null, DnsFinding>({
  kinds: ['dns-unanswered'],
  create: () => null,
  finish(_s, ctx) {
    const other = ctx.other ? ctx.other.sigs.frame : null;
    const out: DnsFinding[] = [];
    for (const g of ctx.trackers.dns.groups.values()) {
      const f = finding(g, ctx.cap, ctx.trackers.lastTs, other, ctx.lang);
      if (f) out.push(f);
    }
    return out;
  },
  evidence(x) {
    const out = x.attemptList.flatMap((a) => [
      { capture: x.capture, frame: a.frame },
      ...(a.outerFrame !== undefined ? [{ capture: x.capture, frame: a.outerFrame }] : []),
      ...(a.otherFrame !== undefined ? [{ capture: 1 - x.capture, frame: a.otherFrame }] : []),
    ]);
    // A refused query is reproduced only with the ICMP errors that refused it.
    for (const n of x.rejectedBy?.frames ?? []) out.push({ capture: x.capture, frame: n });
    return out;
  },
  timeline(x) {
    return {
      points: x.attemptList.map((a) => ({
        offsetSec: a.offsetSec,
        frame: a.frame,
        kind: 'attempt' as const,
        lane: 0 as const,
        label: a.outerChecksum,
      })),
      reference: x.expectedOffsets,
    };
  },
});

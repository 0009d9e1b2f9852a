/**
 * dns-retried: a DNS query answered only after the client asked again, typically after the
 * resolver's 5-second timeout. When the lost one left together with a query of another type from
 * the same socket (glibc's parallel A + AAAA) and that one was answered, it is the conntrack race
 * signature (`parallelLost`).
 */
import type { Attempt, FindingBase } from '../../report';
import type { DnsGroup, DnsLookup } from '../dns-tx';
import { fmtS, type Lang } from '../i18n';
import { defineRule, type Timeline } from '../rule';
import { round6, toAttempt } from '../tx';
import { qtypeName } from '../../decode/protocols/dns';

export interface DnsRetriedFinding extends FindingBase {
  kind: 'dns-retried';
  name: string;
  qtype: number;
  client: string;
  server: string;
  /** First query to the answer, seconds. */
  delaySec: number;
  /** Two queries left together from one socket and this one went unanswered (conntrack race). */
  parallelLost: boolean;
  /** The answered query of the pair, when `parallelLost`. */
  pair: { qtype: number; queryFrame: number; answerFrame: number; querySec: number; answerSec: number } | null;
  attemptList: Attempt[];
  answerFrame: number;
  delivered?: number;
}

declare module '../../report' {
  interface FindingMap {
    'dns-retried': DnsRetriedFinding;
  }
}

const TITLE: Record<Lang, (name: string, t: string, delay: number, n: number) => string> = {
  en: (name, t, delay, n) =>
    `DNS ${t} query for ${name} answered only after ${n - 1} retr${n === 2 ? 'y' : 'ies'}, ${fmtS(delay)} s after it was first sent`,
  zh: (name, t, delay, n) => `${name} 的 DNS ${t} 查询在重试 ${n - 1} 次后才得到应答，距首次发送 ${fmtS(delay)} 秒`,
};

/**
 * The answered sibling of a retried lookup: a query of another type for the same name that left
 * with the lookup's first query from the same socket and was answered before the retry.
 */
function sibling(
  g: DnsGroup,
  l: DnsLookup,
  all: Iterable<DnsGroup>,
): { g: DnsGroup; answer: number; query: number; qts: number; ats: number } | null {
  const q0 = l.queries[0]!;
  const q1 = l.queries[1];
  for (const o of all) {
    if (
      o === g ||
      o.qtype === g.qtype ||
      o.name !== g.name ||
      o.client !== g.client ||
      o.server !== g.server ||
      o.port !== g.port
    )
      continue;
    for (const a of o.answers.values()) {
      if (Math.abs(a.qts - q0.ts) > 0.05 || (q1 && a.ts >= q1.ts)) continue;
      const query = o.queries.list.find((x) => x.ts === a.qts);
      return { g: o, answer: a.frame, query: query ? query.frame : a.frame, qts: a.qts, ats: a.ts };
    }
  }
  return null;
}

/** Findings kept per capture (the slowest lookups). */
const MAX_FINDINGS = 100;

export const DNS_RETRIED = defineRule<null, DnsRetriedFinding>({
  kinds: ['dns-retried'],
  create: () => null,
  finish(_s, ctx) {
    const other = ctx.other ? ctx.other.sigs.frame : null;
    const groups = [...ctx.trackers.dns.groups.values()];
    const out: DnsRetriedFinding[] = [];
    for (const g of groups) {
      for (const l of g.retried) {
        const a = l.answer;
        const qs = l.queries;
        const n = l.count;
        const first = qs[0]!.ts;
        const sib = sibling(g, l, groups);
        const attemptList = qs.map((q) => toAttempt(q, first, other));
        const f: DnsRetriedFinding = {
          kind: 'dns-retried',
          severity: 'warning',
          title: TITLE[ctx.lang](g.name, qtypeName(g.qtype), a.ts - first, n),
          capture: ctx.cap,
          frames: [...qs.map((q) => q.frame), a.frame],
          name: g.name,
          qtype: g.qtype,
          client: g.client,
          server: g.server,
          delaySec: round6(a.ts - first),
          parallelLost: sib !== null,
          pair: sib
            ? {
                qtype: sib.g.qtype,
                queryFrame: sib.query,
                answerFrame: sib.answer,
                querySec: round6(sib.qts - first),
                answerSec: round6(sib.ats - first),
              }
            : null,
          attemptList,
          answerFrame: a.frame,
        };
        if (other) f.delivered = attemptList.filter((x) => x.delivered).length;
        out.push(f);
      }
    }
    // A resolver under loss retries thousands of lookups: the slowest tell the story.
    return out.sort((x, y) => y.delaySec - x.delaySec).slice(0, MAX_FINDINGS);
  },
  weight: (x) => x.delaySec,
  evidence: (x) =>
    [...x.frames, ...(x.pair ? [x.pair.queryFrame, x.pair.answerFrame] : [])].map((frame) => ({ capture: x.capture, frame })),
  timeline(x): Timeline {
    const t = qtypeName(x.qtype);
    const points: Timeline['points'] = x.attemptList.map((a) => ({
      offsetSec: a.offsetSec,
      frame: a.frame,
      kind: 'attempt',
      lane: 0,
      label: t,
    }));
    points.push({ offsetSec: x.delaySec, frame: x.answerFrame, kind: 'answer', lane: 0, label: t });
    // The parallel query of the other type, answered at once (lane 1 of the same capture).
    if (x.pair) {
      const p = qtypeName(x.pair.qtype);
      points.push({ offsetSec: x.pair.querySec, frame: x.pair.queryFrame, kind: 'attempt', lane: 1, label: p });
      points.push({ offsetSec: x.pair.answerSec, frame: x.pair.answerFrame, kind: 'answer', lane: 1, label: p });
    }
    return { points, reference: [] };
  },
});

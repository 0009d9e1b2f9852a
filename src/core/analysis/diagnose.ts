/**
 * From findings to one diagnosis: the causes (rules/causes/) are tried in priority order and the
 * first whose evidence is there decides. Conservative by design: checksums are blamed only when
 * they are genuinely bad, never for zero or offload values, and "no problem" is said with high
 * confidence only from a point that would have seen a failure (the client's end, or two points).
 */
import type { CaptureSummary, Diagnosis, Finding } from '../report';
import type { Lang, Text } from './i18n';
import type { Points } from './points';
import { headline } from './headline';
import { CAUSES } from './rules/causes';
import { CAVEATS, positionCaveats } from './rules/causes/common';

const T: Text<{
  noProblem(packets: number, offload: number): string;
  empty: string;
}> = {
  en: {
    noProblem: (packets, offload) =>
      `No problem found: ${packets} packets; no connection refused, retried, stalled or unanswered, no unanswered or slow DNS and no genuinely bad checksums.${offload ? ` ${offload} frames carry transmit-offload (partial) checksums, which is normal for a capture on the sending host.` : ''}`,
    empty: 'No packets to analyse: the capture is empty.',
  },
  zh: {
    noProblem: (packets, offload) =>
      `未发现问题：共 ${packets} 个报文；没有被拒绝、重传、停滞或无应答的连接，没有无应答或缓慢的 DNS，也没有真正错误的校验和。${offload ? `有 ${offload} 帧带有发送卸载（部分）校验和，这在发送端抓包中属于正常现象。` : ''}`,
    empty: '没有可分析的报文：抓包文件为空。',
  },
};

/** Total count of a kind's findings. */
function total(findings: Finding[], kind: string): number {
  return findings
    .filter((f) => f.kind === kind)
    .reduce((n, f) => n + ('count' in f && typeof f.count === 'number' ? f.count : f.frames.length), 0);
}

/** Points when the caller has none (tests that diagnose hand-made findings). */
function unknownPoints(captures: CaptureSummary[]): Points {
  return {
    sides: captures.map((c) => c.side ?? 'unknown'),
    tunnels: captures.map((c) => (c.tunnel === 'outer' || c.tunnel === 'inner' ? c.tunnel : 'none')),
    upstream: -1,
    sameHost: false,
  };
}

/** Compute the diagnosis for a set of findings, with its one-sentence headline. */
export function diagnose(
  findings: Finding[],
  captures: CaptureSummary[],
  lang: Lang,
  overlap = -1,
  points: Points = unknownPoints(captures),
): Diagnosis {
  const d = decide(findings, captures, lang, overlap, points);
  const packets = captures.reduce((n, c) => n + c.packets, 0);
  return { ...d, headline: packets ? headline(d, findings, lang) : d.summary };
}

/** The diagnosis without its headline (the cause rules decide, in order). */
function decide(findings: Finding[], captures: CaptureSummary[], lang: Lang, overlap: number, points: Points): Diagnosis {
  const offload = total(findings, 'checksum-offload');
  const packets = captures.reduce((n, c) => n + c.packets, 0);
  const base: Diagnosis = {
    cause: null,
    confidence: 'high',
    summary: '',
    evidence: [],
    evidenceCapture: 0,
    remedies: [],
    confirm: [],
    primaryFinding: -1,
    caveats: [],
  };
  // Two readable captures with nothing in common: say why they were not compared.
  if (captures.length === 2 && overlap === 0 && captures.every((c) => c.format !== 'unknown' && c.packets > 0))
    base.caveats.push(CAVEATS[lang].noOverlap);
  if (offload) base.caveats.push(CAVEATS[lang].offload(offload));
  const ctx = { findings, captures, lang, overlap, base, points };
  for (const c of CAUSES) {
    const d = c.diagnose(ctx);
    if (d) return d;
  }
  if (!packets) return { ...base, summary: T[lang].empty };
  // Nothing wrong seen. That is worth "high" only from a point that sees every failure as a
  // retry or an error: the client's end, or two points compared. From the server's end (or an
  // unknown one), losses before the capture point are invisible: say so and lower confidence.
  const compared = captures.length === 2 && overlap > 0;
  const seesAll = compared || points.sides.some((s) => s === 'client');
  const caveats = [...base.caveats];
  if (!seesAll) {
    const cap = captures.findIndex((c) => c.packets > 0);
    for (const c of positionCaveats(ctx, Math.max(0, cap))) if (!caveats.includes(c)) caveats.push(c);
  }
  return {
    ...base,
    confidence: seesAll ? 'high' : 'medium',
    caveats,
    summary: T[lang].noProblem(packets, offload),
  };
}

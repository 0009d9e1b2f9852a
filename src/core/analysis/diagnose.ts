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
import { SUPPORTED_LINK_TYPES } from '../decode/dissect';
import { errorText } from '../errors';

const T: Text<{
  noProblem(packets: number, offload: number): string;
  empty: string;
  nothingDecoded(packets: number, linkTypes: string): string;
}> = {
  en: {
    noProblem: (packets, offload) =>
      `No problem found: ${packets} ${packets === 1 ? 'packet' : 'packets'}; no connection refused, retried, stalled or unanswered, no unanswered or slow DNS and no genuinely bad checksums.${offload ? ` ${offload} ${offload === 1 ? 'frame carries a transmit-offload (partial) checksum' : 'frames carry transmit-offload (partial) checksums'}, which is normal for a capture on the sending host.` : ''}`,
    empty: 'No packets to analyse: the capture is empty.',
    nothingDecoded: (packets, lts) =>
      `Nothing could be analysed: ${packets === 1 ? 'the one packet is' : `all ${packets} packets are`} of a link type pcap-doctor does not decode (${lts}). No conclusion can be drawn from this capture.`,
  },
  zh: {
    noProblem: (packets, offload) =>
      `未发现问题：共 ${packets} 个报文；没有被拒绝、重传、停滞或无应答的连接，没有无应答或缓慢的 DNS，也没有真正错误的校验和。${offload ? `有 ${offload} 帧带有发送卸载（部分）校验和，这在发送端抓包中属于正常现象。` : ''}`,
    empty: '没有可分析的报文：抓包文件为空。',
    nothingDecoded: (packets, lts) =>
      `无法分析：全部 ${packets} 个报文的链路类型都无法解码（${lts}）。无法从本抓包得出任何结论。`,
  },
};

/**
 * Capture problems that leave packets unread or skipped (not a harmless oddity such as an unusual
 * version number, a bad timestamp or a bad option).
 */
const HARMLESS = new Set(['odd-version', 'bad-timestamp', 'bad-option', 'unsupported-link-type']);

/** The first problem in each capture that cost it packets: "not read to the end". */
function unread(captures: CaptureSummary[], lang: Lang): string[] {
  const out: string[] = [];
  for (const c of captures) {
    const e = c.errors.find((x) => !HARMLESS.has(x.code));
    if (e) out.push(CAVEATS[lang].unread(c.file, errorText(e, lang)));
  }
  return out;
}

/** Link types named for the undecoded ones ("link type 105"). */
function undecodedTypes(captures: CaptureSummary[], lang: Lang): string {
  const lts = [...new Set(captures.flatMap((c) => c.linkTypes))].filter((lt) => !SUPPORTED_LINK_TYPES.has(lt));
  return `${lang === 'zh' ? '链路类型' : lts.length === 1 ? 'link type' : 'link types'} ${lts.join(', ')}`;
}

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
  // What the analysis could not see, whatever it concludes: packets it does not decode, and the
  // part of a file it could not read.
  const undecoded = captures.reduce((n, c) => n + c.undecoded, 0);
  if (undecoded && undecoded < packets) base.caveats.push(CAVEATS[lang].undecoded(undecoded, undecodedTypes(captures, lang)));
  const lost = unread(captures, lang);
  base.caveats.push(...lost);
  const ctx = { findings, captures, lang, overlap, base, points };
  for (const c of CAUSES) {
    const d = c.diagnose(ctx);
    if (d) return d;
  }
  // Nothing seen is not "nothing wrong": no packets, or none decoded, says nothing either way.
  if (!packets) return { ...base, confidence: 'low', summary: T[lang].empty };
  if (undecoded === packets)
    return { ...base, confidence: 'low', summary: T[lang].nothingDecoded(packets, undecodedTypes(captures, lang)) };
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
    // A part not decoded or not read could hold the failure.
    confidence: seesAll && !undecoded && !lost.length ? 'high' : 'medium',
    caveats,
    summary: T[lang].noProblem(packets, offload),
  };
}

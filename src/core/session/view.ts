/**
 * The page's view of a report: the report with every per-attempt list cut down to what the
 * timeline draws. The page draws at most {@link MAX_DRAWN_ATTEMPTS} attempts of a finding (a
 * flood's thousand markers and table rows would cost seconds of render and show nothing more),
 * yet it used to receive them all: at 4 GiB, 128 findings of ~840 attempts each, over 100,000
 * objects, made the structured clone that hands the result to the page one 222 ms main-thread
 * task. The session keeps the full reports (for permalinks) and the command line never sees a
 * view: the JSON report contract keeps its full lists.
 *
 *     full:   attemptList [a0 a1 a2 … a30 a31 … a838 a839]   (840)
 *     view:   attemptList [a0 a1 a2 … a30 a839]              (32), trimmed.attemptList = 840
 *
 * Only lists whose entries line up with attempts are cut: `attemptList`, `answers` (the server's
 * answers, one per SYN-ACK seen) and `expectedOffsets` (one per attempt for DNS; a SYN ladder's is
 * short and stays whole). Frame lists stay whole: they are plain numbers, cheap to clone, and the
 * packet list marks every frame of a finding.
 */
import type { Lang } from '../analysis/i18n';
import { shownFinding } from '../analysis/timeline';
import type { Finding, FindingBase, Report } from '../report';

/**
 * How many of a finding's attempts the timeline draws (markers and table rows). A SYN flood or a
 * synthetic capture can hold a thousand attempts of one connection: drawing them all costs
 * seconds of main-thread render and shows nothing more than the first few dozen and the last.
 * Every default Linux ladder fits (7 attempts exponential, 8 or 9 with linear timeouts first); past
 * 32, a flood's markers already merge into a bar on the chart. At 64, the attempt objects
 * of a 4 GiB flood's 128 findings (8,192) were two thirds of the result the page receives, and
 * receiving it was still a 55 ms task.
 */
export const MAX_DRAWN_ATTEMPTS = 32;

/** Indexes of the attempts to draw: all of them, or the first MAX - 1 and the last. */
export function drawnAttempts(count: number, max = MAX_DRAWN_ATTEMPTS): number[] {
  const out: number[] = [];
  if (count <= max) {
    for (let i = 0; i < count; i++) out.push(i);
    return out;
  }
  for (let i = 0; i < max - 1; i++) out.push(i);
  out.push(count - 1);
  return out;
}

/** The lists a view cuts, all indexed by attempt. */
export type TrimmedList = keyof NonNullable<FindingBase['trimmed']>;
export const TRIMMED_LISTS: readonly TrimmedList[] = ['attemptList', 'answers', 'expectedOffsets'];

/**
 * The drawn entries of a finding's list with their indexes in the full list, whether `list` is
 * the full list (a report) or already cut (a view, where `total` is its full length).
 */
export function drawnEntries<T>(list: readonly T[], total = list.length): { index: number; item: T }[] {
  const cut = total > list.length;
  return drawnAttempts(total).map((index, k) => ({ index, item: list[cut ? k : index]! }));
}

/** Full length of one of a finding's lists, in a report or in a view. */
export function fullLength(f: Finding, key: TrimmedList): number {
  const total = f.trimmed?.[key];
  if (total !== undefined) return total;
  const list = (f as unknown as Record<string, unknown>)[key];
  return Array.isArray(list) ? list.length : 0;
}

/**
 * Past this many drawn attempt entries over all findings (a flood: 128 findings of 32 drawn
 * attempts each at 4 GiB, 85 % of the result), the page receives the lists of one finding only,
 * the one its timeline opens on; the others' lists are left out (`deferred`) and fetched from the
 * session when the user picks one (`Session.finding`). Receiving the whole result had been one
 * main-thread task of 47 to 53 ms at 4 GiB. An incident's few findings come whole.
 */
export const EAGER_ATTEMPTS = 256;

/**
 * The finding selected when a result opens: the diagnosis' own, else the first SYN or DNS ladder
 * (the timeline shows it if it has a timeline: see `shownFinding`).
 */
export function openingFinding(r: Report): number {
  return r.diagnosis.primaryFinding >= 0
    ? r.diagnosis.primaryFinding
    : r.findings.findIndex((f) => f.kind === 'syn-retry' || f.kind === 'dns-unanswered');
}

/** Attempt entries the page would receive for report `r` with every list cut to what is drawn. */
function drawnTotal(r: Report): number {
  let n = 0;
  for (const f of r.findings) {
    const src = f as unknown as Record<string, unknown>;
    for (const key of TRIMMED_LISTS) {
      const list = src[key];
      if (Array.isArray(list)) n += Math.min(list.length, MAX_DRAWN_ATTEMPTS);
    }
  }
  return n;
}

/**
 * Both languages' views. The Chinese report points at the English one's arrays where they are the
 * same (see `bilingual`), and so do its cut lists: the clone still carries each once.
 */
export function viewReports(reports: Record<Lang, Report>): Record<Lang, Report> {
  const cut = new Map<readonly unknown[], unknown[]>();
  const en = reports.en;
  const keep = drawnTotal(en) > EAGER_ATTEMPTS ? shownFinding(en, openingFinding(en)) : null;
  const out = {} as Record<Lang, Report>;
  for (const lang of Object.keys(reports) as Lang[]) out[lang] = viewReport(reports[lang], cut, keep);
  return out;
}

/**
 * One report's view: a new report object; the findings left whole are the same objects. With
 * `keep` a number, only that finding keeps its attempt lists (the others are deferred).
 */
export function viewReport(r: Report, cut = new Map<readonly unknown[], unknown[]>(), keep: number | null = null): Report {
  let findings: Finding[] | null = null;
  r.findings.forEach((f, i) => {
    const g = viewFinding(f, cut, keep !== null && i !== keep);
    if (g === f) return;
    findings ??= r.findings.slice();
    findings[i] = g;
  });
  return findings ? { ...r, findings } : r;
}

/**
 * A finding as the page draws it: each per-attempt list cut to the drawn attempts; with `defer`,
 * left out instead (empty, `deferred` set), until the page asks for them. Either way `trimmed`
 * holds the full length of each list changed; a finding with nothing to change is returned as is.
 */
export function viewFinding(f: Finding, cut = new Map<readonly unknown[], unknown[]>(), defer = false): Finding {
  const src = f as unknown as Record<string, unknown>;
  let copy: Record<string, unknown> | null = null;
  const trimmed: Partial<Record<TrimmedList, number>> = {};
  for (const key of TRIMMED_LISTS) {
    const list = src[key];
    if (!Array.isArray(list) || list.length <= (defer ? 0 : MAX_DRAWN_ATTEMPTS)) continue;
    let short = defer ? EMPTY : cut.get(list);
    if (!short) {
      short = drawnAttempts(list.length).map((i) => list[i] as unknown);
      cut.set(list, short);
    }
    copy ??= { ...src };
    copy[key] = short;
    trimmed[key] = list.length;
  }
  if (!copy) return f;
  copy.trimmed = trimmed;
  if (defer) copy.deferred = true;
  return copy as unknown as Finding;
}

/** One empty list for every deferred one (the clone carries it once). */
const EMPTY: unknown[] = [];

/** Finding `i` of a view with its lists, taken from the session's `finding(i)`. */
export function withFinding(r: Report, i: number, f: Finding): Report {
  if (!r.findings[i]) return r;
  const findings = r.findings.slice();
  findings[i] = f;
  return { ...r, findings };
}

/**
 * A finding's story over time, from its rule's `timeline` hook: what the app draws and the CLI
 * lists beside the diagnosis (attempts, answers, retransmissions with their sizes, the give-up).
 * Lane 0 is the finding's capture, lane 1 the other capture (or, for DNS, the parallel query).
 */
import type { Report } from '../report';
import type { Timeline } from './rule';
import { RULES } from './rules';

/** A timeline with what it belongs to. */
export interface FindingTimeline extends Timeline {
  finding: number;
  kind: string;
  capture: number;
  title: string;
}

const BY_KIND = new Map(RULES.flatMap((r) => (r.timeline ? r.kinds.map((k) => [k, r] as const) : [])));

/** The timeline of finding `i`, or null when its kind has none. */
export function timelineOf(r: Report, i: number): FindingTimeline | null {
  const f = r.findings[i];
  if (!f) return null;
  const t = BY_KIND.get(f.kind)?.timeline?.(f, r);
  if (!t || !t.points.length) return null;
  return { ...t, finding: i, kind: f.kind, capture: f.capture, title: f.title };
}

/** Findings that have a timeline: the diagnosis' own first, then in report order. */
export function timelineFindings(r: Report): number[] {
  const out: number[] = [];
  const p = r.diagnosis.primaryFinding;
  if (p >= 0 && BY_KIND.has(r.findings[p]?.kind ?? '')) out.push(p);
  r.findings.forEach((f, i) => {
    if (i !== p && BY_KIND.has(f.kind)) out.push(i);
  });
  return out;
}

/** The finding the timeline shows when `finding` is selected: it, or the first with a timeline. */
export function shownFinding(r: Report, finding: number): number {
  const withTimeline = timelineFindings(r);
  return withTimeline.includes(finding) ? finding : (withTimeline[0] ?? -1);
}

/**
 * What a permalink shares: each finding's rule says which frames reproduce it (a refused DNS
 * query needs its ICMP errors too). The recipient's analysis numbers the shared frames as the
 * sender did (pipeline option `frameNumbers`), so the findings name the same frames.
 */
import { ruleOf } from '../analysis/rules';
import type { Finding, Report } from '../report';

/** Frames to share, most important first (the primary finding's evidence, then the others'). */
export function evidenceFrames(r: Report, maxPackets = 256): { capture: number; frame: number }[] {
  const out: { capture: number; frame: number }[] = [];
  const seen = new Set<string>();
  const add = (capture: number, frame: number | null | undefined) => {
    if (frame === null || frame === undefined || frame < 1 || out.length >= maxPackets) return;
    const k = `${capture}:${frame}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push({ capture, frame });
    }
  };
  const d = r.diagnosis;
  // The diagnosis' own evidence first: it is what the recipient must be able to re-derive.
  for (const n of d.evidence) add(d.evidenceCapture, n);
  const order = [d.primaryFinding, ...r.findings.map((_, i) => i).filter((i) => i !== d.primaryFinding)];
  for (const i of order) {
    const f = r.findings[i];
    const rule = f && ruleOf(f.kind);
    if (!f || !rule?.evidence) continue;
    for (const e of rule.evidence(f, r)) add(e.capture, e.frame);
  }
  return out;
}

/** Type guard for findings with an attempt timeline. */
export function hasAttempts(f: Finding | undefined): f is Extract<Finding, { attemptList: unknown }> {
  return !!f && 'attemptList' in f;
}

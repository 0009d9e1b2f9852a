/**
 * What a permalink shares, and how a re-analysed shared capture gets its original frame numbers
 * back (so the recipient sees "frame 6", as the sender did).
 */
import type { Report } from '../report';

/** Frames to share, most important first (the primary finding's attempts and answer, then others). */
export function evidenceFrames(r: Report, maxPackets = 256): { capture: number; frame: number }[] {
  const out: { capture: number; frame: number }[] = [];
  const seen = new Set<string>();
  const add = (capture: number, frame: number | null | undefined) => {
    if (frame === null || frame === undefined || out.length >= maxPackets) return;
    const k = `${capture}:${frame}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push({ capture, frame });
    }
  };
  const d = r.diagnosis;
  const order = [d.primaryFinding, ...r.findings.map((_, i) => i).filter((i) => i !== d.primaryFinding)];
  for (const i of order) {
    const f = r.findings[i];
    if (!f || (f.kind !== 'syn-retry' && f.kind !== 'dns-unanswered')) continue;
    for (const a of f.attemptList) {
      add(f.capture, a.frame);
      if (a.otherFrame !== undefined) add(1 - f.capture, a.otherFrame);
    }
    if (f.kind === 'syn-retry') add(f.capture, f.answerFrame);
  }
  if (!out.length) for (const n of d.evidence) add(d.evidenceCapture, n);
  return out;
}

/**
 * Rewrite frame numbers of a report made from shared packets: `maps[c][i]` is the original
 * number of shared frame i+1 of capture c.
 */
export function remapFrames(r: Report, maps: number[][]): Report {
  const m = (c: number, n: number) => maps[c]?.[n - 1] ?? n;
  for (const f of r.findings) {
    f.frames = f.frames.map((n) => m(f.capture, n));
    if (f.kind === 'syn-retry' || f.kind === 'dns-unanswered') {
      for (const a of f.attemptList) {
        a.frame = m(f.capture, a.frame);
        if (a.otherFrame !== undefined) a.otherFrame = m(1 - f.capture, a.otherFrame);
      }
    }
    if (f.kind === 'syn-retry' && f.answerFrame !== null) f.answerFrame = m(f.capture, f.answerFrame);
  }
  r.diagnosis.evidence = r.diagnosis.evidence.map((n) => m(r.diagnosis.evidenceCapture, n));
  for (const fr of r.frames ?? []) fr.n = m(fr.capture, fr.n);
  return r;
}

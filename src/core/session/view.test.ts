import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { flood, manyLadders } from '../../../test/helpers/flood';
import { analyzeBytes, analyzeFiles } from '../../../test/helpers/corpus';
import type { Finding, Report } from '../report';
import { decodePermalink } from '../share/permalink';
import { claimHolds, claimOf } from './share';
import {
  drawnAttempts,
  drawnEntries,
  EAGER_ATTEMPTS,
  fullLength,
  MAX_DRAWN_ATTEMPTS,
  openingFinding,
  viewFinding,
  viewReport,
  viewReports,
  withFinding,
} from './view';
import { Session } from '.';

const N = 300;
const byKind = (r: Report, kind: string) => r.findings.find((f) => f.kind === kind) as Finding & Record<string, unknown>;

describe('drawn attempts', () => {
  it('draws every attempt of a normal ladder', () => {
    expect(drawnAttempts(7)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(drawnAttempts(MAX_DRAWN_ATTEMPTS)).toHaveLength(MAX_DRAWN_ATTEMPTS);
  });

  it('draws the first ones and the last of a flood', () => {
    const d = drawnAttempts(1081);
    expect(d).toHaveLength(MAX_DRAWN_ATTEMPTS);
    expect(d[0]).toBe(0);
    expect(d[MAX_DRAWN_ATTEMPTS - 2]).toBe(MAX_DRAWN_ATTEMPTS - 2);
    expect(d[MAX_DRAWN_ATTEMPTS - 1]).toBe(1080);
  });

  it('finds the same entries in a full list and in a cut one', () => {
    const full = Array.from({ length: 200 }, (_, i) => `a${i}`);
    const cut = drawnAttempts(200).map((i) => full[i]!);
    expect(drawnEntries(cut, 200)).toEqual(drawnEntries(full));
    expect(drawnEntries(full).at(-1)).toEqual({ index: 199, item: 'a199' });
    expect(drawnEntries(full.slice(0, 5))).toHaveLength(5);
  });
});

describe("the page's view of a report", () => {
  it('cuts every per-attempt list of a flood to the drawn attempts and says how long it was', async () => {
    const bytes = flood();
    const full = await analyzeBytes(bytes);
    const res = await new Session().analyze([{ kind: 'bytes', name: 'flood.pcap', bytes }], {});
    if (!res.ok) throw new Error(res.error.message);
    const view = res.reports.en;
    const pick = drawnAttempts(N);

    const syn = byKind(full, 'syn-retry');
    const synView = byKind(view, 'syn-retry');
    expect(syn.attemptList).toHaveLength(N);
    expect(syn.answers).toHaveLength(N);
    expect(synView.trimmed).toEqual({ attemptList: N, answers: N });
    expect(synView.attemptList).toEqual(pick.map((i) => (syn.attemptList as unknown[])[i]));
    expect(synView.answers).toEqual(pick.map((i) => (syn.answers as unknown[])[i]));
    expect(fullLength(synView, 'attemptList')).toBe(N);
    expect(fullLength(syn, 'attemptList')).toBe(N);
    // Everything else is the report's: the title, the counts, every frame.
    expect({ ...synView, attemptList: 0, answers: 0, trimmed: 0 }).toEqual({ ...syn, attemptList: 0, answers: 0, trimmed: 0 });
    expect(synView.frames).toHaveLength(N);

    const dns = byKind(full, 'dns-unanswered');
    const dnsView = byKind(view, 'dns-unanswered');
    expect(dns.expectedOffsets).toHaveLength(N);
    expect(dnsView.trimmed).toEqual({ attemptList: N, expectedOffsets: N });
    expect(dnsView.expectedOffsets).toEqual(pick.map((i) => (dns.expectedOffsets as number[])[i]));
    expect(view.diagnosis).toEqual(full.diagnosis);

    // The Chinese view points at the English one's cut lists, and a structured clone keeps that:
    // the page receives a fraction of the full reports.
    const zhView = byKind(res.reports.zh, 'syn-retry');
    expect(zhView.attemptList).toBe(synView.attemptList);
    expect(zhView.title).not.toBe(synView.title);
    const sent = structuredClone(res.reports);
    expect(byKind(sent.zh, 'dns-unanswered').attemptList).toBe(byKind(sent.en, 'dns-unanswered').attemptList);
    expect(serialize(res.reports).length).toBeLessThan(serialize(full).length / 2);
  });

  it('leaves a report with nothing to cut as it is', async () => {
    const r = await analyzeFiles(['scenarios/tke-63s-sender-eth0.pcap']);
    expect(viewReport(r)).toBe(r);
    const both = { en: r, zh: r };
    expect(viewReports(both).en).toBe(r);
  });

  it('never cuts the report a link is built from: the claim keeps every attempt', async () => {
    const s = new Session();
    const res = await s.analyze([{ kind: 'bytes', name: 'flood.pcap', bytes: flood() }], {});
    if (!res.ok) throw new Error(res.error.message);
    const link = await s.share(true);
    if (!('value' in link)) throw new Error(link.error.message);
    const d = await decodePermalink(link.value);
    if (!d.ok) throw new Error(d.error.message);
    expect(d.result.claim.attempts).toBe(N);
    expect(d.result.claim.outer).toHaveLength(N);
  });
});

describe('deferred attempt lists (many findings)', () => {
  it("sends the page one finding's attempts, and the session gives any other's when asked", async () => {
    const bytes = manyLadders(12, 40);
    const full = await analyzeBytes(bytes);
    const s = new Session();
    const res = await s.analyze([{ kind: 'bytes', name: 'ladders.pcap', bytes }], {});
    if (!res.ok) throw new Error(res.error.message);
    const ladders = full.findings.filter((f) => f.kind === 'syn-retry');
    expect(ladders).toHaveLength(12);
    expect(12 * MAX_DRAWN_ATTEMPTS).toBeGreaterThan(EAGER_ATTEMPTS);

    const view = res.reports.en;
    const open = openingFinding(view);
    expect(open).toBeGreaterThanOrEqual(0);
    view.findings.forEach((f, i) => {
      const g = f as Finding & Record<string, unknown>;
      if (f.kind !== 'syn-retry') return;
      if (i === open) {
        expect(g.deferred).toBeUndefined();
        expect(g.attemptList).toHaveLength(MAX_DRAWN_ATTEMPTS);
      } else {
        expect(g.deferred).toBe(true);
        expect(g.attemptList).toEqual([]);
        expect(fullLength(f, 'attemptList')).toBe(40);
      }
      // The rest of every finding is the report's: titles, frames, counts.
      const whole = full.findings[i] as Finding & Record<string, unknown>;
      expect({ ...g, attemptList: 0, trimmed: 0, deferred: 0 }).toEqual({ ...whole, attemptList: 0, trimmed: 0, deferred: 0 });
    });
    // Both languages defer the same findings; the page receives a small part of the lists.
    expect(res.reports.zh.findings.map((f) => !!f.deferred)).toEqual(view.findings.map((f) => !!f.deferred));
    expect(serialize(view).length).toBeLessThan(serialize(viewReport(full)).length / 2);

    // Picking another finding: the session hands its lists, cut as the timeline draws them.
    const other = view.findings.findIndex((f) => f.deferred);
    const got = s.finding(other);
    expect(got).not.toBeNull();
    expect(got!.en).toEqual(viewFinding(full.findings[other]!));
    expect(got!.en.deferred).toBeUndefined();
    expect(got!.zh.title).not.toBe(got!.en.title);
    expect((got!.zh as unknown as Record<string, unknown>).attemptList).toEqual(
      (got!.en as unknown as Record<string, unknown>).attemptList,
    );
    const merged = withFinding(view, other, got!.en);
    expect(merged.findings[other]).toBe(got!.en);
    expect(merged.findings[open]).toBe(view.findings[open]);
    expect(view.findings[other]!.deferred).toBe(true); // the old view is left as it was
    expect(s.finding(999)).toBeNull();
  });

  it('keeps a few findings whole (an incident), however long their lists', async () => {
    const bytes = manyLadders(3, 500);
    const res = await new Session().analyze([{ kind: 'bytes', name: 'three.pcap', bytes }], {});
    if (!res.ok) throw new Error(res.error.message);
    expect(res.reports.en.findings.some((f) => f.deferred)).toBe(false);
    expect(res.reports.en.findings.filter((f) => f.kind === 'syn-retry').every((f) => fullLength(f, 'attemptList') === 500)).toBe(
      true,
    );
  });
});

describe("a link's claim", () => {
  it('holds for the same result, and not for another cause or other attempts', async () => {
    const r = await analyzeFiles(['scenarios/tke-63s-sender-eth0.pcap']);
    const claim = claimOf(r);
    expect(claim.attempts).toBe(7);
    expect(claimHolds(r, claim, false)).toBe(true);
    expect(claimHolds(r, { ...claim, cause: 'syn-dropped' }, false)).toBe(false);
    expect(claimHolds(r, { ...claim, cause: 'syn-dropped' }, true)).toBe(false);
    const fewer = { ...claim, attempts: 6, outer: claim.outer.slice(1) };
    expect(claimHolds(r, fewer, false)).toBe(false);
    // A link cut down to fit cannot carry every attempt: the cause alone must match.
    expect(claimHolds(r, fewer, true)).toBe(true);
    const other = { ...claim, outer: claim.outer.map(() => 'good' as const) };
    expect(claimHolds(r, other, false)).toBe(false);
  });

  it('is checked by the session on the full report, while the page view of the attempts is cut', async () => {
    // 100 SYNs: a link carries them all (anonymised, they compress), so every attempt is compared.
    const s = new Session();
    const res = await s.analyze([{ kind: 'bytes', name: 'flood.pcap', bytes: flood(100, false) }], {});
    if (!res.ok) throw new Error(res.error.message);
    const link = await s.share(true);
    if (!('value' in link)) throw new Error(link.error.message);
    expect(link.truncated).toBe(false);
    const back = await new Session().openShared(link.value);
    if (!back.ok) throw new Error(back.error.message);
    expect(back.shared).toMatchObject({ truncated: false, matches: true, claim: { attempts: 100 } });
    expect(byKind(back.reports.en, 'syn-retry').attemptList).toHaveLength(MAX_DRAWN_ATTEMPTS);
  });
});

/**
 * "Copy report as text" and "Download JSON report" in the page: the worker's full report as the
 * command line prints it, not the page's copy (whose per-attempt lists are cut for drawing).
 */
import { describe, expect, it } from 'vitest';
import { flood } from '../../../test/helpers/flood';
import { bufferChunks } from '../capture/source';
import { analyzeCaptures } from '../pipeline';
import { renderText } from '../text';
import { Session } from '.';

describe('exportReport', () => {
  it('is null before a result', () => {
    expect(new Session().exportReport('en')).toBeNull();
  });

  it("is the command line's text and JSON, whole where the page's copy is cut", async () => {
    const bytes = flood(3000);
    const s = new Session();
    const res = await s.analyze([{ kind: 'bytes', name: 'flood.pcap', bytes }], {});
    if (!res.ok) throw new Error('analysis failed');
    for (const lang of ['en', 'zh'] as const) {
      // What `npm run analyze -- --json [--lang zh] flood.pcap` prints (the CLI runs this pipeline).
      const cli = await analyzeCaptures([{ name: 'flood.pcap', source: bufferChunks(bytes) }], { lang });
      const out = s.exportReport(lang)!;
      expect(out.json).toBe(JSON.stringify(cli, null, 1) + '\n');
      expect(out.text).toBe(renderText(cli, lang, false, 0));
      expect(JSON.parse(out.json)).not.toEqual(res.reports[lang]);
    }
    // The page's copy draws a few attempts of the SYN ladder; the export has every one listed.
    type Syn = { kind: string; attemptList: unknown[]; trimmed?: { attemptList?: number } };
    const whole = (JSON.parse(s.exportReport('en')!.json) as { findings: Syn[] }).findings.find((f) => f.kind === 'syn-retry')!;
    const drawn = res.reports.en.findings.find((f) => f.kind === 'syn-retry') as unknown as Syn;
    expect(whole.attemptList.length).toBeGreaterThan(100);
    expect(drawn.attemptList.length).toBeLessThan(100);
    expect(drawn.trimmed?.attemptList).toBe(whole.attemptList.length);
    expect(s.exportReport('zh')!.text).toContain('诊断');
  });
});

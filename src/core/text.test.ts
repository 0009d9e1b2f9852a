import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeBytes, REPO } from '../../test/helpers/corpus';
import { bufferChunks } from './capture/source';
import { analyzeCaptures } from './pipeline';
import { flood } from '../../test/helpers/flood';
import { renderText } from './text';

describe('text report', () => {
  it("lists a flood's evidence frames as the first 12 and the count, like the findings", async () => {
    const r = await analyzeBytes(flood(1200));
    expect(r.diagnosis.evidence.length).toBeGreaterThan(1000);
    const text = renderText(r, 'en');
    const line = text.split('\n').find((l) => l.startsWith('evidence frames: '))!;
    const shown = r.diagnosis.evidence.slice(0, 12).join(', ');
    expect(line).toBe(`evidence frames: ${shown}, … (${r.diagnosis.evidence.length.toLocaleString('en-US')})`);
    // Every finding's frame line too; the JSON report keeps every frame.
    for (const l of text.split('\n').filter((x) => x.startsWith('    frame: ')))
      expect(l.split(', ').length).toBeLessThanOrEqual(13);
    expect(renderText(r, 'zh')).toContain(`证据帧：${shown}, … (`);
  });
});

describe('text timeline of a flood', () => {
  // The text lists what the app's chart draws (the first 31 attempts and the last) and one row for
  // the rest; the JSON report keeps them (up to the report's cap of 1,000 per finding).
  const story = (text: string, lang: 'en' | 'zh') =>
    text.slice(
      text.indexOf(lang === 'en' ? 'Timeline: ' : '时间线：'),
      text.indexOf(lang === 'en' ? '\nConfirm first' : '\n先确认'),
    );
  const numbered = (s: string) => s.split('\n').filter((l) => /^ {2}\d+ +\d+ /.test(l));

  for (const [n, listed, en, zh] of [
    [
      300,
      300,
      '… 268 more attempts, not listed (300 in all; the JSON report lists every one)',
      '… 另有 268 次尝试未列出（共 300 次；JSON 报告列出全部）',
    ],
    [
      1200,
      1000,
      '… 1,168 more attempts, not listed (1,200 in all; the JSON report lists the first 1,000)',
      '… 另有 1,168 次尝试未列出（共 1,200 次；JSON 报告列出前 1,000 次）',
    ],
  ] as const) {
    it(`lists ${n} attempts as the first 31, the last listed, and a row for the rest`, async () => {
      const r = await analyzeBytes(flood(n));
      const p = r.findings[r.diagnosis.primaryFinding]!;
      expect(p.kind).toBe('syn-retry');
      const list = (p as unknown as { attemptList: { frame: number }[] }).attemptList;
      expect(list.length).toBe(listed);
      for (const [lang, more] of [
        ['en', en],
        ['zh', zh],
      ] as const) {
        const s = story(renderText(r, lang), lang);
        const rows = numbered(s);
        expect(rows.map((l) => Number(l.trim().split(/\s+/)[0]))).toEqual([...Array(31).keys()].map((i) => i + 1).concat(listed));
        expect(rows.at(-1)!.trim().split(/\s+/)[1]).toBe(String(list.at(-1)!.frame));
        // The note sits between attempt 31 and the last one, and widens no column.
        const lines = s.split('\n');
        expect(lines.indexOf(`  ${more}`)).toBe(lines.indexOf(rows[30]!) + 1);
        expect(rows[0]!.length).toBeLessThan(80);
        expect(lines.length).toBeLessThan(80);
      }
    });
  }

  it('lists a short ladder whole, with no note', async () => {
    const r = await analyzeBytes(flood(7));
    const text = renderText(r, 'en');
    expect(text).not.toContain('more attempts, not listed');
    expect(numbered(story(text, 'en')).length).toBe(7);
  });
});

describe('text report wrapping and wording', () => {
  const sample = (name: string) => ({
    name,
    source: bufferChunks(new Uint8Array(readFileSync(`${REPO}/public/samples/${name}`))),
  });
  const both = (lang: 'en' | 'zh') =>
    analyzeCaptures([sample('tke-63s-sender-eth0.pcap'), sample('tke-63s-sender-flannel1.pcap')], { lang });

  it('never breaks a `command` across lines; width 0 leaves paragraphs whole', async () => {
    for (const lang of ['en', 'zh'] as const) {
      const r = await both(lang);
      for (const text of [renderText(r, lang), renderText(r, lang, false, 0)])
        for (const line of text.split('\n')) expect(line.split('`').length % 2, line).toBe(1);
      const whole = renderText(r, lang, false, 0);
      const cmd = '`ethtool -K flannel.1 tx-checksum-ip-generic off`';
      expect(
        whole
          .split('\n')
          .find((l) => l.includes(cmd))!
          .startsWith('- '),
      ).toBe(true);
    }
  });

  it('wraps Chinese by display width, joins its sentences without spaces, and uses Chinese punctuation and words', async () => {
    const text = renderText(await both('zh'), 'zh');
    expect(text).toMatch(/^== 诊断：vxlan-checksum-drop \(置信度：/);
    expect(text).not.toMatch(/。 /);
    expect(text).toMatch(/\n {2}ipv4 +正确 \d+ {2}错误 \d+/);
    // A line wider than 100 columns (CJK characters count two) is one word that cannot be broken.
    const cols = (l: string) => [...l].reduce((n, ch) => n + (/[\u2e80-\ua4cf\uff00-\uff60]/.test(ch) ? 2 : 1), 0);
    for (const line of text.split('\n').filter((l) => cols(l) > 100 && !l.startsWith('    frame')))
      expect(line.trim().replace(/`[^`]*`/g, 'X'), line).not.toContain(' ');
  });

  it('says "link type" for one', async () => {
    const r = await analyzeCaptures([sample('tke-63s-sender-eth0.pcap')]);
    expect(renderText(r, 'en')).toMatch(/pcap, link type 1, 16 packets/);
  });
});

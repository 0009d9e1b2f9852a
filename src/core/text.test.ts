import { describe, expect, it } from 'vitest';
import { analyzeBytes } from '../../test/helpers/corpus';
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
    expect(renderText(r, 'zh')).toContain(`证据帧: ${shown}, … (`);
  });
});

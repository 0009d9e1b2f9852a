import { describe, expect, it } from 'vitest';
import { analyzeBytes, analyzeFiles, corpusFiles } from '../../../test/helpers/corpus';
import { errorText } from '../errors';
import { CAPTURE_MESSAGES } from './messages';

describe('capture error messages', () => {
  it('every error the corpus produces has an English and a Chinese text', async () => {
    const seen = new Set<string>();
    for (const f of corpusFiles()) {
      try {
        const r = await analyzeFiles([f]);
        for (const e of r.captures[0]!.errors) {
          expect(e.key, f).toBeDefined();
          expect(errorText(e, 'en')).toBe(e.message);
          expect(errorText(e, 'zh')).not.toBe(e.message);
          expect(errorText(e, 'zh')).toMatch(/[\u4e00-\u9fff]/);
          seen.add(e.key!);
        }
      } catch (e) {
        const d = (e as { detail: { key: string; message: string; params: Record<string, string> } }).detail;
        expect(errorText(d, 'zh')).toMatch(new RegExp(`^${f.split('/')[1]!.replace(/\./g, '\\.')}：`));
        seen.add(d.key);
      }
    }
    expect(seen.size).toBeGreaterThanOrEqual(4);
  });

  it('every template renders in both languages', () => {
    const p = {
      len: 1,
      need: 24,
      magic: '0x1',
      version: '1.0',
      at: 2,
      minor: 5,
      max: 3,
      snaplen: 4,
      frac: 5,
      unit: 'us',
      div: 6,
      what: 'record',
      left: 7,
      bom: '0x2',
      type: '0x6',
      trailer: 8,
      id: 9,
      caplen: 10,
      holds: 11,
      code: 12,
      out: 13,
      fed: 14,
      why: 'x',
      lt: 15,
      n: 16,
    };
    for (const [k, m] of Object.entries(CAPTURE_MESSAGES)) {
      expect(m.en(p).length, k).toBeGreaterThan(5);
      expect(m.zh(p), k).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('falls back to the English message when there is no template', async () => {
    expect(errorText({ message: 'something odd' }, 'zh')).toBe('something odd');
    await expect(analyzeBytes(new Uint8Array(0))).rejects.toThrow(/mem\.pcap: file is empty/);
  });
});

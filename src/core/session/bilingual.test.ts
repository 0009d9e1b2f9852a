import { readFileSync } from 'node:fs';
import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { CAPTURES } from '../../../test/helpers/corpus';
import type { Report } from '../report';
import { bilingual } from './bilingual';
import { Session, type CaptureSource } from '.';

const src = (rel: string): CaptureSource => ({
  kind: 'bytes',
  name: rel.split('/').pop()!,
  bytes: new Uint8Array(readFileSync(`${CAPTURES}/${rel}`)),
});

/** A report with one finding holding these fields (only what bilingual() reads matters). */
const report = (finding: Record<string, unknown>): Report => ({ findings: [finding] }) as unknown as Report;

describe('bilingual', () => {
  it('shares the language-free arrays of the seed incident, and changes no word of either report', async () => {
    const res = await new Session().analyze(
      [src('scenarios/tke-63s-sender-eth0.pcap'), src('scenarios/tke-63s-sender-flannel1.pcap')],
      {},
    );
    if (!res.ok) throw new Error('analysis failed');
    // The session already shares: a structured clone (as postMessage makes) keeps that.
    const sent = structuredClone(res.reports);
    const retry = sent.en.findings.findIndex((f) => f.kind === 'syn-retry');
    const en = sent.en.findings[retry] as Extract<Report['findings'][number], { kind: 'syn-retry' }>;
    const zh = sent.zh.findings[retry] as typeof en;
    expect(en.attemptList).toHaveLength(7);
    expect(zh.attemptList).toBe(en.attemptList);
    expect(zh.title).not.toBe(en.title);

    // From unshared copies: the same reports, word for word, with the arrays shared.
    const a = structuredClone(res.reports.en);
    const b = structuredClone(res.reports.zh);
    const before = [JSON.stringify(a), JSON.stringify(b)];
    const out = bilingual(a, b);
    expect([JSON.stringify(out.en), JSON.stringify(out.zh)]).toEqual(before);
    const shared = out.zh.findings.flatMap((f) =>
      Object.entries(f).filter(
        ([k, v]) =>
          Array.isArray(v) && v === (out.en.findings[out.zh.findings.indexOf(f)] as unknown as Record<string, unknown>)[k],
      ),
    );
    expect(shared.map(([k]) => k)).toContain('attemptList');
  });

  it('halves what a big result costs to send', () => {
    const attempts = () =>
      Array.from({ length: 5000 }, (_, i) => ({
        frame: i + 1,
        ts: 1.7e9 + i,
        offsetSec: i,
        outerChecksum: 'bad',
        outerStored: 0xffff,
        outerComputed: i & 0xffff,
      }));
    const en = report({ kind: 'syn-retry', title: 'SYN sent 5000 times', attemptList: attempts() });
    const zh = report({ kind: 'syn-retry', title: 'SYN 发送了 5000 次', attemptList: attempts() });
    const apart = serialize({ en, zh }).length;
    const together = serialize(bilingual(en, zh)).length;
    expect(together).toBeLessThan(apart * 0.55);
  });

  it('never shares an array that differs, holds words of a language, or nests', () => {
    const en = report({
      kind: 'x',
      frames: [1, 2, 3],
      other: [1, 2, 4],
      notes: ['bad checksum'],
      nested: [{ a: [1] }],
      shorter: [1, 2],
    });
    const zh = report({
      kind: 'x',
      frames: [1, 2, 3],
      other: [1, 2, 5],
      notes: ['校验和错误'],
      nested: [{ a: [1] }],
      shorter: [1, 2, 3],
    });
    const out = bilingual(en, zh).zh.findings[0] as unknown as Record<string, unknown>;
    const e = en.findings[0] as unknown as Record<string, unknown>;
    expect(out.frames).toBe(e.frames);
    for (const k of ['other', 'notes', 'nested', 'shorter']) expect(out[k], k).not.toBe(e[k]);
    expect(out.other).toEqual([1, 2, 5]);
    expect(out.notes).toEqual(['校验和错误']);
    // Findings of different kinds at the same index are left alone.
    const z2 = report({ kind: 'y', frames: [1, 2, 3] });
    bilingual(report({ kind: 'x', frames: [1, 2, 3] }), z2);
    expect((z2.findings[0] as unknown as Record<string, unknown>).frames).toEqual([1, 2, 3]);
  });
});

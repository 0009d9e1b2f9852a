/**
 * Seeing nothing wrong is not the same as nothing being wrong. An empty capture, packets of a link
 * type that is not decoded, or a file cut short must not earn "No problem found" with high
 * confidence: the diagnosis says what could not be seen and lowers its confidence.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../../test/helpers/corpus';
import { writeCapture, writePcap } from '../capture/writer';
import { bufferChunks } from '../capture/source';
import { analyzeCaptures } from '../pipeline';
import type { Lang } from './i18n';

const HEALTHY = new Uint8Array(readFileSync(`${REPO}/test/captures/netns/faults/healthy-client-eth0.pcap`));

const analyse = (bytes: Uint8Array, lang: Lang = 'en') =>
  analyzeCaptures([{ name: 'x.pcap', source: bufferChunks(bytes) }], { lang });

/** The healthy capture's records, to rewrite. */
function records(bytes: Uint8Array): { ts: number; data: Uint8Array; origLen: number }[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset);
  const out = [];
  for (let o = 24; o + 16 <= bytes.length;) {
    const len = dv.getUint32(o + 8, true);
    out.push({
      ts: dv.getUint32(o, true) + dv.getUint32(o + 4, true) / 1e6,
      data: bytes.slice(o + 16, o + 16 + len),
      origLen: len,
    });
    o += 16 + len;
  }
  return out;
}

describe('what the analysis could not see', () => {
  it('the healthy client capture itself: no problem, high confidence, no caveat about it', async () => {
    const r = await analyse(HEALTHY);
    expect(r.diagnosis.cause).toBeNull();
    expect(r.diagnosis.confidence).toBe('high');
    expect(r.diagnosis.caveats.join(' ')).not.toMatch(/read to the end|does not decode/);
  });

  it('an empty capture is "nothing to analyse" with low confidence', async () => {
    const r = await analyse(writePcap([], 1));
    expect(r.diagnosis.cause).toBeNull();
    expect(r.diagnosis.confidence).toBe('low');
    expect(r.diagnosis.summary).toMatch(/empty/);
  });

  it('packets of a link type that is not decoded: nothing analysed, low confidence, in both languages', async () => {
    const bytes = writePcap(records(HEALTHY), 105);
    const en = await analyse(bytes);
    expect(en.captures[0]!.undecoded).toBe(14);
    expect(en.diagnosis.cause).toBeNull();
    expect(en.diagnosis.confidence).toBe('low');
    expect(en.diagnosis.summary).toBe(
      'Nothing could be analysed: all 14 packets are of a link type pcap-doctor does not decode (link type 105). No conclusion can be drawn from this capture.',
    );
    const zh = await analyse(bytes, 'zh');
    expect(zh.diagnosis.summary).toMatch(/无法分析：全部 14 个报文.*链路类型 105/);
  });

  it('some packets not decoded: a caveat names them and confidence drops to medium', async () => {
    const recs = records(HEALTHY).map((p) => ({ ...p, linkType: 1 }));
    const bytes = writeCapture([...recs, { ...recs[0]!, ts: recs.at(-1)!.ts + 1, linkType: 105 }]).bytes;
    const r = await analyse(bytes);
    expect(r.diagnosis.cause).toBeNull();
    expect(r.diagnosis.confidence).toBe('medium');
    expect(r.diagnosis.caveats).toContain(
      '1 packet is of a link type pcap-doctor does not decode (link type 105): counted, not analysed, so a problem in it would not show here.',
    );
  });

  it('a capture cut short: a caveat says where, and confidence drops to medium', async () => {
    const r = await analyse(HEALTHY.subarray(0, HEALTHY.length - 20));
    expect(r.captures[0]!.errors.map((e) => e.code)).toEqual(['truncated-record']);
    expect(r.diagnosis.cause).toBeNull();
    expect(r.diagnosis.confidence).toBe('medium');
    expect(
      r.diagnosis.caveats.find((c) => c.startsWith('x.pcap could not be read to the end (capture ends inside a record at byte')),
    ).toBeDefined();
    const zh = await analyzeCaptures([{ name: 'x.pcap', source: bufferChunks(HEALTHY.subarray(0, HEALTHY.length - 20)) }], {
      lang: 'zh',
    });
    expect(zh.diagnosis.caveats.find((c) => c.startsWith('x.pcap 未能读到末尾（抓包文件在第'))).toBeDefined();
  });

  it('a harmless oddity (a bad timestamp fraction) keeps high confidence', async () => {
    const bytes = HEALTHY.slice();
    new DataView(bytes.buffer).setUint32(24 + 4, 2_000_000, true);
    const r = await analyse(bytes);
    expect(r.captures[0]!.errors.map((e) => e.code)).toEqual(['bad-timestamp']);
    expect(r.diagnosis.confidence).toBe('high');
  });
});

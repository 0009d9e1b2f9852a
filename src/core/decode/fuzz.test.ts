/**
 * Decoder invariants under hostile input, through an instrumented cursor: whatever the bytes,
 * no decoder reads outside the range its parent gave it (the cursor counts such reads), every
 * layer lies inside the frame and inside its parent, every checksum belongs to a decoded layer,
 * and the layer limit holds. "Does not throw" is not enough: an out-of-range typed-array read
 * returns undefined and never throws, so only invariants catch a missing length check.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusBytes, corpusFiles } from '../../../test/helpers/corpus';
import { readCapture } from '../capture/reader';
import { bufferChunks } from '../capture/source';
import { Cursor } from './cursor';
import { Dissector, MAX_LAYERS, type Dissection } from './dissect';
import { defineProtocol } from './protocol';
import { PROTOCOLS } from './protocols';
import { buildRegistry } from './registry';

/** A cursor that also records the widest range read, for the report of a violation. */
class RecordingCursor extends Cursor {
  maxRead = -1;
  override u8(o: number): number {
    this.maxRead = Math.max(this.maxRead, o);
    return super.u8(o);
  }
  override u16(o: number): number {
    this.maxRead = Math.max(this.maxRead, o + 1);
    return super.u16(o);
  }
  override u32(o: number): number {
    this.maxRead = Math.max(this.maxRead, o + 3);
    return super.u32(o);
  }
}

/** Every violated invariant of one dissection (empty when all hold). */
function violations(d: Dissection, c: RecordingCursor): string[] {
  const out: string[] = [];
  const len = d.data.length;
  if (c.overruns) out.push(`${c.overruns} reads outside the layer's range`);
  if (c.maxRead >= len) out.push(`read at ${c.maxRead} past the frame (${len})`);
  if (d.nLayers > MAX_LAYERS) out.push(`${d.nLayers} layers`);
  for (let i = 0; i < d.nLayers; i++) {
    const l = d.layers[i]!;
    if (!(l.start >= 0 && l.start <= l.hdrEnd && l.hdrEnd <= l.end && l.end <= len)) {
      out.push(`layer ${i} kind ${l.kind}: start ${l.start} hdrEnd ${l.hdrEnd} end ${l.end} frame ${len}`);
    }
    if (i > 0) {
      const p = d.layers[i - 1]!;
      if (l.start < p.start || l.end > p.end)
        out.push(`layer ${i} [${l.start}, ${l.end}) outside layer ${i - 1} [${p.start}, ${p.end})`);
    }
  }
  for (let i = 0; i < d.nChecks; i++) {
    const k = d.checks[i]!;
    const l = d.layers[k.layerIndex];
    if (!l || k.layerIndex >= d.nLayers) out.push(`check ${i} of a layer that does not exist`);
    else if (k.depth !== l.depth) out.push(`check ${i} depth ${k.depth} != its layer's ${l.depth}`);
    if (k.stored >= 0 && k.fieldOff + 2 > len) out.push(`check ${i} field past the frame`);
  }
  return out;
}

const LINK_TYPES = [0, 1, 9, 12, 101, 104, 108, 113, 228, 229, 276];

function check(dis: Dissector, cur: RecordingCursor, b: Uint8Array, lt: number): string[] {
  cur.overruns = 0;
  cur.maxRead = -1;
  return violations(dis.dissect(b, lt), cur);
}

/** Real frames of the corpus (the starting points of mutations). */
async function corpusFrames(max = 2000): Promise<{ data: Uint8Array; lt: number }[]> {
  const out: { data: Uint8Array; lt: number }[] = [];
  for (const f of corpusFiles()) {
    try {
      let k = 0;
      await readCapture(bufferChunks(corpusBytes(f)), (r) => {
        if (k++ < 40 && out.length < max) out.push({ data: r.data.slice(), lt: r.linkType });
      });
    } catch {
      /* unreadable files have no frames */
    }
  }
  return out;
}

describe('decoder invariants', () => {
  it('hold for every truncation of every corpus frame', async () => {
    const cur = new RecordingCursor();
    const dis = new Dissector({ cursor: cur });
    const frames = await corpusFrames();
    expect(frames.length).toBeGreaterThan(500);
    for (const fr of frames) {
      for (let cut = 0; cut <= fr.data.length; cut += 3) {
        const v = check(dis, cur, fr.data.subarray(0, cut), fr.lt);
        if (v.length) throw new Error(`link ${fr.lt}, ${cut} bytes: ${v.join('; ')}`);
      }
    }
  });

  it('hold for random bytes and for corpus frames with random bytes changed (fast-check)', async () => {
    const cur = new RecordingCursor();
    const dis = new Dissector({ cursor: cur, vxlanPorts: [9999] });
    const frames = await corpusFrames(600);
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom(...LINK_TYPES),
        (b, lt) => check(dis, cur, b, lt).length === 0,
      ),
      { numRuns: 4000, seed: 42 },
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...frames),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.nat(),
        (fr, edits, cut) => {
          const b = fr.data.slice(0, fr.data.length ? (cut % fr.data.length) + 1 : 0);
          for (const [at, v] of edits) if (b.length) b[at % b.length] = v;
          return check(dis, cur, b, fr.lt).length === 0;
        },
      ),
      { numRuns: 6000, seed: 7 },
    );
  });

  it('stop at the layer limit: thousands of stacked headers are one bounded frame, no recursion', () => {
    // 6,000 NSH headers inside VXLAN-GPE (each says "NSH follows"): once a stack overflow.
    const nsh = [0x0f, 0x02, 0x01, 0x04, 0, 0, 1, 0xff];
    const gpe = [0x0c, 0, 0, 0x04, 0, 0, 1, 0];
    const payload = [...gpe, ...Array.from({ length: 6000 }, () => nsh).flat()];
    const udp = [0x12, 0x34, 0x12, 0xb6, (payload.length + 8) >> 8, (payload.length + 8) & 0xff, 0, 0, ...payload];
    const ip = [
      0x45,
      0,
      (udp.length + 20) >> 8,
      (udp.length + 20) & 0xff,
      0,
      0,
      0,
      0,
      64,
      17,
      0,
      0,
      10,
      0,
      0,
      1,
      10,
      0,
      0,
      2,
      ...udp,
    ];
    const cur = new RecordingCursor();
    const d = new Dissector({ cursor: cur }).dissect(new Uint8Array(ip), 101);
    expect(d.nLayers).toBe(MAX_LAYERS);
    expect(d.layerLimit).toBe(true);
    expect(violations(d, cur)).toEqual([]);
  });

  it('catch a decoder that forgets a length check (the invariants bite)', () => {
    // A deliberately broken module: reads 4 bytes past what its parent gave it.
    const broken = defineProtocol({
      id: 200,
      name: 'broken',
      label: 'Broken',
      register: [{ table: 'udp.port', keys: [7777] }],
      decode(x, o, end, depth, quoted) {
        const l = x.push(this, o, depth, quoted);
        if (l) {
          l.tunnelId = x.c.u32(end);
          l.hdrEnd = l.end = l.claimedEnd = end;
        }
        return true;
      },
    });
    const registry = buildRegistry([...PROTOCOLS, broken]);
    const cur = new RecordingCursor();
    const dis = new Dissector({ cursor: cur, registry });
    const udp = [0x1e, 0x61, 0x1e, 0x61, 0, 12, 0, 0, 1, 2, 3, 4];
    const ip = [0x45, 0, 0, 32, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, ...udp];
    expect(check(dis, cur, new Uint8Array(ip), 101).join()).toMatch(/reads outside the layer's range/);
    // ...and a registry that gives two modules one key refuses to load.
    expect(() =>
      buildRegistry([...PROTOCOLS, { ...broken, name: 'broken2', id: 201, register: [{ table: 'udp.port', keys: [53] }] }]),
    ).toThrow(/udp\.port 53 is claimed by both dns and broken2/);
  });
});

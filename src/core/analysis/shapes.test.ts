/**
 * The per-packet path reads fields of a few dozen long-lived objects (the trackers, the TCP
 * columns, the dissector and its pools) millions of times. V8 keeps an object's properties at
 * fixed offsets only while it stays in "fast mode"; an object it has turned into a hash table
 * (dictionary mode) costs a lookup per load. That happened once without anyone noticing: the 33
 * TCP columns, added one by one under computed names, cost about a fifth of a 256 MiB run. This
 * test asks V8 itself, after a real analysis, about every plain object the analyzer holds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../../test/helpers/corpus';
import { bufferChunks } from '../capture/source';
import type { Dissection } from '../decode/dissect';
import { runAnalysis } from '../pipeline';
import { columns } from './columns';

// A test-only door: a native call compiled after the flag is set.
setFlagsFromString('--allow-natives-syntax');
const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;

/** Paths of plain objects reachable from `root` (breadth-first, bounded) that V8 keeps as hash tables. */
function slowObjects(root: object, name: string, maxObjects = 5000): string[] {
  const slow: string[] = [];
  const seen = new Set<unknown>();
  const queue: [string, unknown][] = [[name, root]];
  for (let q = 0; q < queue.length && seen.size < maxObjects; q++) {
    const [path, o] = queue[q]!;
    if (!o || typeof o !== 'object' || seen.has(o) || ArrayBuffer.isView(o) || o instanceof ArrayBuffer) continue;
    seen.add(o);
    if (o instanceof Map || o instanceof Set) {
      // Entries, not properties: look at a few values.
      let i = 0;
      for (const v of o.values()) if (i++ < 3) queue.push([`${path}.<value>`, v]);
      continue;
    }
    if (Array.isArray(o)) {
      o.slice(0, 3).forEach((v, i) => queue.push([`${path}[${i}]`, v]));
      continue;
    }
    if (!hasFastProperties(o)) slow.push(path);
    for (const k of Object.keys(o)) queue.push([`${path}.${k}`, (o as Record<string, unknown>)[k]]);
  }
  return slow;
}

const sample = (name: string) => new Uint8Array(readFileSync(join(REPO, 'public/samples', name)));

describe('object shapes on the per-packet path', () => {
  it('are all fixed-shape after analysing captures of TCP, DNS and VXLAN', async () => {
    let dissection: Dissection | null = null;
    const analyzer = await runAnalysis(
      ['tke-63s-sender-eth0.pcap', 'dns-vxlan-bad-outer.pcap'].map((n) => ({ name: n, source: bufferChunks(sample(n)) })),
      { onPacket: (_c, _n, _rec, d) => (dissection ??= d) },
    );
    expect(dissection).not.toBeNull();
    // The dissection, its layer and checksum pools, and what the analyzer keeps.
    expect([...slowObjects(dissection!, 'dissection'), ...slowObjects(analyzer, 'analyzer')]).toEqual([]);
  });

  it('columns: fixed-shape, filled, grown keeping contents, cleared per flow', () => {
    // As wide as TcpConversations' 33 columns and more, of every array type and slot count.
    const types = [Int32Array, Float64Array, Int8Array, Uint32Array, Uint8Array, Int16Array];
    const spec = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [
        `c${i}`,
        { type: types[i % types.length]!, per: [1, 2, 16][i % 3]!, fill: i % 2 ? 0 : -1 },
      ]),
    );
    const c = columns(spec, 4) as unknown as Record<string, Float64Array> & { grow(n: number): void; clear(id: number): void };
    expect(hasFastProperties(c)).toBe(true);
    c.c5![40] = 3; // c5: Int16Array, 16 slots a flow, fill 0: flow 2, slot 8
    c.grow(64);
    expect(hasFastProperties(c)).toBe(true);
    expect(c.c5![40]).toBe(3);
    expect(c.c0![63]).toBe(-1);
    expect(c.c5!.length).toBe(64 * 16);
    c.clear(2);
    expect(c.c5![40]).toBe(0);
    expect(c.c0![2]).toBe(-1);
  });
});

/**
 * Blob chunks: 16 MiB slices (the read rate depends on it, see DEFAULT_CHUNK_SIZE), in order,
 * the next one requested before the consumer gets this one.
 */
import { describe, expect, it } from 'vitest';
import { blobChunks, DEFAULT_CHUNK_SIZE } from './source';

describe('blobChunks', () => {
  it('reads a File in 16 MiB slices, in order, with the next slice under way', async () => {
    const size = 2 * DEFAULT_CHUNK_SIZE + 12_345;
    const bytes = new Uint8Array(size);
    for (let i = 0; i < size; i += 4096) bytes[i] = (i >>> 12) & 0xff;
    const blob = new Blob([bytes]);
    // Record every slice() the reader asks for, and when, relative to the chunks it hands on.
    const events: string[] = [];
    const spy = {
      size: blob.size,
      slice(from: number, to: number) {
        events.push(`slice ${from}-${to}`);
        return blob.slice(from, to);
      },
    } as unknown as Blob;
    let off = 0;
    for await (const c of blobChunks(spy)) {
      events.push(`chunk ${off}+${c.length}`);
      for (let i = 0; i < c.length; i += 4096) expect(c[i]).toBe(bytes[off + i]);
      off += c.length;
    }
    expect(off).toBe(size);
    const M = DEFAULT_CHUNK_SIZE;
    expect(M).toBe(16 << 20);
    expect(events).toEqual([
      `slice 0-${M}`,
      `slice ${M}-${2 * M}`,
      `chunk 0+${M}`,
      `slice ${2 * M}-${size}`,
      `chunk ${M}+${M}`,
      `chunk ${2 * M}+12345`,
    ]);
  });

  it('reads an empty Blob as no chunks, and a small one as one', async () => {
    const all = async (b: Blob) => {
      const out: number[] = [];
      for await (const c of blobChunks(b)) out.push(c.length);
      return out;
    };
    expect(await all(new Blob([]))).toEqual([]);
    expect(await all(new Blob([new Uint8Array(100)]))).toEqual([100]);
  });
});

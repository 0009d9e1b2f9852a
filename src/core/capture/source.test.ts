/**
 * Blob chunks: read through a BYOB stream reader into buffers of DEFAULT_CHUNK_SIZE, in order;
 * with `reuse`, two buffers in turn (the chunk before last is overwritten, the last one is not);
 * `slice()` where a platform has no BYOB reader; an early stop cancels the read; a stalled read
 * (Chromium's now and then never resolve) starts its chunk again on a new stream.
 */
import { describe, expect, it } from 'vitest';
import { blobChunks, DEFAULT_CHUNK_SIZE, MAX_STALLS } from './source';

const M = DEFAULT_CHUNK_SIZE;

/** `size` bytes that tell their offset apart (one marker per 4 KiB page). */
function marked(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 4096) bytes[i] = ((i >>> 12) * 7 + 1) & 0xff;
  return bytes;
}

function sameAs(c: Uint8Array, bytes: Uint8Array, off: number): boolean {
  for (let i = 0; i < c.length; i += 4096) if (c[i] !== bytes[off + i]) return false;
  return c.length > 0;
}

describe('blobChunks', () => {
  it('hands on chunks of DEFAULT_CHUNK_SIZE in order, each intact until the next but one', async () => {
    expect(M).toBe(1 << 20);
    const size = 4 * M + 12_345;
    const bytes = marked(size);
    for (const reuse of [true, false]) {
      const seen: { off: number; c: Uint8Array; len: number }[] = [];
      let off = 0;
      for await (const c of blobChunks(new Blob([bytes as Uint8Array<ArrayBuffer>]), { reuse })) {
        expect(sameAs(c, bytes, off)).toBe(true);
        // The chunk before this one is still readable (a record cut at its end was copied from it).
        const prev = seen.at(-1);
        if (prev) expect(sameAs(prev.c, bytes, prev.off)).toBe(true);
        seen.push({ off, c, len: c.length });
        off += c.length;
      }
      expect(off).toBe(size);
      expect(seen.map((s) => s.len)).toEqual([M, M, M, M, 12_345]);
      // Reused: every chunk but the last two was overwritten (its buffer went back to the reader).
      // Fresh buffers: all are still there.
      const intact = seen.map((s) => s.c.byteLength > 0 && sameAs(s.c, bytes, s.off));
      expect(intact).toEqual(reuse ? [false, false, false, true, true] : [true, true, true, true, true]);
    }
  });

  it('reads an empty Blob as no chunks, and a small one as one', async () => {
    const all = async (b: Blob) => {
      const out: number[] = [];
      for await (const c of blobChunks(b, { reuse: true })) out.push(c.length);
      return out;
    };
    expect(await all(new Blob([]))).toEqual([]);
    expect(await all(new Blob([new Uint8Array(100)]))).toEqual([100]);
    expect(await all(new Blob([new Uint8Array(M)]))).toEqual([M]);
  });

  it('fills whole chunks from a stream that delivers odd-sized pieces', async () => {
    const size = 2 * M + 999;
    const bytes = marked(size);
    // A byte stream answering each BYOB read with at most 65,521 bytes (a prime: never aligned).
    let at = 0;
    const blob = {
      size,
      stream: () =>
        new ReadableStream({
          type: 'bytes',
          pull(ctl) {
            const req = ctl.byobRequest!;
            const v = req.view as Uint8Array;
            const n = Math.min(v.byteLength, 65_521, size - at);
            v.set(bytes.subarray(at, at + n));
            at += n;
            req.respond(n);
            if (at === size) ctl.close();
          },
        }),
    } as unknown as Blob;
    const got: number[] = [];
    let off = 0;
    for await (const c of blobChunks(blob, { reuse: true })) {
      expect(sameAs(c, bytes, off)).toBe(true);
      got.push(c.length);
      off += c.length;
    }
    expect(got).toEqual([M, M, 999]);
  });

  it('cancels the read when the consumer stops early', async () => {
    let cancelled = false;
    let pulls = 0;
    const blob = {
      size: 100 * M,
      stream: () =>
        new ReadableStream({
          type: 'bytes',
          pull(ctl) {
            pulls++;
            const req = ctl.byobRequest!;
            req.respond(req.view!.byteLength);
          },
          cancel() {
            cancelled = true;
          },
        }),
    } as unknown as Blob;
    for await (const c of blobChunks(blob, { reuse: true })) {
      expect(c.length).toBe(M);
      break;
    }
    expect(cancelled).toBe(true);
    expect(pulls).toBeLessThan(5);
  });

  it('falls back to slice() where Blob streams have no BYOB reader', async () => {
    const size = 2 * M + 7;
    const bytes = marked(size);
    const real = new Blob([bytes as Uint8Array<ArrayBuffer>]);
    const slices: string[] = [];
    const blob = {
      size,
      stream: () => ({
        getReader: () => {
          throw new TypeError('byob unsupported');
        },
      }),
      slice(from: number, to: number) {
        slices.push(`${from}-${to}`);
        return real.slice(from, to);
      },
    } as unknown as Blob;
    let off = 0;
    for await (const c of blobChunks(blob)) {
      expect(sameAs(c, bytes, off)).toBe(true);
      off += c.length;
    }
    expect(off).toBe(size);
    expect(slices).toEqual([`0-${M}`, `${M}-${2 * M}`, `${2 * M}-${size}`]);
  });

  /**
   * A Blob over `bytes[base..]` whose stream answers BYOB reads with up to 65,521 bytes and never
   * answers the read that would pass `stallAt` (an offset in `bytes`) on the first `stallStreams`
   * streams opened; `log` notes each stream opened and each slice() asked for.
   */
  function stalling(bytes: Uint8Array, stallAt: number, stallStreams: number, log: string[], base = 0): Blob {
    const counter = { streams: 0 };
    const make = (from: number): Blob =>
      ({
        size: bytes.length - from,
        slice(a: number, b?: number) {
          log.push(`slice ${from + a}`);
          if (b === undefined) return make(from + a);
          return new Blob([bytes.subarray(from + a, from + Math.min(b, bytes.length - from)) as Uint8Array<ArrayBuffer>]);
        },
        stream() {
          const stalls = counter.streams++ < stallStreams;
          log.push(`stream ${from}`);
          let at = from;
          return new ReadableStream({
            type: 'bytes',
            pull(ctl) {
              const req = ctl.byobRequest!;
              const v = req.view as Uint8Array;
              const n = Math.min(v.byteLength, 65_521, bytes.length - at);
              if (stalls && at + n > stallAt) return new Promise<void>(() => undefined);
              v.set(bytes.subarray(at, at + n));
              at += n;
              req.respond(n);
              if (at === bytes.length) ctl.close();
            },
          });
        },
      }) as unknown as Blob;
    return make(base);
  }

  it('starts a chunk again on a new stream when a read stalls, and the chunks are unchanged', async () => {
    const size = 3 * M + 500;
    const bytes = marked(size);
    const log: string[] = [];
    const stalledAt: number[] = [];
    const blob = stalling(bytes, M + 300_000, 1, log);
    const lens: number[] = [];
    let off = 0;
    for await (const c of blobChunks(blob, { reuse: true, stallMs: 20, onStall: (o) => stalledAt.push(o) })) {
      expect(sameAs(c, bytes, off)).toBe(true);
      lens.push(c.length);
      off += c.length;
    }
    expect(lens).toEqual([M, M, M, 500]);
    // The second chunk (from 1 MiB) stalled part-filled: it was read again from its start.
    expect(stalledAt).toEqual([M]);
    expect(log).toEqual(['stream 0', `slice ${M}`, `stream ${M}`]);
  });

  it('reads the rest with slice() after MAX_STALLS stalls in a row', async () => {
    const size = 2 * M + 77;
    const bytes = marked(size);
    const log: string[] = [];
    const stalledAt: number[] = [];
    const blob = stalling(bytes, M / 2, Infinity, log);
    let off = 0;
    const t0 = Date.now();
    for await (const c of blobChunks(blob, { stallMs: 5, onStall: (o) => stalledAt.push(o) })) {
      expect(sameAs(c, bytes, off)).toBe(true);
      off += c.length;
    }
    expect(off).toBe(size);
    expect(stalledAt).toEqual(Array(MAX_STALLS + 1).fill(0));
    expect(log.filter((l) => l.startsWith('stream'))).toHaveLength(MAX_STALLS + 1);
    expect(log.at(-3)).toBe('slice 0');
    // Each wait twice the last: 5 + 10 + 20 + 40 + 80 ms.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
  });
});

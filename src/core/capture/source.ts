/**
 * Byte sources for the capture reader. A capture arrives as an async sequence of chunks (Node
 * file stream, or `Blob.slice()` in the browser) so that no caller ever holds the whole file.
 */
import type { CoreError } from '../errors';
import { captureError } from './messages';

/** An async sequence of byte chunks. */
export type ChunkSource = AsyncIterable<Uint8Array>;

/**
 * Default chunk size when slicing a Blob. Each `slice().arrayBuffer()` is a round trip through the
 * browser process, and its size decides the read rate. Reading a 1 GiB File in Chromium on the
 * 2-core VM: 4 MiB 132 MB/s, 8 MiB 157-183, 16 MiB 184, 32 MiB 227, 64 MiB 232-242 (two or four
 * readers at once read no faster). But the bytes in flight count twice (browser process and
 * worker). Drop to diagnosis and peak memory (PSS), 1 GiB and 4 GiB benches of 2026-11-25:
 *
 *     4 MiB    13.0-16.2 s  580-595 MiB     57.9 s  837 MiB
 *     16 MiB   12.2-12.4 s  613-615 MiB     50.1 s  935 MiB
 *     32 MiB   10.5-11.6 s  654-691 MiB     45.1 s  983 MiB   (too close to the 1 GiB target)
 *
 * Freeing each chunk at once with `ArrayBuffer.prototype.transfer(0)` made the 1 GiB peak worse
 * (910 MiB at 32 MiB), not better.
 */
export const DEFAULT_CHUNK_SIZE = 16 * 1024 * 1024;

/**
 * Read a Blob (or File) in `slice()` chunks, never one `arrayBuffer()` of the whole capture
 * (Chrome caps a single ArrayBuffer near 2 GB; perfetto's trace_stream does the same). The next
 * chunk is already being read while the consumer decodes this one: a Blob read goes through the
 * browser process and would otherwise leave the decoder idle for every chunk.
 */
export async function* blobChunks(blob: Blob, chunkSize = DEFAULT_CHUNK_SIZE): ChunkSource {
  const read = (off: number) => blob.slice(off, Math.min(blob.size, off + chunkSize)).arrayBuffer();
  let next = blob.size > 0 ? read(0) : null;
  try {
    for (let off = 0; next; off += chunkSize) {
      const buf = await next;
      next = off + chunkSize < blob.size ? read(off + chunkSize) : null;
      yield new Uint8Array(buf);
    }
  } finally {
    // Stopped early (cancel, a damaged file): the read in flight has nobody to wait for it.
    next?.catch(() => undefined);
  }
}

/** Yield one in-memory buffer as a single chunk (tests, permalinks). */
export async function* bufferChunks(buf: Uint8Array, chunkSize = Number.MAX_SAFE_INTEGER): ChunkSource {
  for (let off = 0; off < buf.length; off += chunkSize) yield buf.subarray(off, Math.min(buf.length, off + chunkSize));
}

/** Wrap a source, calling `onBytes(total)` as raw (possibly compressed) bytes are consumed. */
export async function* countingSource(src: ChunkSource, onBytes: (total: number) => void): ChunkSource {
  let total = 0;
  for await (const c of src) {
    total += c.length;
    onBytes(total);
    yield c;
  }
}

/** gzip member magic: 1f 8b, deflate method 08. */
const GZIP_MAGIC0 = 0x1f;
const GZIP_MAGIC1 = 0x8b;

/** True when `head` starts as a gzip member does (what {@link maybeGunzip} inflates). */
export function isGzipMagic(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === GZIP_MAGIC0 && head[1] === GZIP_MAGIC1;
}

/** Result of {@link maybeGunzip}: the (decompressed) stream, and errors seen while inflating. */
export interface Decoded {
  compressed: boolean;
  chunks: ChunkSource;
  /** Filled while `chunks` is consumed: a corrupt or truncated gzip stream ends early with an error here. */
  errors: CoreError[];
}

/**
 * Detect gzip by magic and inflate it with the platform `DecompressionStream` (browsers and
 * Node >= 18 both have it, so the core stays dependency-free). A damaged gzip stream ends the
 * sequence early and leaves an error in `errors`: what was inflated before it is still analysed.
 */
export async function maybeGunzip(src: ChunkSource): Promise<Decoded> {
  const it = src[Symbol.asyncIterator]();
  // The magic is two bytes; a source may deliver them in separate chunks (a pipe, 1-byte reads).
  let head: Uint8Array = new Uint8Array(0);
  while (head.length < 2) {
    const r = await it.next();
    if (r.done) break;
    if (!r.value.length) continue;
    if (!head.length) head = r.value;
    else {
      const both = new Uint8Array(head.length + r.value.length);
      both.set(head);
      both.set(r.value, head.length);
      head = both;
    }
  }
  async function* rest(): ChunkSource {
    if (head.length) yield head;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  const errors: CoreError[] = [];
  if (!isGzipMagic(head)) {
    return { compressed: false, chunks: rest(), errors };
  }
  return { compressed: true, chunks: gunzip(rest(), errors), errors };
}

/**
 * Deflate cannot expand more than ~1032-fold; real captures (timestamps differ in every record)
 * compress a few times, rarely 50-fold. Past BOMB_MIN_OUT bytes, a stream expanding more than
 * BOMB_RATIO-fold is a decompression bomb: stop rather than spend minutes on it.
 */
const BOMB_RATIO = 200;
const BOMB_MIN_OUT = 64 * 1048576;

async function* gunzip(src: ChunkSource, errors: CoreError[]): ChunkSource {
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  let fed = 0;
  const pump = (async () => {
    try {
      for await (const c of src) {
        await writer.write(c as Uint8Array<ArrayBuffer>);
        fed += c.length;
      }
      await writer.close();
    } catch {
      // The readable side reports the failure; nothing more to say here.
    }
  })();
  const reader = ds.readable.getReader();
  let out = 0;
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      out += r.value.length;
      if (out > BOMB_MIN_OUT && out > BOMB_RATIO * fed) {
        errors.push(captureError('gzip-bomb', { out, fed, ratio: BOMB_RATIO }, out));
        return;
      }
      yield r.value;
    }
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const kind = /truncat|end of (file|stream|input)|unexpected end|premature/i.test(why) ? 'truncated' : 'damaged';
    errors.push(captureError('gzip-corrupt', { out, fed, why, kind }, out));
    try {
      await writer.abort();
    } catch {
      /* already errored */
    }
  } finally {
    // The consumer may stop early (a damaged record, a cancel): cancel the decompressor so the
    // feeding loop's pending write fails instead of waiting forever for a reader.
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
    await pump.catch(() => undefined);
  }
}

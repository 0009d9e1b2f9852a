/**
 * Byte sources for the capture reader. A capture arrives as an async sequence of chunks (Node
 * file stream, or `Blob.slice()` in the browser) so that no caller ever holds the whole file.
 */
import type { CoreError } from '../errors';
import { captureError } from './messages';

/** An async sequence of byte chunks. */
export type ChunkSource = AsyncIterable<Uint8Array>;

/**
 * Chunk size when reading a Blob: how much is handed to the capture reader at a time. The bytes
 * come from `Blob.stream()` with a BYOB ("bring your own buffer") reader, which fills a buffer we
 * give it in pieces of ~100 KiB. Reading a 1 GiB File in a Chromium worker on the 2-core VM
 * (2026-11-25): BYOB into reused buffers 734 MB/s; the default stream reader, a fresh buffer per
 * piece, 266 MB/s; `slice().arrayBuffer()` 200-230 MB/s at 16 MiB, 132 MB/s at 4 MiB (every
 * fresh buffer costs a page fault per 4 KiB, and each slice is a round trip to the browser
 * process).
 */
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;

/**
 * A BYOB read of a Blob stream in Chromium now and then never resolves: reading a 4 GiB File into
 * reused 1 MiB buffers (~33,000 reads) stalled for good in about half the runs, at a different
 * offset each time, with nothing special about the request. A read without progress for this long
 * is given up: the stream is cancelled and a new one opened on `blob.slice()` from the start of
 * the chunk being filled (the cancelled read took that buffer with it). The wait doubles with each
 * stall, so a genuinely slow disk still gets read.
 */
export const STALL_MS = 1000;
/** Stalls after which the rest of the Blob is read with `slice().arrayBuffer()` instead. */
export const MAX_STALLS = 4;

/** Options of {@link blobChunks}. */
export interface BlobChunkOptions {
  /** Bytes per chunk handed on (the last one may be shorter). */
  chunkSize?: number;
  /**
   * Fill two buffers in turn instead of a fresh one per chunk. A chunk handed on is then
   * overwritten (its buffer detached) when the chunk after the next one is read: only for a
   * consumer that is done with each chunk before it asks for the next but one, as the capture
   * reader is (it copies a record cut at a chunk's end). Not for a gzip stream, whose
   * decompressor may still hold the bytes it was given.
   */
  reuse?: boolean;
  /** First wait for a read before it counts as stalled (tests shorten it). */
  stallMs?: number;
  /** Called with the offset of the chunk being read again after each stall. */
  onStall?: (offset: number) => void;
}

const STALLED = Symbol('stalled');

/** `rd.read(view)`, or STALLED when it has not resolved after `ms`. */
function readOrStall(
  rd: ReadableStreamBYOBReader,
  view: Uint8Array<ArrayBuffer>,
  ms: number,
): Promise<ReadableStreamReadResult<Uint8Array<ArrayBuffer>> | typeof STALLED> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stall = new Promise<typeof STALLED>((resolve) => (timer = setTimeout(resolve, ms, STALLED)));
  return Promise.race([rd.read(view), stall]).finally(() => clearTimeout(timer));
}

/** A BYOB reader over `blob` from `offset`, or null where Blob streams have none. */
function byobReader(blob: Blob, offset: number): ReadableStreamBYOBReader | null {
  try {
    return (offset ? blob.slice(offset) : blob).stream().getReader({ mode: 'byob' });
  } catch {
    return null;
  }
}

/** Cancel a reader (its pending read, if any, resolves as done) and let go of its stream. */
function drop(rd: ReadableStreamBYOBReader): void {
  rd.cancel().catch(() => undefined);
  rd.releaseLock();
}

/**
 * Read a Blob (or File) as a sequence of chunks, never one `arrayBuffer()` of the whole capture
 * (Chrome caps a single ArrayBuffer near 2 GB; perfetto's trace_stream reads in pieces too). The
 * browser process keeps streaming into the BYOB reader's pipe while the consumer decodes a chunk.
 * Where a platform has no BYOB reader for Blobs, or its reads keep stalling, it reads
 * `slice().arrayBuffer()` chunks instead.
 */
export async function* blobChunks(blob: Blob, opts: BlobChunkOptions = {}): ChunkSource {
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK_SIZE;
  if (blob.size === 0) return;
  let rd = byobReader(blob, 0);
  // Two buffers in turn when reusing: the chunk handed on last stays intact while the next fills.
  const spare: (ArrayBuffer | null)[] = [null, null];
  let turn = 0;
  /** Bytes handed on so far: where a chunk starts. */
  let pos = 0;
  let stalls = 0;
  try {
    for (let done = false; rd && !done;) {
      let buf = (opts.reuse && spare[turn]) || new ArrayBuffer(chunkSize);
      let filled = 0;
      while (filled < chunkSize) {
        const r: Awaited<ReturnType<typeof readOrStall>> = await readOrStall(
          rd,
          new Uint8Array(buf, filled, chunkSize - filled),
          (opts.stallMs ?? STALL_MS) << stalls,
        );
        if (r === STALLED) {
          // The stalled read owns `buf` now: start this chunk again in a fresh buffer.
          drop(rd);
          opts.onStall?.(pos);
          rd = ++stalls > MAX_STALLS ? null : byobReader(blob, pos);
          if (!rd) break;
          buf = new ArrayBuffer(chunkSize);
          filled = 0;
          continue;
        }
        // The read transfers the buffer: carry on with the one it came back in.
        if (r.value) buf = r.value.buffer;
        if (r.done) {
          done = true;
          break;
        }
        filled += r.value.byteLength;
      }
      if (!rd) break;
      if (opts.reuse) spare[turn] = buf;
      turn ^= 1;
      if (filled) {
        pos += filled;
        yield new Uint8Array(buf, 0, filled);
      }
    }
  } finally {
    // Stopped early (cancel, a damaged file): stop the browser reading the rest.
    if (rd) drop(rd);
  }
  // No BYOB reader, or too many stalls: slices for the rest.
  if (!rd && pos < blob.size) yield* sliceChunks(pos ? blob.slice(pos) : blob, chunkSize);
}

/** Read a Blob in `slice()` chunks, the next one already being read while this one is decoded. */
async function* sliceChunks(blob: Blob, chunkSize: number): ChunkSource {
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

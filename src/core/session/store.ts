/**
 * Per-capture packet index: struct of arrays (typed arrays, no object per packet), 30 bytes a
 * packet. Packet bytes are read back from the capture file with a {@link ByteReader}
 * (Blob.slice in the browser) when it is uncompressed, so memory stays at the index whatever the
 * file size; otherwise (gzip, in-memory captures) they are packed into 16 MiB arenas, up to a
 * budget beyond which only the index grows.
 *
 *   per packet:  ts f64 | where f64 | caplen u32 | origLen u32 | iface u8 | stream i32 | flags u8
 *
 *   where:  read back  the packet's byte offset in the file
 *           in memory  arena * 2^32 + offset in the arena, or -1 past the budget (not kept)
 */
import type { RawRecord } from '../capture/reader';

/** Random access to the capture file's bytes. */
export interface ByteReader {
  read(start: number, end: number): Promise<Uint8Array>;
}

/** A Blob (File) as a {@link ByteReader}. */
export function blobReader(blob: Blob): ByteReader {
  return { read: async (start, end) => new Uint8Array(await blob.slice(start, end).arrayBuffer()) };
}

const ARENA = 16 * 1024 * 1024;
/** In-memory `where` = arena * 2^32 + offset: exact in a double for 2^21 arenas (an arena is at least 16 MiB). */
const ARENA_WHERE = 2 ** 32;
/** Stop keeping bytes past this (the index still grows): browsers cap a worker's memory. */
const MAX_RETAINED = 1.5 * 1024 * 1024 * 1024;
/** Window of one read-back: nearby packets share one slice. */
const WINDOW = 8 * 1024 * 1024;

export class PacketStore {
  n = 0;
  private cap = 0;
  ts = new Float64Array(0);
  /** Where packet `i`'s bytes are (see the layout above). */
  dataOffset = new Float64Array(0);
  len = new Uint32Array(0);
  origLen = new Uint32Array(0);
  /** Index into `linkTypes` (interfaces rarely number more than a few). */
  private iface = new Uint8Array(0);
  /** tcp.stream per packet (-1 none), for filters. */
  stream = new Int32Array(0);
  /** tcp.analysis flags per packet, for filters. */
  flags = new Uint8Array(0);
  /** Bytes are kept in memory (no file to read them back from). */
  private readonly inMemory: boolean;
  private readonly arenas: Uint8Array[] = [];
  private fill = ARENA;
  /** Distinct link types, by interface index. */
  readonly linkTypes: number[] = [];
  retained = 0;
  firstTs = Number.NaN;

  /**
   * @param reader the uncompressed capture file to read packet bytes back from, or null to keep
   *   the bytes in memory.
   */
  constructor(
    readonly name: string,
    readonly reader: ByteReader | null = null,
  ) {
    this.inMemory = !reader;
  }

  /** Link type of packet `i`. */
  linkType(i: number): number {
    return this.linkTypes[this.iface[i]!]!;
  }

  /**
   * Give every column capacity `c` (larger to grow, `n` to trim), keeping the first `n` entries.
   * One column at a time, and each old column's memory is released as soon as it is copied
   * (`ArrayBuffer.prototype.transfer`, where the runtime has it), not at the next garbage
   * collection: otherwise the old and the new index are both resident when a 4 GiB capture's
   * index grows past 11 M packets (342 MB beside 342 MB) or is trimmed (378 MB beside 378 MB),
   * and that transient was the browser's memory peak. New capacity past `n` is never written,
   * so it costs address space, not memory, until packets fill it.
   */
  private resize(c: number): void {
    const g = <T extends Float64Array | Uint32Array | Int32Array | Uint8Array | Uint16Array>(a: T): T => {
      const C = a.constructor as { new (n: number): T; new (b: ArrayBuffer): T; BYTES_PER_ELEMENT: number };
      const buf = a.buffer as ArrayBuffer & { transfer?: (bytes: number) => ArrayBuffer };
      // Shrinking: the runtime copies the kept part and frees the old memory in one step.
      if (c <= a.length && buf.transfer && a.byteOffset === 0) return new C(buf.transfer(c * C.BYTES_PER_ELEMENT));
      // Growing: a fresh zeroed array (its tail untouched), the entries copied, the old freed.
      const b = new C(c);
      b.set(a.subarray(0, Math.min(this.n, c)));
      buf.transfer?.(0);
      return b;
    };
    this.ts = g(this.ts);
    this.dataOffset = g(this.dataOffset);
    this.len = g(this.len);
    this.origLen = g(this.origLen);
    this.iface = g(this.iface);
    this.stream = g(this.stream);
    this.flags = g(this.flags);
    this.cap = c;
  }

  /**
   * Growing by half (not doubling) keeps the spare room small: the index is 30 bytes a packet
   * (time 8, file offset 8, lengths 4 + 4, stream 4, interface 1, flags 1).
   */
  private grow(): void {
    this.resize(Math.max(1024, Math.ceil(this.cap * 1.5)));
  }

  /** Drop the spare capacity once the capture is read: 30 bytes a packet, no more. */
  trim(): void {
    if (this.cap > this.n) this.resize(this.n);
  }

  /** Bytes the packet index takes (columns, not the kept packet bytes). */
  indexBytes(): number {
    const cols = [this.ts, this.dataOffset, this.len, this.origLen, this.iface, this.stream, this.flags];
    return cols.reduce((n, a) => n + a.byteLength, 0);
  }

  /** Index a record (and keep its bytes when there is no file to read them back from). */
  add(rec: RawRecord, stream = -1, flags = 0): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.ts[i] = rec.ts;
    if (Number.isNaN(this.firstTs) && rec.ts) this.firstTs = rec.ts;
    this.len[i] = rec.data.length;
    this.origLen[i] = rec.origLen;
    let li = this.linkTypes.indexOf(rec.linkType);
    if (li < 0) {
      li = this.linkTypes.length < 255 ? this.linkTypes.push(rec.linkType) - 1 : 254;
    }
    this.iface[i] = li;
    this.dataOffset[i] = rec.dataOffset;
    this.stream[i] = stream;
    this.flags[i] = flags;
    if (!this.inMemory) return;
    const len = rec.data.length;
    if (this.retained + len > MAX_RETAINED) {
      this.dataOffset[i] = -1;
      return;
    }
    if (!this.arenas.length || this.fill + len > ARENA) {
      this.arenas.push(new Uint8Array(Math.max(ARENA, len)));
      this.fill = 0;
    }
    const a = this.arenas.length - 1;
    this.arenas[a]!.set(rec.data, this.fill);
    this.dataOffset[i] = a * ARENA_WHERE + this.fill;
    this.fill += len;
    this.retained += len;
  }

  /** Bytes of packet index `i` kept in memory, or null. A view: copy before transfer. */
  private kept(i: number): Uint8Array | null {
    if (!this.inMemory || i >= this.n) return null;
    const where = this.dataOffset[i]!;
    if (where < 0) return null;
    const off = where % ARENA_WHERE;
    return this.arenas[(where - off) / ARENA_WHERE]!.subarray(off, off + this.len[i]!);
  }

  /**
   * Call `cb` with the bytes of each packet index in `indices` (ascending), reading the file in
   * windows of at most 8 MiB so nearby packets share one slice. Views are valid during `cb` only.
   */
  async each(indices: ArrayLike<number>, cb: (i: number, bytes: Uint8Array | null) => void): Promise<void> {
    const reader = this.reader;
    if (!reader) {
      for (let k = 0; k < indices.length; k++) cb(indices[k]!, this.kept(indices[k]!));
      return;
    }
    let k = 0;
    while (k < indices.length) {
      const first = indices[k]!;
      const start = this.dataOffset[first]!;
      let end = start + this.len[first]!;
      let j = k + 1;
      while (j < indices.length) {
        const e = this.dataOffset[indices[j]!]! + this.len[indices[j]!]!;
        if (e - start > WINDOW || e < start) break;
        end = Math.max(end, e);
        j++;
      }
      const buf = await reader.read(start, end);
      for (let m = k; m < j; m++) {
        const i = indices[m]!;
        const o = this.dataOffset[i]! - start;
        cb(i, buf.subarray(o, o + this.len[i]!));
      }
      k = j;
    }
  }

  /** Bytes of one packet (a copy), or null when they are not available. */
  async bytes(i: number): Promise<Uint8Array | null> {
    let out: Uint8Array | null = null;
    if (i < 0 || i >= this.n) return null;
    await this.each([i], (_, b) => (out = b ? b.slice() : null));
    return out;
  }
}

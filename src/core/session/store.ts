/**
 * Per-capture packet index: struct of arrays (typed arrays, no object per packet), 22 bytes a
 * packet. Packet bytes are read back from the capture file with a {@link ByteReader}
 * (Blob.slice in the browser) when it is uncompressed, so memory stays at the index whatever the
 * file size; otherwise (gzip, in-memory captures) they are packed into 16 MiB arenas, up to a
 * budget beyond which only the index grows.
 *
 *   per packet:  ts f64 | where u32 | caplen u16 | origLen u16 | iface u8 | stream i32 | flags u8
 *
 *   where:  read back  the packet's byte offset in the file, less its chunk's first one
 *           in memory  arena * 2^32 + offset in the arena, or -1 past the budget (not kept): f64
 *
 * The narrow columns ({@link IntColumn}) widen one chunk when a value does not fit: a caplen or
 * origLen over 65,535 (a GSO super-frame, a jumbo frame) makes that chunk's lengths 32-bit, and
 * 2^16 packets spanning more than 4 GiB of file (~64 KiB each) make its offsets 64-bit. A capture
 * of ordinary packets never widens.
 *
 * Each column is a list of fixed-size chunks of 2^16 entries ({@link Column}): appending never
 * copies, and every page of the index is written once. A contiguous array grown by half each
 * time had, by the end, allocated and written three times the final index and copied twice
 * that: on a 1 GiB capture (3.3 M packets) that was 0.8 to 1.5 s of the browser worker's 5.2 s,
 * most of it the first touch of fresh pages (about 3.5 ms a MiB on the bench VM).
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

/** Entries per chunk: 2^16 (a chunk set is ~1.9 MiB, the last one is cut to size by trim()). */
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK - 1;

type Numbers = Float64Array | Uint32Array | Int32Array | Uint16Array | Uint8Array;

/** One column of the index, in chunks of {@link CHUNK} entries. */
export class Column<A extends Numbers> {
  readonly chunks: A[] = [];

  constructor(private readonly make: (n: number) => A) {}

  /** Entry `i` (which must have been written). */
  at(i: number): number {
    return this.chunks[i >>> CHUNK_BITS]![i & CHUNK_MASK]!;
  }

  /** Start a new chunk and return it. */
  push(): A {
    const c = this.make(CHUNK);
    this.chunks.push(c);
    return c;
  }

  /** Cut the last chunk to the `n` entries written overall (its spare room would stay allocated). */
  trim(n: number): void {
    const last = this.chunks.length - 1;
    const used = n - last * CHUNK;
    if (last >= 0 && used < this.chunks[last]!.length) this.chunks[last] = this.chunks[last]!.slice(0, used) as A;
  }

  /** Give a cut last chunk its full size again, keeping its entries (and type), and return it. */
  reopen(): A {
    const last = this.chunks.length - 1;
    const old = this.chunks[last]!;
    const c = new (old.constructor as new (n: number) => A)(CHUNK);
    c.set(old as never);
    this.chunks[last] = c;
    return c;
  }

  /** Bytes the column's chunks take. */
  bytes(): number {
    return this.chunks.reduce((n, c) => n + c.byteLength, 0);
  }
}

type Ints = Uint16Array | Uint32Array | Float64Array;

/**
 * A column of integers kept narrow per chunk: entry = the chunk's base + a 16- or 32-bit value,
 * the chunk widened (16 -> 32 -> 64-bit, base 0) the first time a value does not fit. Written
 * through {@link put}; the chunk being filled is `cur`.
 */
export class IntColumn extends Column<Ints> {
  /** Per chunk, what its entries are relative to. */
  readonly bases: number[] = [];
  private cur: Ints = new Uint16Array(0);
  private base = 0;
  /** The largest value `cur` can hold (relative to `base`). */
  private max = 0;

  /**
   * @param bits the narrowest width a chunk starts at (64: plain doubles, never relative)
   * @param relative a chunk's entries are relative to its first value (file offsets)
   */
  constructor(
    private readonly bits: 16 | 32 | 64,
    private readonly relative: boolean,
  ) {
    super((n) => make(bits, n));
  }

  override at(i: number): number {
    const k = i >>> CHUNK_BITS;
    return this.bases[k]! + this.chunks[k]![i & CHUNK_MASK]!;
  }

  /** Start a new chunk whose first value will be `first`. */
  start(first: number): void {
    this.base = this.relative && this.bits !== 64 ? first : 0;
    this.cur = this.push();
    this.max = MAX[this.bits];
    this.bases.push(this.base);
  }

  /** Write entry `j` of the chunk being filled. */
  put(j: number, v: number): void {
    const d = v - this.base;
    // A 64-bit chunk (max Infinity, base 0) takes anything, -1 included.
    if ((d >= 0 && d <= this.max && d === Math.floor(d)) || this.max === Infinity) this.cur[j] = d;
    else this.widen(j, v);
  }

  /** Make the chunk being filled wide enough for `v` (rare), then write it at `j`. */
  private widen(j: number, v: number): void {
    const d = v - this.base;
    const to = bitsOf(this.cur) === 16 && d >= 0 && d <= MAX[32] && d === Math.floor(d) ? 32 : 64;
    const wide = make(to, this.cur.length);
    const base = to === 64 ? 0 : this.base;
    for (let i = 0; i < j; i++) wide[i] = this.base + this.cur[i]! - base;
    const k = this.chunks.length - 1;
    this.chunks[k] = this.cur = wide;
    this.bases[k] = this.base = base;
    this.max = MAX[to];
    this.cur[j] = v - base;
  }

  /** Give a cut last chunk its full size again, keeping its entries, width and base. */
  override reopen(): Ints {
    this.cur = super.reopen();
    this.base = this.bases[this.bases.length - 1]!;
    this.max = MAX[bitsOf(this.cur)];
    return this.cur;
  }
}

const MAX = { 16: 0xffff, 32: 0xffffffff, 64: Infinity } as const;

function bitsOf(a: Ints): 16 | 32 | 64 {
  return a instanceof Uint16Array ? 16 : a instanceof Uint32Array ? 32 : 64;
}

function make(bits: 16 | 32 | 64, n: number): Ints {
  return bits === 16 ? new Uint16Array(n) : bits === 32 ? new Uint32Array(n) : new Float64Array(n);
}

export class PacketStore {
  n = 0;
  readonly ts = new Column((n) => new Float64Array(n));
  /** Where packet `i`'s bytes are (see the layout above). */
  readonly dataOffset: IntColumn;
  readonly len = new IntColumn(16, false);
  readonly origLen = new IntColumn(16, false);
  /** Index into `linkTypes` (interfaces rarely number more than a few). */
  private readonly iface = new Column((n) => new Uint8Array(n));
  /** tcp.stream per packet (-1 none), for filters. */
  readonly stream = new Column((n) => new Int32Array(n));
  /** tcp.analysis flags per packet, for filters. */
  readonly flags = new Column((n) => new Uint8Array(n));
  // The chunks being filled (add() writes these without a lookup per column).
  private cTs = new Float64Array(0);
  private cIface = new Uint8Array(0);
  private cStream = new Int32Array(0);
  private cFlags = new Uint8Array(0);
  /** The last link type seen and its index in `linkTypes` (a capture rarely changes it). */
  private lastLinkType = -1;
  private lastIface = 0;
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
    // In memory, `where` encodes an arena and an offset (or -1): not a narrow file offset.
    this.dataOffset = new IntColumn(this.inMemory ? 64 : 32, true);
  }

  /** Link type of packet `i`. */
  linkType(i: number): number {
    return this.linkTypes[this.iface.at(i)]!;
  }

  private columns(): Column<Numbers>[] {
    return [this.ts, this.dataOffset, this.len, this.origLen, this.iface, this.stream, this.flags];
  }

  /**
   * Point add() at the chunks to fill: new ones (`reopen` false), or the cut last ones given their
   * full size again (an add() after trim()).
   */
  private openChunks(reopen: boolean, rec: RawRecord): void {
    const open = <A extends Numbers>(c: Column<A>): A => (reopen ? c.reopen() : c.push());
    for (const c of [this.dataOffset, this.len, this.origLen])
      if (reopen) c.reopen();
      else c.start(rec.dataOffset);
    this.cTs = open(this.ts);
    this.cIface = open(this.iface);
    this.cStream = open(this.stream);
    this.cFlags = open(this.flags);
  }

  /** Drop the last chunks' spare room once the capture is read: 22 bytes a packet, no more. */
  trim(): void {
    for (const c of this.columns()) c.trim(this.n);
    // Writes past a cut chunk go through reopen() (add() sees the short array).
    this.cTs = new Float64Array(0);
  }

  /** Bytes the packet index takes (columns, not the kept packet bytes). */
  indexBytes(): number {
    return this.columns().reduce((n, c) => n + c.bytes(), 0);
  }

  /** Index a record (and keep its bytes when there is no file to read them back from). */
  add(rec: RawRecord, stream = -1, flags = 0): void {
    const j = this.n & CHUNK_MASK;
    if (j === 0 || j >= this.cTs.length) this.openChunks(j !== 0, rec);
    this.n++;
    this.cTs[j] = rec.ts;
    if (Number.isNaN(this.firstTs) && rec.ts) this.firstTs = rec.ts;
    this.len.put(j, rec.data.length);
    this.origLen.put(j, rec.origLen);
    if (rec.linkType !== this.lastLinkType) {
      let li = this.linkTypes.indexOf(rec.linkType);
      if (li < 0) li = this.linkTypes.length < 255 ? this.linkTypes.push(rec.linkType) - 1 : 254;
      this.lastLinkType = rec.linkType;
      this.lastIface = li;
    }
    this.cIface[j] = this.lastIface;
    this.cStream[j] = stream;
    this.cFlags[j] = flags;
    if (!this.inMemory) {
      this.dataOffset.put(j, rec.dataOffset);
      return;
    }
    const len = rec.data.length;
    if (this.retained + len > MAX_RETAINED) {
      this.dataOffset.put(j, -1);
      return;
    }
    if (!this.arenas.length || this.fill + len > ARENA) {
      this.arenas.push(new Uint8Array(Math.max(ARENA, len)));
      this.fill = 0;
    }
    const a = this.arenas.length - 1;
    this.arenas[a]!.set(rec.data, this.fill);
    this.dataOffset.put(j, a * ARENA_WHERE + this.fill);
    this.fill += len;
    this.retained += len;
  }

  /** Bytes of packet index `i` kept in memory, or null. A view: copy before transfer. */
  private kept(i: number): Uint8Array | null {
    if (!this.inMemory || i >= this.n) return null;
    const where = this.dataOffset.at(i);
    if (where < 0) return null;
    const off = where % ARENA_WHERE;
    return this.arenas[(where - off) / ARENA_WHERE]!.subarray(off, off + this.len.at(i));
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
      const start = this.dataOffset.at(first);
      let end = start + this.len.at(first);
      let j = k + 1;
      while (j < indices.length) {
        const e = this.dataOffset.at(indices[j]!) + this.len.at(indices[j]!);
        if (e - start > WINDOW || e < start) break;
        end = Math.max(end, e);
        j++;
      }
      const buf = await reader.read(start, end);
      for (let m = k; m < j; m++) {
        const i = indices[m]!;
        const o = this.dataOffset.at(i) - start;
        cb(i, buf.subarray(o, o + this.len.at(i)));
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

/**
 * Per-capture packet store owned by the worker: a struct-of-arrays index (typed arrays, no
 * object per packet). Packet bytes are read back from the dropped File with Blob.slice() when it
 * is uncompressed (memory stays at the index, whatever the file size); otherwise (gzip, URL,
 * permalink) they are packed into 16 MiB arenas. The main thread never holds capture bytes.
 */
import type { RawRecord } from '../src/core/capture/reader';

const ARENA = 16 * 1024 * 1024;
/** Stop keeping bytes past this (the index still grows): browsers cap a worker's memory. */
const MAX_RETAINED = 1.5 * 1024 * 1024 * 1024;

export class CaptureStore {
  n = 0;
  private cap = 0;
  ts = new Float64Array(0);
  len = new Uint32Array(0);
  origLen = new Uint32Array(0);
  linkType = new Int32Array(0);
  arena = new Uint16Array(0);
  arenaOff = new Uint32Array(0);
  private arenas: Uint8Array[] = [];
  private fill = ARENA;
  dataOffset = new Float64Array(0);
  retained = 0;
  firstTs = Number.NaN;

  /**
   * @param blob the uncompressed capture file to read packet bytes back from, or null to keep
   *   the bytes in memory.
   */
  constructor(
    readonly name: string,
    readonly blob: Blob | null = null,
  ) {}

  private grow(): void {
    const c = Math.max(1024, this.cap * 2);
    const g = <T extends Float64Array | Uint32Array | Int32Array | Uint8Array | Uint16Array>(
      a: T,
      C: new (n: number) => T,
    ): T => {
      const b = new C(c);
      b.set(a);
      return b;
    };
    this.ts = g(this.ts, Float64Array);
    this.len = g(this.len, Uint32Array);
    this.origLen = g(this.origLen, Uint32Array);
    this.linkType = g(this.linkType, Int32Array);
    this.arena = g(this.arena, Uint16Array);
    this.arenaOff = g(this.arenaOff, Uint32Array);
    this.dataOffset = g(this.dataOffset, Float64Array);
    this.cap = c;
  }

  add(rec: RawRecord): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.ts[i] = rec.ts;
    if (Number.isNaN(this.firstTs) && rec.ts) this.firstTs = rec.ts;
    this.len[i] = rec.data.length;
    this.origLen[i] = rec.origLen;
    this.linkType[i] = rec.linkType;
    this.dataOffset[i] = rec.dataOffset;
    const len = rec.data.length;
    if (this.blob) return;
    if (this.retained + len > MAX_RETAINED) {
      this.arena[i] = 0xffff;
      return;
    }
    if (this.fill + len > ARENA) {
      this.arenas.push(new Uint8Array(Math.max(ARENA, len)));
      this.fill = 0;
    }
    const a = this.arenas.length - 1;
    this.arenas[a]!.set(rec.data, this.fill);
    this.arena[i] = a;
    this.arenaOff[i] = this.fill;
    this.fill += len;
    this.retained += len;
  }

  /** Bytes of packet index `i` kept in memory, or null. A view: copy before transfer. */
  private kept(i: number): Uint8Array | null {
    const a = this.arena[i]!;
    if (this.blob || a === 0xffff || i >= this.n) return null;
    return this.arenas[a]!.subarray(this.arenaOff[i]!, this.arenaOff[i]! + this.len[i]!);
  }

  /**
   * Call `cb` with the bytes of each packet index in `indices` (ascending), reading the file in
   * windows of at most 8 MiB so nearby packets share one slice. Views are valid during `cb` only.
   */
  async each(indices: ArrayLike<number>, cb: (i: number, bytes: Uint8Array | null) => void): Promise<void> {
    if (!this.blob) {
      for (let k = 0; k < indices.length; k++) cb(indices[k]!, this.kept(indices[k]!));
      return;
    }
    const WINDOW = 8 * 1024 * 1024;
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
      const buf = new Uint8Array(await this.blob.slice(start, end).arrayBuffer());
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

/**
 * Per-capture packet store owned by the worker: a struct-of-arrays index (typed arrays, no
 * object per packet) plus the packet bytes packed into 16 MiB arenas, so the UI can page through
 * a million packets without the main thread ever holding capture bytes.
 */
import type { RawRecord } from '../src/core/capture/reader';
import type { Dissection } from '../src/core/decode/dissect';

const ARENA = 16 * 1024 * 1024;
/** Stop keeping bytes past this (the index still grows): browsers cap a worker's memory. */
const MAX_RETAINED = 1.5 * 1024 * 1024 * 1024;

export const F_BAD = 1;
export const F_PARTIAL = 2;
export const F_ZERO = 4;
export const F_UNVERIFIED = 8;
export const F_TUNNEL = 16;
export const F_GOOD = 32;

export class CaptureStore {
  n = 0;
  private cap = 0;
  ts = new Float64Array(0);
  len = new Uint32Array(0);
  origLen = new Uint32Array(0);
  linkType = new Int32Array(0);
  flags = new Uint8Array(0);
  arena = new Uint16Array(0);
  arenaOff = new Uint32Array(0);
  private arenas: Uint8Array[] = [];
  private fill = ARENA;
  retained = 0;
  firstTs = Number.NaN;

  constructor(readonly name: string) {}

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
    this.flags = g(this.flags, Uint8Array);
    this.arena = g(this.arena, Uint16Array);
    this.arenaOff = g(this.arenaOff, Uint32Array);
    this.cap = c;
  }

  add(rec: RawRecord, d: Dissection | null): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.ts[i] = rec.ts;
    if (Number.isNaN(this.firstTs) && rec.ts) this.firstTs = rec.ts;
    this.len[i] = rec.data.length;
    this.origLen[i] = rec.origLen;
    this.linkType[i] = rec.linkType;
    let fl = 0;
    if (d) {
      for (let k = 0; k < d.nChecks; k++) {
        const c = d.checks[k]!;
        if (c.status === 'bad') fl |= F_BAD;
        else if (c.status === 'partial') fl |= F_PARTIAL;
        else if (c.status === 'zero') fl |= F_ZERO;
        else if (c.status === 'unverified') fl |= F_UNVERIFIED;
        else fl |= F_GOOD;
        if (c.tunnelOuter) fl |= F_TUNNEL;
      }
    }
    this.flags[i] = fl;
    const len = rec.data.length;
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

  /** Bytes of packet index `i` (0-based), or null if not retained. A view: copy before transfer. */
  bytes(i: number): Uint8Array | null {
    const a = this.arena[i]!;
    if (a === 0xffff || i >= this.n) return null;
    return this.arenas[a]!.subarray(this.arenaOff[i]!, this.arenaOff[i]! + this.len[i]!);
  }
}

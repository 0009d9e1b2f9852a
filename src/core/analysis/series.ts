/**
 * Traffic over time for the IO graph: packets, genuinely bad checksums and TCP retransmissions
 * per time bucket. Bounded: at most MAX_BUCKETS buckets; when the capture runs longer, adjacent
 * buckets merge and the width doubles (1 s, 2 s, 4 s ...), so any duration fits.
 */

export const MAX_BUCKETS = 1024;

/** What the UI draws: bucket `i` covers [start + i * width, start + (i + 1) * width) seconds. */
export interface IoSeries {
  /** Seconds from the capture's first packet to the first bucket (0). */
  width: number;
  packets: number[];
  bad: number[];
  retrans: number[];
}

export class Series {
  private start = Number.NaN;
  private width: number;
  private n = 0;
  private readonly packets = new Float64Array(MAX_BUCKETS);
  private readonly bad = new Float64Array(MAX_BUCKETS);
  private readonly retrans = new Float64Array(MAX_BUCKETS);

  constructor(width = 1) {
    this.width = width;
  }

  /** Count a frame at `ts` (absolute seconds). */
  add(ts: number, bad: boolean, retrans: boolean): void {
    if (!Number.isFinite(ts)) return;
    if (Number.isNaN(this.start)) this.start = ts;
    // Out-of-order frames before the first land in bucket 0 (a capture's clock may step back).
    let i = Math.max(0, Math.floor((ts - this.start) / this.width));
    while (i >= MAX_BUCKETS) {
      this.halve();
      i = Math.max(0, Math.floor((ts - this.start) / this.width));
    }
    if (i >= this.n) this.n = i + 1;
    this.packets[i]!++;
    if (bad) this.bad[i]!++;
    if (retrans) this.retrans[i]!++;
  }

  /** Merge bucket pairs: half as many buckets, twice as wide. */
  private halve(): void {
    for (const a of [this.packets, this.bad, this.retrans]) {
      for (let i = 0; i < MAX_BUCKETS / 2; i++) a[i] = a[2 * i]! + a[2 * i + 1]!;
      a.fill(0, MAX_BUCKETS / 2);
    }
    this.n = Math.ceil(this.n / 2);
    this.width *= 2;
  }

  /** The series so far. */
  snapshot(): IoSeries {
    const take = (a: Float64Array) => Array.from(a.subarray(0, this.n));
    return { width: this.width, packets: take(this.packets), bad: take(this.bad), retrans: take(this.retrans) };
  }
}

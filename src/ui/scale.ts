/**
 * The little geometry the two charts need, as pure functions: linear and square-root scales,
 * "nice" integer ticks, and a step outline for per-bucket counts. The charts draw plain SVG from
 * these in one React render: no layout reads, no second pass (see README, Performance).
 */

/** Maps a domain value to a pixel, and back. */
export interface Scale {
  (v: number): number;
  invert(px: number): number;
}

/** `d0..d1` onto `r0..r1`; a zero-width domain maps everything to `r0`. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  const f = ((v: number) => r0 + (v - d0) * k) as Scale;
  f.invert = (px: number) => (k === 0 ? d0 : d0 + (px - r0) / k);
  return f;
}

/**
 * Square-root scale from 0: a backoff ladder (0, 1, 3, 7 ... 63 s) gets room for its first
 * steps, which a linear axis piles onto each other. Values below 0 are clamped to 0.
 */
export function sqrtScale(max: number, r0: number, r1: number): Scale {
  const top = Math.sqrt(Math.max(max, Number.MIN_VALUE));
  const lin = linearScale(0, top, r0, r1);
  const f = ((v: number) => lin(Math.sqrt(Math.max(0, v)))) as Scale;
  f.invert = (px: number) => Math.max(0, lin.invert(px)) ** 2;
  return f;
}

/**
 * Integer ticks from 0 up to at least `max`, about `count` of them, on a 1-2-5 step. The last
 * tick is the axis top (>= max), so a bar never pokes out of the chart.
 */
export function integerTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag);
  const ticks: number[] = [];
  for (let t = 0; ; t += step) {
    ticks.push(t);
    if (t >= max) break;
  }
  return ticks;
}

/**
 * The outline of per-bucket values drawn as steps: bucket i spans x(i)..x(i+1) at height y(v).
 * `closed` returns an area down to `y(0)`, otherwise the top line only. O(n) with one string.
 */
export function stepPath(values: readonly number[], x: (i: number) => number, y: (v: number) => number, closed: boolean): string {
  const n = values.length;
  if (n === 0) return '';
  const base = y(0);
  const parts: string[] = [closed ? `M${r(x(0))},${r(base)}L${r(x(0))},${r(y(values[0]!))}` : `M${r(x(0))},${r(y(values[0]!))}`];
  for (let i = 0; i < n; i++) {
    const h = r(y(values[i]!));
    if (i > 0) parts.push(`L${r(x(i))},${h}`);
    parts.push(`L${r(x(i + 1))},${h}`);
  }
  if (closed) parts.push(`L${r(x(n))},${r(base)}Z`);
  return parts.join('');
}

/** Two decimals are plenty for a pixel and keep the path short. */
function r(v: number): number {
  return Math.round(v * 100) / 100;
}

/**
 * Which of `n` evenly spaced labels to draw so that neighbours are at least `minGap` pixels
 * apart in `width`: every k-th, starting at 0.
 */
export function labelEvery(n: number, width: number, minGap: number): number {
  if (n <= 1 || width <= 0) return 1;
  return Math.max(1, Math.ceil((minGap * n) / width));
}

/**
 * The IO graph's points: the core's buckets (at most 1,024), merged k at a time so that at most
 * MAX_DRAWN are drawn. The chart is a few hundred pixels wide, and Recharts' render on the main
 * thread grows with the points (~0.5 s at 1,000 points with the brush, on a 2-core machine).
 */
import type { IoSeries } from '../core/analysis/series';

/** Points drawn at most. */
export const MAX_DRAWN = 240;

/** One drawn point: `t` seconds from the first packet, counts over `width` seconds. */
export interface IoPoint {
  t: number;
  packets: number;
  bad: number;
  retrans: number;
}

/** The points to draw and their bucket width in seconds. */
export function drawnBuckets(series: IoSeries, max = MAX_DRAWN): { width: number; data: IoPoint[] } {
  const n = series.packets.length;
  const k = Math.max(1, Math.ceil(n / max));
  const width = series.width * k;
  const data: IoPoint[] = [];
  for (let i = 0; i < n; i += k) {
    const d: IoPoint = { t: (i / k) * width, packets: 0, bad: 0, retrans: 0 };
    for (let j = i; j < Math.min(n, i + k); j++) {
      d.packets += series.packets[j]!;
      d.bad += series.bad[j]!;
      d.retrans += series.retrans[j]!;
    }
    data.push(d);
  }
  return { width, data };
}

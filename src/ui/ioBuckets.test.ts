import { describe, expect, it } from 'vitest';
import { drawnBuckets, MAX_DRAWN } from './ioBuckets';

const series = (n: number, width: number) => ({
  width,
  packets: Array.from({ length: n }, (_, i) => i + 1),
  bad: Array.from({ length: n }, (_, i) => i % 2),
  retrans: Array.from({ length: n }, () => 1),
});

describe('IO graph points', () => {
  it('draws short captures bucket for bucket', () => {
    const s = series(64, 1);
    const { width, data } = drawnBuckets(s as never);
    expect(width).toBe(1);
    expect(data).toHaveLength(64);
    expect(data[63]).toEqual({ t: 63, packets: 64, bad: 1, retrans: 1 });
  });

  it('merges long captures to at most MAX_DRAWN points, keeping every count', () => {
    const s = series(1024, 2);
    const { width, data } = drawnBuckets(s as never);
    expect(data.length).toBeLessThanOrEqual(MAX_DRAWN);
    expect(width).toBe(2 * Math.ceil(1024 / MAX_DRAWN));
    const sum = (k: 'packets' | 'bad' | 'retrans') => data.reduce((a, d) => a + d[k], 0);
    expect(sum('packets')).toBe((1024 * 1025) / 2);
    expect(sum('bad')).toBe(512);
    expect(sum('retrans')).toBe(1024);
    expect(data[1]!.t).toBe(width);
  });
});

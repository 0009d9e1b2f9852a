import { describe, expect, it } from 'vitest';
import { MAX_BUCKETS, Series } from './series';

describe('IO series', () => {
  it('counts per second, merging buckets as the capture grows, never past the cap', () => {
    const s = new Series();
    for (let t = 0; t < 10; t += 0.25) s.add(1000 + t, t === 2, t >= 5 && t < 6);
    let v = s.snapshot();
    expect(v.width).toBe(1);
    expect(v.packets).toEqual(Array(10).fill(4));
    expect(v.bad).toEqual([0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(v.retrans[5]).toBe(4);
    // A frame an hour later: buckets double until it fits; totals are kept.
    s.add(1000 + 3600, false, false);
    v = s.snapshot();
    expect(v.packets.length).toBeLessThanOrEqual(MAX_BUCKETS);
    expect(v.width).toBe(4);
    expect(v.packets.reduce((a, b) => a + b, 0)).toBe(41);
    expect(v.packets[0]).toBe(16);
    // Crafted timestamps do not break it.
    s.add(Number.NaN, true, true);
    s.add(-1e300, false, false);
    s.add(1e300, false, false);
    expect(s.snapshot().packets.length).toBeLessThanOrEqual(MAX_BUCKETS);
  });
});

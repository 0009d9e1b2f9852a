import { describe, expect, it } from 'vitest';
import { integerTicks, labelEvery, linearScale, sqrtScale, stepPath } from './scale';

describe('scales', () => {
  it('linear maps the ends and inverts', () => {
    const s = linearScale(0, 10, 100, 200);
    expect(s(0)).toBe(100);
    expect(s(10)).toBe(200);
    expect(s(2.5)).toBe(125);
    expect(s.invert(150)).toBe(5);
    // Downward pixel axis (SVG y grows down).
    const y = linearScale(0, 4, 180, 20);
    expect(y(4)).toBe(20);
    expect(y.invert(100)).toBe(2);
  });

  it('a zero-width domain does not divide by zero', () => {
    const s = linearScale(3, 3, 0, 50);
    expect(s(3)).toBe(0);
    expect(s(9)).toBe(0);
    expect(s.invert(20)).toBe(3);
  });

  it('square root spreads the first steps of a backoff ladder', () => {
    const s = sqrtScale(64, 0, 800);
    expect(s(0)).toBe(0);
    expect(s(64)).toBe(800);
    expect(s(16)).toBe(400);
    expect(s(-1)).toBe(0);
    // 0, 1, 3, 7, 15, 31, 63: each step at least 60 px apart on an 800 px axis.
    const xs = [0, 1, 3, 7, 15, 31, 63].map(s);
    for (let i = 1; i < xs.length; i++) expect(xs[i]! - xs[i - 1]!).toBeGreaterThan(60);
    expect(s.invert(s(31))).toBeCloseTo(31, 9);
  });
});

describe('integerTicks', () => {
  it('covers the maximum on a 1-2-5 step', () => {
    expect(integerTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(integerTicks(100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(integerTicks(3)).toEqual([0, 1, 2, 3]);
    expect(integerTicks(12_345)).toEqual([0, 5000, 10000, 15000]);
  });

  it('never a fractional step, and something for an empty chart', () => {
    expect(integerTicks(1)).toEqual([0, 1]);
    expect(integerTicks(0)).toEqual([0, 1]);
    expect(integerTicks(Number.NaN)).toEqual([0, 1]);
    for (const max of [1, 2, 9, 11, 99, 1001, 4e6]) {
      const t = integerTicks(max);
      expect(t.every(Number.isInteger)).toBe(true);
      expect(t[t.length - 1]).toBeGreaterThanOrEqual(max);
      expect(t.length).toBeLessThanOrEqual(11);
    }
  });
});

describe('stepPath', () => {
  const x = (i: number) => i * 10;
  const y = (v: number) => 100 - v;
  it('draws each bucket as a flat step, closed down to zero for an area', () => {
    expect(stepPath([5, 0, 2], x, y, false)).toBe('M0,95L10,95L10,100L20,100L20,98L30,98');
    expect(stepPath([5, 0, 2], x, y, true)).toBe('M0,100L0,95L10,95L10,100L20,100L20,98L30,98L30,100Z');
    expect(stepPath([], x, y, true)).toBe('');
  });
});

describe('labelEvery', () => {
  it('thins labels to keep them apart', () => {
    expect(labelEvery(240, 600, 60)).toBe(24);
    expect(labelEvery(10, 1000, 60)).toBe(1);
    expect(labelEvery(0, 600, 60)).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { rangeFilter, rangeOf, sliderKey } from './IoGraph';
import { timeAxis } from './Timeline';
import { compileFilter } from '../core/filter';

describe('the brush and the list filter', () => {
  it('writes a filter the filter language accepts, without float noise', () => {
    expect(rangeFilter(20, 63, 1)).toBe('frame.time_relative >= 20 && frame.time_relative < 64');
    // 0.1 * 3 is 0.30000000000000004 in floating point.
    expect(rangeFilter(3, 5, 0.1)).toBe('frame.time_relative >= 0.3 && frame.time_relative < 0.6');
    expect(() => compileFilter(rangeFilter(3, 5, 0.1))).not.toThrow();
  });

  it('reads its own filters back, and nothing else', () => {
    for (const [a, b, w] of [
      [0, 0, 1],
      [20, 63, 1],
      [3, 5, 0.1],
      [100, 239, 0.004],
    ] as const)
      expect(rangeOf(rangeFilter(a, b, w), w, 240)).toEqual([a, b]);
    expect(rangeOf('', 1, 64)).toBeNull();
    expect(rangeOf('tcp.flags.syn == 1', 1, 64)).toBeNull();
    expect(rangeOf('frame.time_relative >= 5 && frame.time_relative < 9 && tcp', 1, 64)).toBeNull();
    // A range typed by hand past the chart's ends is clamped; an empty one is none.
    expect(rangeOf('frame.time_relative >= 60 && frame.time_relative < 900', 1, 64)).toEqual([60, 63]);
    expect(rangeOf('frame.time_relative >= 9 && frame.time_relative < 9', 1, 64)).toBeNull();
    expect(rangeOf(rangeFilter(0, 3, 1), 1, 0)).toBeNull();
  });
});

describe('slider keys', () => {
  it('step by one and by ten, jump to the ends, stay within bounds', () => {
    expect(sliderKey('ArrowRight', 5, 0, 9)).toBe(6);
    expect(sliderKey('ArrowUp', 5, 0, 9)).toBe(6);
    expect(sliderKey('ArrowLeft', 5, 0, 9)).toBe(4);
    expect(sliderKey('ArrowDown', 0, 0, 9)).toBe(0);
    expect(sliderKey('PageUp', 5, 0, 9)).toBe(9);
    expect(sliderKey('PageDown', 5, 2, 9)).toBe(2);
    expect(sliderKey('Home', 5, 2, 9)).toBe(2);
    expect(sliderKey('End', 5, 2, 9)).toBe(9);
    expect(sliderKey('a', 5, 0, 9)).toBeNull();
    expect(sliderKey('Tab', 5, 0, 9)).toBeNull();
  });
});

describe('the timeline axis', () => {
  it('labels about six seconds up to just past the last event', () => {
    expect(timeAxis(63.137)).toEqual({ top: 67, ticks: [0, 2, 5, 10, 20, 30, 60] });
    expect(timeAxis(3)).toEqual({ top: 4, ticks: [0, 0.5, 1, 2] });
    expect(timeAxis(130.7).ticks).toEqual([0, 5, 10, 20, 30, 60, 120]);
  });
});

import { describe, expect, it } from 'vitest';
import { drawnAttempts, MAX_DRAWN_ATTEMPTS } from './drawn';
import { strings } from './i18n';

describe('attempts drawn on the timeline', () => {
  it('draws every attempt of a normal ladder', () => {
    expect(drawnAttempts(7)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(drawnAttempts(MAX_DRAWN_ATTEMPTS)).toHaveLength(MAX_DRAWN_ATTEMPTS);
  });

  it('draws the first ones and the last of a flood', () => {
    const d = drawnAttempts(1081);
    expect(d).toHaveLength(MAX_DRAWN_ATTEMPTS);
    expect(d[0]).toBe(0);
    expect(d[MAX_DRAWN_ATTEMPTS - 2]).toBe(MAX_DRAWN_ATTEMPTS - 2);
    expect(d[MAX_DRAWN_ATTEMPTS - 1]).toBe(1080);
  });

  it('says how many were left out, in both languages', () => {
    expect(strings('en').moreAttempts(1017, 1081)).toBe(
      '… 1,017 more attempts, not drawn (1,081 in all; the finding lists their frames)',
    );
    expect(strings('zh').moreAttempts(1017, 1081)).toBe('… 另有 1,017 次尝试未画出（共 1,081 次；帧号见对应发现）');
  });
});

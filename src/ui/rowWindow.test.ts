import { describe, expect, it } from 'vitest';
import { MAX_SCROLL_PX, rowTop, rowWindow, scrollTopFor } from './rowWindow';

const H = 26;

describe('row window', () => {
  it('is the plain window while the list fits in the browser', () => {
    const w = rowWindow(1000, H, 260, 520, 8);
    expect(w).toMatchObject({ first: 2, last: 38, height: 26_000, ratio: 1, offset: 260 });
    expect(rowTop(w, 10, H, 260)).toBe(260);
  });

  it('keeps 12.6 million rows (a 4 GiB capture) under the height limit, first and last row reachable', () => {
    const n = 12_600_000;
    const vh = 600;
    const top = rowWindow(n, H, 0, vh, 8);
    expect(top.height).toBe(MAX_SCROLL_PX);
    expect(top.first).toBe(0);
    expect(rowTop(top, 0, H, 0)).toBe(0);
    const end = rowWindow(n, H, MAX_SCROLL_PX - vh, vh, 8);
    expect(end.last).toBe(n - 1);
    // The last row ends exactly at the viewport's bottom.
    expect(rowTop(end, n - 1, H, MAX_SCROLL_PX - vh) + H).toBeCloseTo(MAX_SCROLL_PX, 3);
  });

  it('centres any row, at any size, with the row inside the viewport', () => {
    for (const n of [5, 1000, 1_300_000, 12_600_000]) {
      const vh = 600;
      for (const i of [0, 1, Math.floor(n / 3), n - 2, n - 1]) {
        // Browsers keep scrollTop to whole (or device) pixels: round as they do.
        const st = Math.round(scrollTopFor(n, H, vh, i));
        const w = rowWindow(n, H, st, vh, 8);
        expect(i).toBeGreaterThanOrEqual(w.first);
        expect(i).toBeLessThanOrEqual(w.last);
        const y = rowTop(w, i, H, st) - st;
        expect(y).toBeGreaterThanOrEqual(-0.001);
        expect(y + H).toBeLessThanOrEqual(vh + 0.001);
      }
    }
  });

  it('renders a bounded number of rows whatever the count', () => {
    const w = rowWindow(12_600_000, H, 3_999_999, 900, 8);
    expect(w.last - w.first + 1).toBeLessThanOrEqual(Math.ceil(900 / H) + 2 + 16);
  });
});

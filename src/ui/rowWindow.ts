/**
 * A window over a list of fixed-height rows: which rows to render for a scroll position, in
 * constant time whatever the count. (A general virtualiser measures every row: for the 12.6
 * million packets of a 4 GiB capture that is 12.6 million objects and a main-thread task of
 * seconds on every count change.)
 *
 * Browsers cap an element's height (Chrome near 33.5 million pixels, Firefox near 17.9 million),
 * which 26-pixel rows pass at 1.3 million packets. Past MAX_SCROLL_PX the scrollable height stays
 * at MAX_SCROLL_PX and a scroll position maps proportionally onto the real list:
 *
 *     real offset = scrollTop * (count * rowH - viewport) / (MAX_SCROLL_PX - viewport)
 *
 * so the top of the scrollbar is row 1 and the bottom is the last row, and every row in between
 * is reachable (by keys exactly; by the scrollbar in steps of a few rows on huge lists).
 */

/** Tallest scrollable content used: under every browser's element height limit. */
export const MAX_SCROLL_PX = 8_000_000;

/** The list's real height, the scrollable height, and real pixels per scrolled pixel. */
function scale(count: number, rowH: number, viewport: number): { real: number; height: number; ratio: number } {
  const real = count * rowH;
  const height = Math.min(real, MAX_SCROLL_PX);
  return { real, height, ratio: real > height && height > viewport ? (real - viewport) / (height - viewport) : 1 };
}

/** What to render: rows `first..last` (inclusive), row i at `top(i)` in the scrolled content. */
export interface RowWindow {
  first: number;
  last: number;
  /** Height of the scrollable content. */
  height: number;
  /** Real pixels per scrolled pixel (1 unless the list is taller than MAX_SCROLL_PX). */
  ratio: number;
  /** Real offset of the viewport's top. */
  offset: number;
}

/** The rows visible at `scrollTop` in a viewport `viewport` px tall, plus `overscan` each side. */
export function rowWindow(count: number, rowH: number, scrollTop: number, viewport: number, overscan: number): RowWindow {
  const { real, height, ratio } = scale(count, rowH, viewport);
  const offset = Math.max(0, Math.min(Math.max(0, real - viewport), scrollTop * ratio));
  const first = Math.max(0, Math.floor(offset / rowH) - overscan);
  const last = Math.min(count - 1, Math.ceil((offset + viewport) / rowH) + overscan);
  return { first, last, height, ratio, offset };
}

/** Where row `i` goes inside the scrolled content (for `translateY`). */
export function rowTop(w: RowWindow, i: number, rowH: number, scrollTop: number): number {
  // Rows sit where the viewport shows them: relative to the real offset, shifted by scrollTop.
  return w.ratio === 1 ? i * rowH : scrollTop + (i * rowH - w.offset);
}

/** The scrollTop that centres row `i` (clamped to the content). */
export function scrollTopFor(count: number, rowH: number, viewport: number, i: number): number {
  const { real, ratio } = scale(count, rowH, viewport);
  const offset = Math.max(0, Math.min(real - viewport, i * rowH - viewport / 2 + rowH / 2));
  return offset / ratio;
}

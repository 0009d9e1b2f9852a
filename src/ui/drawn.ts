/**
 * How many of a finding's attempts the timeline draws (markers and table rows). A SYN flood or a
 * synthetic capture can hold a thousand attempts of one connection: drawing them all costs
 * seconds of main-thread render and shows nothing more than the first few dozen and the last.
 */
export const MAX_DRAWN_ATTEMPTS = 64;

/** Indexes of the attempts to draw: all of them, or the first MAX - 1 and the last. */
export function drawnAttempts(count: number, max = MAX_DRAWN_ATTEMPTS): number[] {
  const out: number[] = [];
  if (count <= max) {
    for (let i = 0; i < count; i++) out.push(i);
    return out;
  }
  for (let i = 0; i < max - 1; i++) out.push(i);
  out.push(count - 1);
  return out;
}

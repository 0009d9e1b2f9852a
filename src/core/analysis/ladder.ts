/**
 * SYN retransmission ladders.
 *
 * Linux (tcp_syn_retries = 6, initial RTO 1 s) doubles the timeout after each try, so attempts
 * leave at 0, 1, 3, 7, 15, 31, 63 s and it gives up at about 127 s. Kernels >= 6.5 with
 * tcp_syn_linear_timeouts = N first retry N+1 times one second apart, then double
 * (0, 1, 2, 3, 4, 5, 7, 11, 19 s for the default). Timers drift (a "63 s" ladder can end at
 * 65.5 s), so offsets are matched with a tolerance that grows with the offset.
 */
import type { Ladder } from '../report';

/** Offsets (s) of the classic Linux exponential ladder, including the give-up time. */
export const LINUX_EXPONENTIAL = [0, 1, 3, 7, 15, 31, 63];
/** Give-up time of the exponential ladder (s). */
export const LINUX_EXPONENTIAL_GIVE_UP = 127;

/** Allowed deviation for an expected offset: timer slack plus up to 6 % drift. */
export function tolerance(expected: number): number {
  return 0.35 + 0.06 * expected;
}

function fits(offsets: number[], ladder: number[]): boolean {
  if (offsets.length > ladder.length) return false;
  for (let i = 0; i < offsets.length; i++) {
    if (Math.abs(offsets[i]! - ladder[i]!) > tolerance(ladder[i]!)) return false;
  }
  return true;
}

/** Linear prefix of `linear` one-second steps, then doubling from 2 s. */
function linearLadder(linear: number, length: number): number[] {
  const out = [0];
  let gap = 1;
  for (let i = 1; i < length; i++) {
    if (i > linear) gap *= 2;
    out.push(out[i - 1]! + gap);
  }
  return out;
}

/** Classification of a ladder, with the expected offsets to draw as reference marks. */
export interface LadderMatch {
  ladder: Ladder;
  expected: number[];
}

/**
 * Classify attempt offsets (seconds since the first attempt, ascending). Two attempts one
 * second apart fit both Linux ladders; the classic exponential one is preferred.
 */
export function classifyLadder(offsets: number[]): LadderMatch {
  if (offsets.length >= 2 && fits(offsets, LINUX_EXPONENTIAL))
    return { ladder: 'linux-exponential', expected: LINUX_EXPONENTIAL };
  if (offsets.length >= 3) {
    for (let linear = 1; linear <= 8; linear++) {
      const lad = linearLadder(linear, Math.max(offsets.length, 9));
      if (fits(offsets, lad)) return { ladder: 'linux-linear', expected: lad };
    }
  }
  return { ladder: 'other', expected: [] };
}

/**
 * Offset (s) at which the next attempt (or, after the last retry, the give-up) is due. When the
 * capture runs past it with nothing sent, the sender stopped trying: outcome `failed`, not
 * `unknown`.
 */
export function nextAttemptOffset(m: LadderMatch, offsets: number[]): number {
  const n = offsets.length;
  const last = offsets[n - 1] ?? 0;
  const nominal = (i: number) =>
    m.ladder === 'linux-exponential' ? (LINUX_EXPONENTIAL[i] ?? LINUX_EXPONENTIAL_GIVE_UP) : m.expected[i];
  const next = m.ladder === 'other' ? undefined : nominal(n);
  if (next !== undefined) {
    // Timers drift by a steady factor (each timeout a little late): scale the nominal time by
    // the drift seen so far. A give-up "at 127 s" after a 7th SYN at 65.1 s comes at ~131 s.
    const seen = nominal(n - 1) ?? 0;
    const drift = seen >= 3 ? Math.min(1.2, Math.max(0.95, last / seen)) : 1;
    return next * drift;
  }
  const prevGap = n >= 2 ? last - offsets[n - 2]! : 1;
  // Unknown ladder: assume the next retry would come after twice the last gap.
  return last + 2 * Math.max(prevGap, 1);
}

/**
 * Internet one's-complement checksum primitives (RFC 1071).
 *
 * Sums are kept unfolded in a JS number (exact up to 2^53, far beyond any packet) and folded
 * only when compared. Because the sum is associative and commutative, a sum over a region can be
 * reused inside a larger region: if the sub-region starts at an odd offset relative to the
 * enclosing checksum's start, its folded sum is byte-swapped (RFC 1071 §2(B)).
 */

/** Below this many bytes the plain byte loop is as fast as setting up the word loop. */
const WORDS_FROM = 48;
/** The word loop reads little-endian 32-bit words: true on every platform browsers and Node run on. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** A 32-bit view of the last buffer summed (one view per chunk, not one per call). */
let viewOf: ArrayBufferLike | null = null;
let words: Uint32Array<ArrayBufferLike> = new Uint32Array(0);

/**
 * Sum big-endian 16-bit words of `b[start, end)`; an odd trailing byte is padded with zero.
 *
 * Long ranges are summed as aligned little-endian 32-bit words, two 16-bit halves at a time
 * (RFC 1071 §2(B): the sum is independent of byte order up to a final byte swap, and of how the
 * bytes are grouped as long as each keeps its weight):
 *
 *     bytes:    ... | x0  x1  x2  x3 | ...        one aligned u32 w = x0 | x1<<8 | x2<<16 | x3<<24
 *     halves:         (w & 0xffff) = x0 + 256*x1,  (w >>> 16) = x2 + 256*x3
 *
 * A byte at an even distance from `start` weighs 256 in the big-endian sum. If x0 is at an even
 * distance, each half has the weights swapped, so the folded word sum is byte-swapped back; at an
 * odd distance the weights already agree. The result is congruent (mod 0xffff) to the byte loop's
 * and zero exactly when it is, which is all a caller that folds later can tell apart.
 */
export function sum16(b: Uint8Array, start: number, end: number, acc = 0): number {
  let i = start;
  if (end - start >= WORDS_FROM && LITTLE_ENDIAN) {
    const base = b.byteOffset;
    // Head: single bytes up to a 4-byte boundary of the underlying buffer.
    for (; (base + i) & 3; i++) acc += (i - start) & 1 ? b[i]! : b[i]! << 8;
    if (b.buffer !== viewOf) {
      viewOf = b.buffer;
      words = new Uint32Array(b.buffer, 0, b.buffer.byteLength >>> 2);
    }
    const w0 = (base + i) >>> 2;
    const w1 = w0 + ((end - i) >>> 2);
    let s = 0;
    let k = w0;
    for (; k + 4 <= w1; k += 4) {
      const a = words[k]!;
      const c = words[k + 1]!;
      const d = words[k + 2]!;
      const e = words[k + 3]!;
      s += (a & 0xffff) + (a >>> 16) + (c & 0xffff) + (c >>> 16) + (d & 0xffff) + (d >>> 16) + (e & 0xffff) + (e >>> 16);
    }
    for (; k < w1; k++) s += (words[k]! & 0xffff) + (words[k]! >>> 16);
    const folded = fold(s);
    acc += (i - start) & 1 ? folded : swap16(folded);
    i += (w1 - w0) << 2;
  }
  // Tail (and short ranges): the plain big-endian loop, at the right parity.
  if ((i - start) & 1 && i < end) acc += b[i++]!;
  const last = end - 1;
  for (; i < last; i += 2) acc += (b[i]! << 8) | b[i + 1]!;
  if (i === last) acc += b[i]! << 8;
  return acc;
}

/** Fold an unfolded sum to 16 bits with end-around carry. */
export function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** Swap the bytes of a folded 16-bit sum (for regions starting at odd offsets). */
export function swap16(v: number): number {
  return ((v & 0xff) << 8) | (v >>> 8);
}

/** One's-complement negation of a 16-bit value. */
export function neg16(v: number): number {
  return ~v & 0xffff;
}

/**
 * Pseudo-header sum for IPv4 (RFC 793/768):
 *
 *     +--------+--------+--------+--------+
 *     |           source address          |
 *     +--------+--------+--------+--------+
 *     |         destination address       |
 *     +--------+--------+--------+--------+
 *     |  zero  |  proto |   L4 length     |
 *     +--------+--------+--------+--------+
 */
export function pseudoSum4(b: Uint8Array, srcOff: number, dstOff: number, proto: number, len: number): number {
  return sum16(b, srcOff, srcOff + 4, sum16(b, dstOff, dstOff + 4, proto + (len & 0xffff) + Math.floor(len / 0x10000)));
}

/** Pseudo-header sum for IPv6 (RFC 8200 §8.1): 16-byte addresses, 32-bit length, next header. */
export function pseudoSum6(b: Uint8Array, srcOff: number, dstOff: number, proto: number, len: number): number {
  return sum16(b, srcOff, srcOff + 16, sum16(b, dstOff, dstOff + 16, proto + (len & 0xffff) + Math.floor(len / 0x10000)));
}

/** The checksum value a sender should have written, given the sum of everything with the field zeroed. */
export function checksumFromSum(sumWithFieldZero: number): number {
  return neg16(fold(sumWithFieldZero));
}

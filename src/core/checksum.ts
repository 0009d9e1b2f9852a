/**
 * Internet one's-complement checksum primitives (RFC 1071).
 *
 * Sums are kept unfolded in a JS number (exact up to 2^53, far beyond any packet) and folded
 * only when compared. Because the sum is associative and commutative, a sum over a region can be
 * reused inside a larger region: if the sub-region starts at an odd offset relative to the
 * enclosing checksum's start, its folded sum is byte-swapped (RFC 1071 §2(B)).
 */

/** Sum big-endian 16-bit words of `b[start, end)`; an odd trailing byte is padded with zero. */
export function sum16(b: Uint8Array, start: number, end: number, acc = 0): number {
  let i = start;
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

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checksumFromSum, fold, pseudoSum4, sum16, swap16 } from './checksum';

describe("one's-complement checksum", () => {
  it('matches the RFC 1071 worked example', () => {
    // RFC 1071 §3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2 (folded).
    const b = new Uint8Array([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
    expect(fold(sum16(b, 0, b.length))).toBe(0xddf2);
    expect(checksumFromSum(sum16(b, 0, b.length))).toBe(0x220d);
  });

  it('pads an odd trailing byte as the high byte', () => {
    expect(sum16(new Uint8Array([0x12, 0x34, 0x56]), 0, 3)).toBe(0x1234 + 0x5600);
  });

  it('byte-swaps a sub-range sum starting at an odd offset', () => {
    const b = new Uint8Array([0x01, 0xaa, 0xbb, 0xcc, 0xdd, 0xee]);
    const whole = fold(sum16(b, 0, 6));
    const inner = fold(sum16(b, 1, 5)); // as if it started at an even offset
    expect(fold(b[0]! * 256 + swap16(inner) + b[5]!)).toBe(whole);
  });

  it('computes the pseudo-header sum quoted in domain.md (partial inner SYN 0x5a6c)', () => {
    // 172.29.0.0 -> 172.29.2.3, TCP, length 40: the offload field value seen on every retry.
    const b = new Uint8Array([172, 29, 0, 0, 172, 29, 2, 3]);
    expect(fold(pseudoSum4(b, 0, 4, 6, 40))).toBe(0x5a6c);
  });

  it('sums long ranges as 32-bit words exactly as the byte loop does, at any alignment and parity', () => {
    // The reference: RFC 1071's byte loop, folded (0 only for all-zero bytes, never 0xffff's twin).
    const ref = (b: Uint8Array, start: number, end: number) => {
      let acc = 0;
      for (let i = start; i < end; i++) acc += (i - start) & 1 ? b[i]! : b[i]! << 8;
      return fold(acc);
    };
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 400, size: 'max' }),
        fc.nat(7),
        fc.nat(400),
        fc.nat(400),
        fc.constantFrom('random', 'zeros', 'ones'),
        (raw, shift, x, y, fill) => {
          // A view at an arbitrary byte offset of a larger buffer, as records in a chunk are.
          const buf = new Uint8Array(raw.length + shift);
          buf.set(fill === 'random' ? raw : raw.map(() => (fill === 'zeros' ? 0 : 0xff)), shift);
          const b = buf.subarray(shift);
          const start = Math.min(x, y, b.length);
          const end = Math.min(Math.max(x, y), b.length);
          expect(fold(sum16(b, start, end))).toBe(ref(b, start, end));
          expect(fold(sum16(b, start, end, 0x1234))).toBe(fold(ref(b, start, end) + 0x1234));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

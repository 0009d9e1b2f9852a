/**
 * Property tests of the display filter (fast-check): any text compiles or fails with one
 * FilterError carrying a position, never another exception; generated expressions obey boolean
 * algebra against the frames of a real capture.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../capture/reader';
import { bufferChunks } from '../capture/source';
import { Dissector, type Dissection } from '../decode/dissect';
import { compileFilter, FilterError, type FilterFrame } from './index';
import { corpusBytes } from '../../../test/helpers/corpus';

const ATOMS = [
  'tcp',
  'udp',
  'vxlan',
  'dns',
  'checksum.bad',
  'checksum.partial',
  'tcp.flags.syn==1',
  'tcp.flags.ack == 0',
  'ip.addr==172.29.2.3',
  'ip.src==10.0.0.0/8',
  'udp.port==8472',
  'frame.number < 5',
  'frame.len >= 100',
  'tcp.port in {9153 80}',
];

const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...ATOMS),
    fc.tuple(tie('e'), fc.constantFrom(' and ', ' or ', ' && ', ' || '), tie('e')).map(([a, op, b]) => `(${a})${op}(${b})`),
    tie('e').map((a) => `not (${a})`),
  ),
})).e;

async function frames(): Promise<FilterFrame[]> {
  const out: FilterFrame[] = [];
  let n = 0;
  await readCapture(bufferChunks(corpusBytes('scenarios/tke-63s-sender-eth0.pcap')), (r) => {
    // Each frame keeps its own dissection (the dissector reuses its buffers).
    const one = new Dissector().dissect(r.data.slice(), r.linkType, r.origLen) as Dissection;
    out.push({ n: ++n, d: one });
  });
  return out;
}

describe('display filter properties', () => {
  it('any text: a filter or one FilterError with a position, never another exception', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc
            .array(fc.constantFrom('(', ')', 'not ', 'tcp', ' and ', '==', '1', '{', '}', '"', 'ip.addr', '/', ' or '), {
              maxLength: 80,
            })
            .map((a) => a.join('')),
        ),
        (s) => {
          try {
            compileFilter(s);
          } catch (e) {
            expect(e).toBeInstanceOf(FilterError);
            expect((e as FilterError).detail.code).toBeTruthy();
            expect((e as FilterError).pos).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('deep nesting and huge term lists fail with a clear message', () => {
    for (const s of [
      '('.repeat(5000) + 'tcp' + ')'.repeat(5000),
      Array(20_000).fill('tcp').join(' or '),
      'not '.repeat(10_000) + 'tcp',
    ]) {
      expect(() => compileFilter(s)).toThrow(FilterError);
    }
  });

  it('generated expressions obey boolean algebra on real frames', async () => {
    const fs = await frames();
    fc.assert(
      fc.property(expr, expr, (a, b) => {
        const A = compileFilter(a);
        const B = compileFilter(b);
        const and = compileFilter(`(${a}) and (${b})`);
        const or = compileFilter(`(${a}) or (${b})`);
        const notA = compileFilter(`not (${a})`);
        const deMorgan = compileFilter(`not ((${a}) or (${b}))`);
        const nAnB = compileFilter(`(not (${a})) and (not (${b}))`);
        for (const f of fs) {
          expect(and(f)).toBe(A(f) && B(f));
          expect(or(f)).toBe(A(f) || B(f));
          expect(notA(f)).toBe(!A(f));
          expect(deMorgan(f)).toBe(nAnB(f));
        }
      }),
      { numRuns: 150 },
    );
  });
});

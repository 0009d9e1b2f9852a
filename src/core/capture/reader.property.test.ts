/**
 * Property tests of the capture reader (fast-check): any chunking of a capture gives exactly the
 * records of reading it whole; random and damaged bytes end in records plus bounded errors or
 * one FatalCaptureError, never another exception, and in bounded time.
 */
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FatalCaptureError } from '../errors';
import { corpusBytes } from '../../../test/helpers/corpus';
import { MAX_ERRORS, readCapture } from './reader';
import { maybeGunzip } from './source';

/** Bytes cut at the given sizes (cycled), as a chunk source. */
async function* chunked(b: Uint8Array, sizes: number[]): AsyncIterable<Uint8Array> {
  let o = 0;
  for (let i = 0; o < b.length; i++) {
    const n = sizes.length ? Math.max(1, sizes[i % sizes.length]!) : b.length;
    yield b.subarray(o, o + n);
    o += n;
  }
}

/** Records as comparable strings (time, lengths, link type, a hash of the bytes). */
async function records(src: AsyncIterable<Uint8Array>) {
  const out: string[] = [];
  let fatal: string | null = null;
  let info = null;
  try {
    info = await readCapture(src, (r) => {
      let h = 0x811c9dc5;
      for (let i = 0; i < r.data.length; i++) h = Math.imul(h ^ r.data[i]!, 0x01000193);
      out.push(`${r.ts}|${r.data.length}|${r.origLen}|${r.linkType}|${h >>> 0}`);
    });
  } catch (e) {
    if (!(e instanceof FatalCaptureError)) throw e;
    fatal = e.detail.code;
  }
  return { out, fatal, errors: info?.errors.map((e) => `${e.code}@${e.offset}`) ?? [] };
}

const FILES = [
  'scenarios/tke-63s-sender-eth0.pcap',
  'real/gopacket__le-test006.pcapng',
  'real/zeek__ssh.pcap',
  'real/tcpdump__tcp-handshake-nano.pcap',
  'real/filesamples__simple_http_sll2.pcap',
].map((f) => [f, corpusBytes(f)] as const);

describe('capture reader properties', () => {
  it('any chunking gives the records and errors of reading the file whole', async () => {
    const whole = new Map<string, Awaited<ReturnType<typeof records>>>();
    for (const [f, b] of FILES) whole.set(f, await records(chunked(b, [])));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FILES.map(([f]) => f)),
        fc.array(fc.oneof(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 70_000 })), { minLength: 1, maxLength: 12 }),
        async (f, sizes) => {
          const b = FILES.find(([x]) => x === f)![1];
          expect(await records(chunked(b, sizes))).toEqual(whole.get(f));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('so does gzip: any chunking of the compressed file', async () => {
    const [, b] = FILES[0]!;
    const gz = gzipSync(b);
    const whole = await records(chunked(b, []));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 6 }), async (sizes) => {
        const dec = await maybeGunzip(chunked(gz, sizes));
        expect(await records(dec.chunks)).toEqual(whole);
      }),
      { numRuns: Number(process.env.GZ_RUNS ?? 30) },
    );
  });

  it('random bytes, with or without a valid magic: records and bounded errors, or one fatal error', async () => {
    const magics = [
      [],
      [0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0],
      [
        0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        28, 0, 0, 0,
      ],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...magics),
        fc.uint8Array({ maxLength: 4096 }),
        fc.array(fc.integer({ min: 1, max: 600 }), { minLength: 1, maxLength: 5 }),
        async (magic, body, sizes) => {
          const b = new Uint8Array([...magic, ...body]);
          const r = await records(chunked(b, sizes));
          expect(r.errors.length).toBeLessThanOrEqual(MAX_ERRORS);
          if (r.fatal) expect(r.out).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a real capture with random bytes overwritten: never an exception', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FILES.map(([, b]) => b)),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }),
        async (orig, edits) => {
          const b = orig.slice();
          for (const [at, v] of edits) b[at % b.length] = v;
          const r = await records(chunked(b, [4096]));
          expect(r.errors.length).toBeLessThanOrEqual(MAX_ERRORS);
        },
      ),
      { numRuns: 200 },
    );
  });
});

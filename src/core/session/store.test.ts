/**
 * The packet index: 22 bytes a packet once the capture is read (the bound is 32), every
 * value kept through growth and trimming, and through the rare values the narrow columns widen for.
 */
import { describe, expect, it } from 'vitest';
import type { RawRecord } from '../capture/reader';
import { PacketStore } from './store';

/** A 60-byte record at time 0 (the tests change its fields as they go). */
const record = (): RawRecord => ({
  data: new Uint8Array(60),
  origLen: 60,
  ts: 0,
  linkType: 1,
  interfaceId: 0,
  offset: 0,
  dataOffset: 0,
});

describe('packet index', () => {
  it('holds at most 32 bytes a packet, and keeps every value across chunks and through trim', () => {
    const reader = { read: async () => new Uint8Array(0) };
    const s = new PacketStore('big.pcap', reader);
    const rec = record();
    const N = 250_001;
    for (let i = 0; i < N; i++) {
      rec.ts = 1_700_000_000 + i / 1000;
      rec.dataOffset = 24 + i * 76;
      rec.origLen = 60 + (i % 7);
      rec.linkType = i < 70_000 ? 1 : 113;
      s.add(rec, i % 100, i & 1);
    }
    s.trim();
    expect(s.n).toBe(N);
    expect(s.indexBytes()).toBe(22 * N);
    expect(s.len.chunks.every((c) => c instanceof Uint16Array)).toBe(true);
    // Chunk edges (2^16 entries a chunk) and the cut last chunk.
    for (const i of [0, 1023, 65_535, 65_536, 77_777, 196_608, N - 1]) {
      expect(s.ts.at(i)).toBe(1_700_000_000 + i / 1000);
      expect(s.dataOffset.at(i)).toBe(24 + i * 76);
      expect(s.origLen.at(i)).toBe(60 + (i % 7));
      expect(s.len.at(i)).toBe(60);
      expect(s.stream.at(i)).toBe(i % 100);
      expect(s.flags.at(i)).toBe(i & 1);
      expect(s.linkType(i)).toBe(i < 70_000 ? 1 : 113);
    }
  });

  it('never copies what it holds: a chunk, once full, is the same array to the end', () => {
    // Growing one contiguous array by half each time wrote the index three times over, and the
    // first touch of fresh pages was most of the session's cost on big captures.
    const s = new PacketStore('big.pcap', { read: async () => new Uint8Array(0) });
    const rec = record();
    const N = 200_000;
    let first: Float64Array | null = null;
    for (let i = 0; i < N; i++) {
      rec.ts = 1000 + i;
      rec.dataOffset = 24 + i * 76;
      s.add(rec, i, 0);
      if (i === 0) first = s.ts.chunks[0]!;
    }
    expect(s.ts.chunks[0]).toBe(first);
    expect(s.ts.chunks).toHaveLength(Math.ceil(N / 65_536));
    const before = s.ts.chunks.slice();
    s.trim();
    // Only the last chunk is cut to size; the full ones are untouched.
    expect(s.ts.chunks).toHaveLength(before.length);
    s.ts.chunks.slice(0, -1).forEach((c, k) => expect(c).toBe(before[k]));
    expect(s.ts.chunks.at(-1)!.length).toBe(N - 3 * 65_536);
    expect(s.indexBytes()).toBe(22 * N);
  });

  it('takes more packets after trim (the cut chunk is reopened), and trims at a chunk edge', () => {
    const s = new PacketStore('x.pcap', { read: async () => new Uint8Array(0) });
    const rec = record();
    const add = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        rec.ts = i;
        s.add(rec, i, i & 3);
      }
    };
    add(0, 100);
    s.trim();
    expect(s.indexBytes()).toBe(22 * 100);
    add(100, 65_536);
    s.trim();
    expect(s.ts.chunks).toHaveLength(1);
    add(65_536, 65_540);
    s.trim();
    expect(s.n).toBe(65_540);
    expect(s.indexBytes()).toBe(22 * 65_540);
    for (const i of [0, 99, 100, 65_535, 65_536, 65_539]) {
      expect(s.ts.at(i)).toBe(i);
      expect(s.stream.at(i)).toBe(i);
      expect(s.flags.at(i)).toBe(i & 3);
    }
  });

  it('keeps in-memory packet bytes (gzip, shared links) within 26 bytes of index a packet (where is a double)', async () => {
    const s = new PacketStore('in-memory.pcap.gz');
    const N = 70_001;
    const rec: RawRecord = { data: new Uint8Array(0), origLen: 0, ts: 0, linkType: 1, interfaceId: 0, offset: 0, dataOffset: 0 };
    // 70,001 packets of up to 600 bytes (21 MB) fill more than one 16 MiB arena.
    const bytesOf = (i: number) => Uint8Array.from({ length: 1 + (i % 600) }, (_, k) => (i * 31 + k) & 0xff);
    for (let i = 0; i < N; i++) {
      rec.data = bytesOf(i);
      rec.origLen = rec.data.length;
      rec.dataOffset = 24 + i * 400;
      s.add(rec);
    }
    s.trim();
    expect(s.indexBytes() / N).toBe(26);
    for (const i of [0, 1, 55_000, 55_924, N - 1]) expect(await s.bytes(i)).toEqual(bytesOf(i));
    const seen: number[] = [];
    await s.each([3, 60_000, N - 1], (i, b) => {
      expect(b).toEqual(bytesOf(i));
      seen.push(i);
    });
    expect(seen).toEqual([3, 60_000, N - 1]);
  });
  it('widens one chunk for a length over 65,535 or offsets spanning more than 4 GiB, and only that one', () => {
    const s = new PacketStore('gso.pcap', { read: async () => new Uint8Array(0) });
    const rec = record();
    const N = 3 * 65_536;
    const caplen = (i: number) => (i === 70_000 ? 65_600 : 60);
    const orig = (i: number) => (i === 70_001 ? 262_144 : i === 70_000 ? 65_600 : 60);
    // The third chunk's packets are 70 KiB apart in the file: 2^16 of them span 4.4 GiB.
    const where = (i: number) => (i < 2 * 65_536 ? 24 + i * 76 : 24 + 2 * 65_536 * 76 + (i - 2 * 65_536) * 70_000);
    for (let i = 0; i < N; i++) {
      rec.data = new Uint8Array(caplen(i));
      rec.origLen = orig(i);
      rec.dataOffset = where(i);
      s.add(rec);
    }
    s.trim();
    expect(s.len.chunks.map((c) => c.BYTES_PER_ELEMENT)).toEqual([2, 4, 2]);
    expect(s.origLen.chunks.map((c) => c.BYTES_PER_ELEMENT)).toEqual([2, 4, 2]);
    expect(s.dataOffset.chunks.map((c) => c.BYTES_PER_ELEMENT)).toEqual([4, 4, 8]);
    for (const i of [0, 65_536, 69_999, 70_000, 70_001, 70_002, 131_071, 131_072, 131_072 + 61_356, N - 1]) {
      expect(s.len.at(i)).toBe(caplen(i));
      expect(s.origLen.at(i)).toBe(orig(i));
      expect(s.dataOffset.at(i)).toBe(where(i));
    }
    expect(s.dataOffset.at(N - 1)).toBeGreaterThan(2 ** 32);
  });
});

/**
 * The packet index: 30 bytes a packet once the capture is read (the browser's bound is ~32),
 * every value kept through growth and trimming.
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
  it('holds at most 32 bytes a packet, and keeps every value through growth and trim', () => {
    const reader = { read: async () => new Uint8Array(0) };
    const s = new PacketStore('big.pcap', reader);
    const rec = record();
    const N = 250_001;
    for (let i = 0; i < N; i++) {
      rec.ts = 1_700_000_000 + i / 1000;
      rec.dataOffset = 24 + i * 76;
      rec.origLen = 60 + (i % 7);
      s.add(rec, i % 100, i & 1);
    }
    s.trim();
    expect(s.n).toBe(N);
    expect(s.indexBytes() / N).toBeLessThanOrEqual(32);
    for (const i of [0, 1023, 1024, 77_777, N - 1]) {
      expect(s.ts[i]).toBe(1_700_000_000 + i / 1000);
      expect(s.dataOffset[i]).toBe(24 + i * 76);
      expect(s.origLen[i]).toBe(60 + (i % 7));
      expect(s.stream[i]).toBe(i % 100);
      expect(s.flags[i]).toBe(i & 1);
      expect(s.linkType(i)).toBe(1);
    }
  });

  it('frees each old column as soon as it is copied, where the runtime can (ArrayBuffer transfer)', () => {
    // Node 20 has no ArrayBuffer.prototype.transfer (browsers do): a spec-shaped stand-in that
    // copies and detaches, so the store's own path runs here; the end-to-end tests run Chromium's.
    const proto = ArrayBuffer.prototype as ArrayBuffer & { transfer?: (n: number) => ArrayBuffer };
    const had = Object.getOwnPropertyDescriptor(proto, 'transfer');
    let calls = 0;
    if (!had)
      Object.defineProperty(proto, 'transfer', {
        configurable: true,
        value(this: ArrayBuffer, n: number): ArrayBuffer {
          calls++;
          const out = new ArrayBuffer(n);
          new Uint8Array(out).set(new Uint8Array(this, 0, Math.min(n, this.byteLength)));
          structuredClone(this, { transfer: [this] });
          return out;
        },
      });
    try {
      const s = new PacketStore('big.pcap', { read: async () => new Uint8Array(0) });
      const rec = record();
      const N = 5_000;
      let before: Float64Array | null = null;
      for (let i = 0; i < N; i++) {
        if (i === 1024) before = s.ts;
        rec.ts = 1000 + i;
        rec.dataOffset = 24 + i * 76;
        s.add(rec, i, 0);
      }
      // Grown past 1,024 packets: the first columns are gone, not garbage waiting for a collection.
      expect(before!.buffer.byteLength).toBe(0);
      const full = s.ts;
      s.trim();
      expect(full.buffer.byteLength).toBe(0);
      expect(s.indexBytes()).toBe(30 * N);
      for (const i of [0, 1023, 1024, 4096, N - 1]) {
        expect(s.ts[i]).toBe(1000 + i);
        expect(s.dataOffset[i]).toBe(24 + i * 76);
        expect(s.stream[i]).toBe(i);
      }
      if (!had) expect(calls).toBeGreaterThan(7);
    } finally {
      if (!had) Reflect.deleteProperty(proto, 'transfer');
    }
  });

  it('keeps in-memory packet bytes (gzip, shared links) within the same 30 bytes of index a packet', async () => {
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
    expect(s.indexBytes() / N).toBe(30);
    for (const i of [0, 1, 55_000, 55_924, N - 1]) expect(await s.bytes(i)).toEqual(bytesOf(i));
    const seen: number[] = [];
    await s.each([3, 60_000, N - 1], (i, b) => {
      expect(b).toEqual(bytesOf(i));
      seen.push(i);
    });
    expect(seen).toEqual([3, 60_000, N - 1]);
  });
});

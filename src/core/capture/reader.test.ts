import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FatalCaptureError } from '../errors';
import { readFileSync } from 'node:fs';
import { corpusBytes, REPO } from '../../../test/helpers/corpus';
import { readCapture, type RawRecord } from './reader';
import { bufferChunks, maybeGunzip } from './source';
import { writePcap } from './writer';

interface Rec {
  ts: number;
  len: number;
  linkType: number;
  iface: number;
  offset: number;
  first: number;
}

async function read(bytes: Uint8Array, chunk?: number) {
  const recs: Rec[] = [];
  const dec = await maybeGunzip(bufferChunks(bytes, chunk));
  const info = await readCapture(dec.chunks, (r: RawRecord) =>
    recs.push({
      ts: r.ts,
      len: r.data.length,
      linkType: r.linkType,
      iface: r.interfaceId,
      offset: r.offset,
      first: r.data[0] ?? -1,
    }),
  );
  return { recs, info, dec };
}

const pkt = (n: number, fill: number) => new Uint8Array(n).fill(fill);

describe('pcap reader', () => {
  const file = writePcap(
    [
      { ts: 1000.25, data: pkt(60, 1) },
      { ts: 1001.5, data: pkt(1514, 2) },
      { ts: 1003.000001, data: pkt(42, 3) },
    ],
    1,
  );

  it('reads records with timestamps, lengths and offsets', async () => {
    const { recs, info } = await read(file);
    expect(info.format).toBe('pcap');
    expect(info.linkTypes).toEqual([1]);
    expect(info.errors).toEqual([]);
    expect(recs.map((r) => r.len)).toEqual([60, 1514, 42]);
    expect(recs.map((r) => r.first)).toEqual([1, 2, 3]);
    expect(recs[0]!.ts).toBeCloseTo(1000.25, 6);
    expect(recs[2]!.ts).toBeCloseTo(1003.000001, 6);
    expect(recs[1]!.offset).toBe(24 + 16 + 60);
  });

  it('gives identical results whatever the chunking (records split across chunks)', async () => {
    const whole = await read(file);
    for (const chunk of [1, 3, 7, 16, 17, 100, 1600]) {
      const r = await read(file, chunk);
      expect(r.recs).toEqual(whole.recs);
    }
  });

  it('stitches blocks far larger than any chunk, copying each byte once (16 MiB block in 1 KiB chunks)', async () => {
    const { writeCapture } = await import('./writer');
    const big = new Uint8Array(600_000).map((_, i) => i & 0xff);
    const pkts = [
      { ts: 1, data: pkt(60, 1), linkType: 1 },
      { ts: 2, data: big, linkType: 1 },
      { ts: 3, data: pkt(70, 3), linkType: 101 },
      { ts: 4, data: big.subarray(0, 300_001), linkType: 1 },
    ];
    const ng = writeCapture(pkts).bytes;
    const whole = await read(ng);
    expect(whole.recs.map((r) => r.len)).toEqual([60, 600_000, 70, 300_001]);
    expect(whole.info.errors).toEqual([]);
    for (const chunk of [1000, 16384, 65536, 262_000, 400_000]) expect((await read(ng, chunk)).recs).toEqual(whole.recs);
    // A quadratic stitch (re-copying the growing tail for every chunk) would copy ~128 GiB here
    // and never finish within the test's time limit.
    const jumbo = writeCapture([
      { ts: 1, data: new Uint8Array(16 << 20).fill(7), linkType: 1 },
      { ts: 2, data: pkt(60, 9), linkType: 101 },
    ]).bytes;
    const j = await read(jumbo, 1024);
    expect(j.recs.map((r) => r.len)).toEqual([16 << 20, 60]);
    expect(j.recs[1]!.first).toBe(9);
  });

  it('refuses pcap records longer than libpcap allows (262144), whatever the snaplen says', async () => {
    const p = writePcap(
      [
        { ts: 1, data: pkt(60, 1) },
        { ts: 2, data: new Uint8Array(600_000) },
      ],
      1,
      { snaplen: 1 << 30 },
    );
    const { recs, info } = await read(p, 4096);
    expect(recs.map((r) => r.len)).toEqual([60]);
    expect(info.errors[0]!.message).toMatch(/record length 600000 exceeds the maximum 262144/);
  });

  it('reads the "modified" pcap format (24-byte record headers) in both byte orders', async () => {
    for (const f of ['modified.pcap', 'modified-be.pcap']) {
      const { recs, info } = await read(readFileSync(`${REPO}/test/captures/protocols/${f}`), 37);
      expect(info.format).toBe('pcap');
      expect(info.errors).toEqual([]);
      expect(recs).toHaveLength(12);
      expect(recs.every((r) => r.linkType === 1 && r.first !== -1)).toBe(true);
    }
  });

  it('reads big-endian and nanosecond files', async () => {
    const be = corpusBytes('real/tcpdump__pptp.pcap');
    const r = await read(be, 333);
    expect(r.info.format).toBe('pcap');
    expect(r.recs.length).toBe(23);
    const ns = await read(corpusBytes('real/tcpdump__tcp-handshake-nano.pcap'));
    expect(ns.recs.length).toBe(3);
    expect(ns.recs.map((x) => x.linkType)).toEqual([113, 113, 113]);
  });

  it('keeps what precedes a truncated last record and says where', async () => {
    const cut = file.subarray(0, file.length - 10);
    const { recs, info } = await read(cut, 50);
    expect(recs.length).toBe(2);
    expect(info.errors).toHaveLength(1);
    expect(info.errors[0]!.code).toBe('truncated-record');
    expect(info.errors[0]!.offset).toBe(24 + 16 + 60 + 16 + 1514);
  });

  it('stops at an absurd record length with an error, keeping earlier records', async () => {
    const bad = file.slice();
    const at = 24 + 16 + 60;
    new DataView(bad.buffer).setUint32(at + 8, 0xffffffff, true);
    const { recs, info } = await read(bad);
    expect(recs.length).toBe(1);
    expect(info.errors[0]!.message).toMatch(/record length 4294967295 exceeds/);
    expect(info.errors[0]!.offset).toBe(at);
  });

  it('flags invalid timestamp fractions but still reads the packets', async () => {
    const { recs, info } = await read(corpusBytes('real/tcpdump__timestamp_invalid_micro.pcap'));
    expect(recs.length).toBe(3);
    expect(info.errors.map((e) => e.code)).toEqual(['bad-timestamp', 'bad-timestamp']);
  });

  it('rejects what is not a capture with the magic and offset', async () => {
    await expect(read(new TextEncoder().encode('hello world, not a pcap'))).rejects.toThrow(
      /not a pcap or pcapng file \(magic 0x68656c6c at byte 0\)/,
    );
    await expect(read(new Uint8Array(0))).rejects.toBeInstanceOf(FatalCaptureError);
    await expect(read(file.subarray(0, 10))).rejects.toThrow(/too short/);
    await expect(read(corpusBytes('real/libpcap__pcap-invalid-version-1.pcap'))).rejects.toThrow(/unsupported pcap version 1\.4/);
  });

  it('a gzip stream the reader stops early (bad record length) ends at once with the reason, never hangs', async () => {
    const { analyzeCaptures } = await import('../pipeline');
    const pk = Array.from({ length: 20000 }, (_, i) => ({ ts: i, data: pkt(60, i & 255) }));
    const p = writePcap(pk, 1);
    new DataView(p.buffer).setUint32(24 + 76 + 8, 0xfffffff0, true);
    // Once, the decompressor's feeding loop waited forever for a reader that had stopped.
    const r = await analyzeCaptures([{ name: 'x.pcap.gz', source: bufferChunks(new Uint8Array(gzipSync(p)), 16384) }]);
    expect(r.captures[0]).toMatchObject({ packets: 1, compressed: true });
    expect(r.captures[0]!.errors.map((e) => e.code)).toEqual(['record-too-long']);
  });

  it('reads gzip-compressed captures and reports damaged gzip streams', async () => {
    const gz = new Uint8Array(gzipSync(file));
    const r = await read(gz, 64);
    expect(r.dec.compressed).toBe(true);
    expect(r.recs.length).toBe(3);
    const cut = await read(gz.subarray(0, gz.length - 30));
    expect(cut.dec.errors.length + cut.info.errors.length).toBeGreaterThan(0);
  });
});

describe('pcapng reader', () => {
  it('reads several sections of alternating byte order, counting custom blocks like Wireshark', async () => {
    const { recs, info } = await read(corpusBytes('real/gopacket__le-test202.pcapng'), 97);
    expect(info.format).toBe('pcapng');
    expect(recs.length).toBe(11);
    expect(info.errors).toEqual([]);
  });

  it('applies per-interface if_tsresol, decimal and binary', async () => {
    const bin = await read(corpusBytes('real/gopacket__le-test902.pcapng'));
    // if_tsresol 0x88 = 2^-8 s: the fraction is a multiple of 1/256.
    const frac = bin.recs[0]!.ts - Math.floor(bin.recs[0]!.ts);
    expect(Math.abs(frac * 256 - Math.round(frac * 256))).toBeLessThan(1e-6);
    const multi = await read(corpusBytes('real/zeek__pcapng-multi-interface.pcapng'));
    expect(multi.recs.map((r) => r.iface).sort()).toContain(1);
  });

  it('reads timestamps past 2106', async () => {
    const { recs } = await read(corpusBytes('real/tcpdump__time_2106_overflow.pcapng'));
    expect(recs[0]!.ts).toBe(4294967296);
  });

  it('validates block lengths so the cursor always advances', async () => {
    const good = corpusBytes('real/gopacket__le-test006.pcapng');
    const bad = good.slice();
    // Second block (first IDB) length set to 13: not a multiple of 4.
    const second = new DataView(bad.buffer).getUint32(4, true);
    new DataView(bad.buffer).setUint32(second + 4, 13, true);
    const { recs, info } = await read(bad);
    expect(recs.length).toBe(0);
    expect(info.errors[0]!.code).toBe('bad-block-length');
    expect(info.errors[0]!.offset).toBe(second);
  });

  it('stops at an unsupported section version, keeping earlier packets', async () => {
    const { recs, info } = await read(corpusBytes('real/gopacket__le-test901.pcapng'));
    expect(recs.length).toBe(1);
    expect(info.errors[0]!.message).toMatch(/unsupported pcapng section version 2\.0/);
  });
});

/**
 * Hostile-input generator: the worst cases issue 10 measured (floods, bombs, crafted headers),
 * each written as a capture file at two scales: `test` (small, for the unit suite, seconds) and
 * `bench` (the sizes that broke the old reader and analyser, for `npm run bench -- --hostile`).
 *
 * Files are streamed to disk in 4 MiB batches, so generating gigabytes needs little memory.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { writePcapHeader } from '../src/core/capture/writer';
import { dnsQuery, ether, ipv4, tcpSegment, udpDatagram } from '../test/helpers/build';

export type Scale = 'test' | 'bench';

/** One hostile case: what it is, what must hold, and how to write it. */
export interface HostileCase {
  name: string;
  what: string;
  /** Write the case to `path` (gzip'd cases end in .gz: the caller picks the name from `ext`). */
  make(path: string, scale: Scale): Promise<void>;
  ext: '.pcap' | '.pcapng' | '.pcap.gz' | '.pcapng.gz';
}

/** A streaming pcap (or raw bytes) writer with optional gzip. */
class Out {
  private buf = new Uint8Array(4 << 20);
  private dv = new DataView(this.buf.buffer);
  private o = 0;
  private readonly ws: WriteStream;
  private readonly sink: NodeJS.WritableStream;

  constructor(path: string, gzip = false, level = 6) {
    this.ws = createWriteStream(path);
    if (gzip) {
      const z = createGzip({ level });
      z.pipe(this.ws);
      this.sink = z;
    } else this.sink = this.ws;
  }

  /** Room for `n` more bytes in the batch (flushing it first when full). */
  private async room(n: number): Promise<void> {
    if (this.o + n <= this.buf.length) return;
    await this.flush();
    if (n > this.buf.length) {
      this.buf = new Uint8Array(n);
      this.dv = new DataView(this.buf.buffer);
    }
  }

  private async flush(): Promise<void> {
    if (!this.o) return;
    const chunk = this.buf.slice(0, this.o);
    this.o = 0;
    if (!this.sink.write(chunk)) await once(this.sink, 'drain');
  }

  async pcapHeader(linkType = 1, snaplen = 262144): Promise<void> {
    await this.room(24);
    writePcapHeader(new DataView(this.buf.buffer, this.o), linkType, { snaplen });
    this.o += 24;
  }

  /** One pcap record (microseconds). `incl` overrides the stored captured length. */
  async record(ts: number, data: Uint8Array, incl = data.length, orig = data.length): Promise<void> {
    await this.room(16 + data.length);
    const sec = Math.floor(ts);
    this.dv.setUint32(this.o, sec >>> 0, true);
    this.dv.setUint32(this.o + 4, Math.min(999_999, Math.round((ts - sec) * 1e6)), true);
    this.dv.setUint32(this.o + 8, incl >>> 0, true);
    this.dv.setUint32(this.o + 12, orig >>> 0, true);
    this.buf.set(data, this.o + 16);
    this.o += 16 + data.length;
  }

  async raw(b: Uint8Array): Promise<void> {
    await this.room(b.length);
    this.buf.set(b, this.o);
    this.o += b.length;
  }

  async close(): Promise<void> {
    await this.flush();
    this.sink.end();
    await once(this.ws, 'close');
  }
}

const T0 = 1_700_000_000;
const ip = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;

/** A SYN from `src`:`sport` to 10.0.0.1:80, ISN `isn`, IP id `id`. */
function syn(src: string, sport: number, isn: number, id: number): Uint8Array {
  return ether(ipv4(tcpSegment({ sport, dport: 80, seq: isn, flags: 0x02 }), { src, dst: '10.0.0.1', proto: 6, id }));
}

/** pcapng block: type, body, padded, with both lengths. */
function block(type: number, body: Uint8Array): Uint8Array {
  const pad = (4 - (body.length % 4)) % 4;
  const len = 12 + body.length + pad;
  const b = new Uint8Array(len);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, type, true);
  dv.setUint32(4, len, true);
  b.set(body, 8);
  dv.setUint32(len - 4, len, true);
  return b;
}
const SHB = () => {
  const body = new Uint8Array(16);
  const dv = new DataView(body.buffer);
  dv.setUint32(0, 0x1a2b3c4d, true);
  dv.setUint16(4, 1, true);
  dv.setBigInt64(8, -1n, true);
  return block(0x0a0d0d0a, body);
};
/** Interface Description Block with optional if_tsresol (code 9) and if_tsoffset (code 14). */
function idb(tsresol?: number, tsoffset?: bigint): Uint8Array {
  const opts: number[] = [];
  const dvOpt = (code: number, bytes: Uint8Array) => {
    const pad = (4 - (bytes.length % 4)) % 4;
    opts.push(code & 255, code >> 8, bytes.length & 255, bytes.length >> 8, ...bytes, ...new Array<number>(pad).fill(0));
  };
  if (tsresol !== undefined) dvOpt(9, new Uint8Array([tsresol]));
  if (tsoffset !== undefined) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigInt64(0, tsoffset, true);
    dvOpt(14, b);
  }
  if (opts.length) opts.push(0, 0, 0, 0);
  const body = new Uint8Array(8 + opts.length);
  const dv = new DataView(body.buffer);
  dv.setUint16(0, 1, true);
  dv.setUint32(4, 262144, true);
  body.set(opts, 8);
  return block(1, body);
}
/** Enhanced Packet Block on interface `iface` with a raw 64-bit timestamp. */
function epb(iface: number, ts: bigint, data: Uint8Array): Uint8Array {
  const pad = (4 - (data.length % 4)) % 4;
  const body = new Uint8Array(20 + data.length + pad);
  const dv = new DataView(body.buffer);
  dv.setUint32(0, iface, true);
  dv.setUint32(4, Number((ts >> 32n) & 0xffffffffn), true);
  dv.setUint32(8, Number(ts & 0xffffffffn), true);
  dv.setUint32(12, data.length, true);
  dv.setUint32(16, data.length, true);
  body.set(data, 20);
  return block(6, body);
}

/** NSH (RFC 8300) base + MD type 2 header without metadata, next protocol `next`. */
function nsh(next: number): number[] {
  // Ver 0, O 0, TTL 63, length 2 words; MD type 2; next protocol; SPI 1, SI 255.
  return [0x0f, 0xc2, 0x02, next, 0, 0, 1, 255];
}

export const HOSTILE: HostileCase[] = [
  {
    name: 'gzip-early-stop',
    what: 'a gzip pcap whose second record claims 4 GiB, with 1 MiB more after it: the reader stops early',
    ext: '.pcap.gz',
    async make(path) {
      const o = new Out(path, true);
      await o.pcapHeader();
      await o.record(T0, syn('10.0.0.2', 1000, 1, 1));
      await o.record(T0 + 1, new Uint8Array(0), 0xfffffff0, 0xfffffff0);
      const junk = new Uint8Array(1 << 20);
      for (let i = 0; i < junk.length; i++) junk[i] = (i * 2654435761) >>> 24;
      await o.raw(junk);
      await o.close();
    },
  },
  {
    name: 'gzip-bomb',
    what: 'a gzip of 1-byte records with equal timestamps (test: 8 Mi records, 136 MiB; bench: 512 Mi records, 8.5 GiB)',
    ext: '.pcap.gz',
    async make(path, scale) {
      const o = new Out(path, true, 9);
      await o.pcapHeader();
      // One 4 MiB block of records, written again and again.
      const per = Math.floor((4 << 20) / 17);
      const blockBytes = new Uint8Array(per * 17);
      const dv = new DataView(blockBytes.buffer);
      for (let i = 0; i < per; i++) {
        dv.setUint32(i * 17, T0, true);
        dv.setUint32(i * 17 + 8, 1, true);
        dv.setUint32(i * 17 + 12, 1, true);
        blockBytes[i * 17 + 16] = 0x42;
      }
      const n = scale === 'bench' ? 512 << 20 : 8 << 20;
      for (let i = 0; i < n; i += per) await o.raw(blockBytes);
      await o.close();
    },
  },
  {
    name: 'pcapng-timestamps',
    what: 'pcapng interfaces with if_tsresol 0 and 2^-127 and if_tsoffset -2^62, packets at extreme raw timestamps',
    ext: '.pcapng',
    async make(path) {
      const o = new Out(path);
      await o.raw(SHB());
      await o.raw(idb(0));
      await o.raw(idb(0x80 | 127));
      await o.raw(idb(6, -(1n << 62n)));
      const p = syn('10.0.0.2', 1000, 7, 1);
      for (const ts of [0n, 1n, (1n << 63n) - 1n, 1n << 40n]) for (const iface of [0, 1, 2]) await o.raw(epb(iface, ts, p));
      await o.close();
    },
  },
  {
    name: 'syn-retries',
    what: 'one SYN sent again and again, 1 ms apart (test 20,000; bench 200,000)',
    ext: '.pcap',
    async make(path, scale) {
      const o = new Out(path);
      await o.pcapHeader();
      const n = scale === 'bench' ? 200_000 : 20_000;
      for (let i = 0; i < n; i++) await o.record(T0 + i / 1000, syn('10.0.0.2', 1000, 12345, i & 0xffff));
      await o.close();
    },
  },
  {
    name: 'dns-retries',
    what: 'one DNS query resent 3,000 times, never answered',
    ext: '.pcap',
    async make(path) {
      const o = new Out(path);
      await o.pcapHeader();
      const q = dnsQuery(0x1234, 'svc.cluster.local');
      for (let i = 0; i < 3000; i++)
        await o.record(T0 + i, ether(ipv4(udpDatagram(5353, 53, q), { src: '10.0.0.2', dst: '10.0.0.53', proto: 17, id: i })));
      await o.close();
    },
  },
  {
    name: 'nsh-nesting',
    what: 'one frame of 6,000 nested NSH headers around an IPv4 SYN',
    ext: '.pcap',
    async make(path) {
      const o = new Out(path);
      await o.pcapHeader();
      const hdrs: number[] = [];
      for (let i = 0; i < 6000; i++) hdrs.push(...nsh(i === 5999 ? 1 : 4));
      const inner = ipv4(tcpSegment({ sport: 1, dport: 80, seq: 1, flags: 2 }), { src: '10.0.0.2', dst: '10.0.0.1', proto: 6 });
      const frame = new Uint8Array(14 + hdrs.length + inner.length);
      frame.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x89, 0x4f]);
      frame.set(hdrs, 14);
      frame.set(inner, 14 + hdrs.length);
      for (let i = 0; i < 3; i++) await o.record(T0 + i, frame);
      await o.close();
    },
  },
  {
    name: 'teardrop',
    what: 'overlapping and conflicting IPv4 fragments (teardrop), and fragments of one datagram repeated (test 2,000; bench 20,000)',
    ext: '.pcap',
    async make(path, scale) {
      const o = new Out(path);
      await o.pcapHeader();
      const frag = (id: number, off: number, mf: boolean, payload: Uint8Array) => {
        const p = ipv4(payload, { src: '10.0.0.2', dst: '10.0.0.1', proto: 17, id, l4: 0 });
        const dv = new DataView(p.buffer, p.byteOffset);
        dv.setUint16(6, (mf ? 0x2000 : 0) | (off >> 3));
        dv.setUint16(10, 0);
        let s = 0;
        for (let i = 0; i < 20; i += 2) s += dv.getUint16(i);
        while (s > 0xffff) s = (s & 0xffff) + (s >> 16);
        dv.setUint16(10, ~s & 0xffff);
        return ether(p);
      };
      const fill = (n: number, v: number) => new Uint8Array(n).fill(v);
      // Classic teardrop: the second fragment starts inside the first and ends before it.
      await o.record(T0, frag(1, 0, true, fill(36, 1)));
      await o.record(T0, frag(1, 24, false, fill(4, 2)));
      // Conflicting overlap: same range, other bytes.
      await o.record(T0, frag(2, 0, true, fill(48, 3)));
      await o.record(T0, frag(2, 8, true, fill(48, 4)));
      await o.record(T0, frag(2, 56, false, fill(8, 5)));
      // Many fragments of one datagram that never completes (no last fragment).
      const n = scale === 'bench' ? 20_000 : 2000;
      for (let i = 0; i < n; i++) await o.record(T0 + i / 1e4, frag(3, 8 * ((i * 97) % 8000), true, fill(1400, i & 255)));
      await o.close();
    },
  },
  {
    name: 'distinct-flows',
    what: 'every packet its own flow: UDP between distinct addresses and ports (test 300,000; bench 12.6 M, ~4 GiB)',
    ext: '.pcap',
    async make(path, scale) {
      const o = new Out(path);
      await o.pcapHeader();
      const n = scale === 'bench' ? 12_600_000 : 300_000;
      const payload = new Uint8Array(scale === 'bench' ? 270 : 20);
      const base = ether(ipv4(udpDatagram(1000, 2000, payload), { src: '10.0.0.1', dst: '10.0.0.2', proto: 17, l4: 0 }));
      const f = base.slice();
      const dv = new DataView(f.buffer);
      for (let i = 0; i < n; i++) {
        // Vary the source address and both ports; the UDP checksum stays 0 (not computed).
        dv.setUint32(26, (10 << 24) | (i & 0xffffff));
        dv.setUint16(34, 1024 + (i % 60000));
        dv.setUint16(36, 1 + ((i >> 8) % 60000));
        dv.setUint16(24, 0);
        let s = 0;
        for (let k = 14; k < 34; k += 2) s += dv.getUint16(k);
        while (s > 0xffff) s = (s & 0xffff) + (s >> 16);
        dv.setUint16(24, ~s & 0xffff);
        await o.record(T0 + i / 1e5, f);
      }
      await o.close();
    },
  },
  {
    name: 'syn-flood',
    what: 'a SYN flood: distinct sources, each SYN sent twice (test 200,000; bench 5 M)',
    ext: '.pcap',
    async make(path, scale) {
      const o = new Out(path);
      await o.pcapHeader();
      const n = scale === 'bench' ? 5_000_000 : 200_000;
      for (let i = 0; i < n; i++) {
        const s = syn(ip(i), 1024 + (i % 60000), i, i & 0xffff);
        await o.record(T0 + i / 1e5, s);
        if (i % 2 === 0) await o.record(T0 + i / 1e5 + 1, s);
      }
      await o.close();
    },
  },
  {
    name: 'error-records',
    what: 'a gzip pcap where every record is damaged (bad timestamp fraction): one error per record (test 200,000; bench 2 M)',
    ext: '.pcap.gz',
    async make(path, scale) {
      const o = new Out(path, true, 9);
      await o.pcapHeader();
      const n = scale === 'bench' ? 2_000_000 : 200_000;
      const one = new Uint8Array(1);
      const rec = new Uint8Array(17);
      const dv = new DataView(rec.buffer);
      for (let i = 0; i < n; i++) {
        dv.setUint32(0, T0 + i, true);
        dv.setUint32(4, 2_000_000_000, true); // microseconds >= 10^6: damaged
        dv.setUint32(8, 1, true);
        dv.setUint32(12, 1, true);
        rec.set(one, 16);
        await o.raw(rec);
      }
      await o.close();
    },
  },
  {
    name: 'many-interfaces',
    what: 'a pcapng section with 1 M interface descriptions, then packets on the last',
    ext: '.pcapng',
    async make(path, scale) {
      const o = new Out(path);
      await o.raw(SHB());
      const n = scale === 'bench' ? 1_000_000 : 100_000;
      const b = idb();
      for (let i = 0; i < n; i++) await o.raw(b);
      const p = syn('10.0.0.2', 1000, 7, 1);
      for (let i = 0; i < 10; i++) await o.raw(epb(n - 1, BigInt(T0 + i) * 1_000_000n, p));
      await o.close();
    },
  },
  {
    name: 'empty-first-packet',
    what: 'a gzip pcap whose first record is empty (0 bytes)',
    ext: '.pcap.gz',
    async make(path) {
      const o = new Out(path, true);
      await o.pcapHeader();
      await o.record(T0, new Uint8Array(0));
      for (let i = 0; i < 10; i++) await o.record(T0 + i, syn('10.0.0.2', 1000, 7, i));
      await o.close();
    },
  },
  {
    name: 'absurd-snaplen',
    what: 'a pcap header with snaplen 2^31-1 and records claiming 1 GiB each',
    ext: '.pcap',
    async make(path) {
      const o = new Out(path);
      await o.pcapHeader(1, 0x7fffffff);
      await o.record(T0, syn('10.0.0.2', 1000, 7, 1));
      const junk = new Uint8Array(3 << 20).fill(0x41);
      const dv = new DataView(junk.buffer);
      for (let p = 0; p + 16 < junk.length; p += 4096) dv.setUint32(p + 8, 1 << 30, true);
      await o.raw(junk);
      await o.close();
    },
  },
];

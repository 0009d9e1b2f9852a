/**
 * The worker API in Node: a dropped (uncompressed) File is read back with Blob.slice() and
 * must give exactly what the in-memory path gives; gzip'd files keep their bytes.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { corpusBytes } from '../test/helpers/corpus';
import { AnalysisApi } from './api';

const eth0 = corpusBytes('scenarios/tke-63s-sender-eth0.pcap');
const ssh = corpusBytes('real/zeek__ssh.pcap');

async function snapshot(api: AnalysisApi, total: number) {
  const rows = await api.rows(0, 0, total);
  const f = await api.filter(0, 'tcp.flags.syn==1 or checksum.bad');
  const filtered = await api.rows(0, 0, f.count);
  const p = await api.packet(0, Math.min(total, 867));
  const pcap = (await api.exportPcap(0)).bytes;
  return {
    rows,
    filtered: filtered.map((r) => r.n),
    p: p && { n: p.n, bytes: Array.from(p.bytes), layers: p.layers.map((l) => l.name) },
    pcap: pcap.length,
  };
}

describe('worker API', () => {
  it('reads packets back from the File with Blob.slice() exactly as from memory', async () => {
    for (const [name, bytes] of [
      ['eth0.pcap', eth0],
      ['ssh.pcap', ssh],
    ] as const) {
      const fromFile = new AnalysisApi();
      const a = await fromFile.analyze([{ kind: 'file', file: new File([bytes as Uint8Array<ArrayBuffer>], name) }], {});
      const fromMem = new AnalysisApi();
      const b = await fromMem.analyze([{ kind: 'bytes', name, bytes }], {});
      expect(a.ok && b.ok).toBe(true);
      if (!a.ok || !b.ok) return;
      expect(a.packets).toEqual(b.packets);
      const sa = await snapshot(fromFile, a.packets[0]!);
      const sb = await snapshot(fromMem, b.packets[0]!);
      expect(sa).toEqual(sb);
      expect(sa.pcap).toBe(bytes.length);
    }
  });

  it('exports and re-shares captures with several link types as pcapng, losing nothing', async () => {
    const mixed = corpusBytes('real/gopacket__le-test006.pcapng'); // Ethernet + NULL interfaces
    const api = new AnalysisApi();
    const r = await api.analyze([{ kind: 'bytes', name: 'mixed.pcapng', bytes: mixed }], {});
    expect(r.ok && r.reports.en.captures[0]!.linkTypes).toEqual([1, 0]);
    const out = await api.exportPcap(0);
    expect(out.format).toBe('pcapng');
    const again = new AnalysisApi();
    const r2 = await again.analyze([{ kind: 'bytes', name: 'again.pcapng', bytes: out.bytes }], {});
    expect(r2.ok && r2.packets[0]).toBe(5);
    expect(r2.ok && r2.reports.en.captures[0]!.linkTypes).toEqual([1, 0]);
    const [a, b] = [await again.rows(0, 0, 5), await api.rows(0, 0, 5)];
    expect(a.map((x) => x.summary)).toEqual(b.map((x) => x.summary));
    a.forEach((x, i) => expect(x.ts).toBeCloseTo(b[i]!.ts, 6));
  });

  it('an empty first packet in an in-memory capture (gzip, links) is a packet like any other', async () => {
    const { writePcap } = await import('../src/core/capture/writer');
    const bytes = writePcap(
      [
        { ts: 1, data: new Uint8Array(0) },
        { ts: 2, data: eth0.subarray(40, 164) },
      ],
      1,
    );
    const api = new AnalysisApi();
    const r = await api.analyze([{ kind: 'bytes', name: 'empty-first.pcap', bytes }], {});
    expect(r.ok && r.packets).toEqual([2]);
    const rows = await api.rows(0, 0, 2);
    expect(rows.map((x) => x.caplen)).toEqual([0, 124]);
    expect((await api.packet(0, 1))!.bytes.length).toBe(0);
  });

  it('gzip-compressed files keep their bytes in the worker and decode the same', async () => {
    const api = new AnalysisApi();
    const r = await api.analyze([{ kind: 'file', file: new File([gzipSync(eth0)], 'eth0.pcap.gz') }], {});
    expect(r.ok && r.reports.en.captures[0]!.compressed).toBe(true);
    const rows = await api.rows(0, 0, 16);
    expect(rows[0]!.summary).toMatch(/VXLAN vni 1/);
    expect((await api.exportPcap(0)).bytes.length).toBe(eth0.length);
  });
});

describe('worker API on a multi-MiB File', () => {
  it('gives the in-memory result when the File is read through reused buffers (plain and gzip)', async () => {
    // ~2.3 MiB of VXLAN and plain records (bad outer, partial and good checksums): the 1 MiB
    // read buffers take turns and records are cut by every chunk boundary.
    const recs = [corpusBytes('scenarios/dns-vxlan-bad-outer.pcap'), eth0].map((b) => b.subarray(24));
    const parts: Uint8Array[] = [eth0.subarray(0, 24)];
    for (let k = 0, size = 24; size < 2.3 * (1 << 20); k++) {
      parts.push(recs[k % 2]!);
      size += recs[k % 2]!.length;
    }
    const big = new Uint8Array(await new Blob(parts as Uint8Array<ArrayBuffer>[]).arrayBuffer());
    for (const [name, bytes] of [
      ['big.pcap', big],
      ['big.pcap.gz', new Uint8Array(gzipSync(big))],
    ] as const) {
      const fromFile = new AnalysisApi();
      const a = await fromFile.analyze([{ kind: 'file', file: new File([bytes as Uint8Array<ArrayBuffer>], name) }], {});
      const fromMem = new AnalysisApi();
      const b = await fromMem.analyze([{ kind: 'bytes', name, bytes }], {});
      expect(a.ok && b.ok, name).toBe(true);
      if (!a.ok || !b.ok) return;
      expect(a.packets[0]).toBeGreaterThan(15_000);
      expect(a.reports.en.checksums.udp.bad).toBeGreaterThan(0);
      expect(a.reports, name).toEqual(b.reports);
      const total = a.packets[0]!;
      const sa = await snapshot(fromFile, total);
      const sb = await snapshot(fromMem, total);
      expect(sa, name).toEqual(sb);
    }
  }, 120_000);
});

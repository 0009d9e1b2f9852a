import { describe, expect, it } from 'vitest';
import { analyzeFiles } from '../../../test/helpers/corpus';

describe('IP reassembly for checksum verification', () => {
  it('verifies reassembled IPv4 and IPv6 datagrams on the frame that completes them', async () => {
    const afs = await analyzeFiles(['real/tcpdump__afs.pcap'], { frames: true });
    const re4 = afs.frames!.flatMap((f) => f.checks.filter((c) => c.reassembled).map((c) => ({ n: f.n, ...c })));
    expect(re4.length).toBeGreaterThan(10);
    expect(re4.every((c) => c.layer === 'udp' && c.status === 'good')).toBe(true);
    expect(re4.find((c) => c.n === 128)?.reason).toMatch(/reassembled from \d+ fragments \(frames \d+-128\)/);
    const v6 = await analyzeFiles(['real/zeek__ipv6-fragmented-dns.pcap'], { frames: true });
    const f8 = v6.frames!.find((f) => f.n === 8)!;
    expect(f8.checks.find((c) => c.reassembled)).toMatchObject({ layer: 'udp', status: 'good' });
    // Frame 4 is a lone last fragment: nothing to verify, and never "bad".
    expect(v6.frames!.find((f) => f.n === 4)!.checks.some((c) => c.status === 'bad')).toBe(false);
  });

  it('never verifies an incomplete datagram', async () => {
    // zeek fragmented-3: every fragment has MF set, the last one is missing.
    const r = await analyzeFiles(['real/zeek__fragmented-3.pcap'], { frames: true });
    expect(r.frames!.flatMap((f) => f.checks).some((c) => c.reassembled)).toBe(false);
    expect(r.checksums.tcp.bad).toBe(0);
  });
});

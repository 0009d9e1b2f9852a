/**
 * The connections view against what the kernel did (the fault captures' MANIFEST): outcomes,
 * handshake round trips, SYN counts, bytes and DNS latencies.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../../test/helpers/corpus';
import { Session } from '../session';

const F = `${REPO}/test/captures/netns/faults/`;

async function table(file: string) {
  const s = new Session();
  const r = await s.analyze([{ kind: 'bytes', name: file, bytes: new Uint8Array(readFileSync(F + file)) }], {});
  expect(r.ok).toBe(true);
  return s.connections(0)!;
}

describe('connections view', () => {
  it('a healthy download: established, its round trip, bytes each way', async () => {
    const t = await table('healthy-client-eth0.pcap');
    expect(t.tcp).toHaveLength(1);
    const c = t.tcp[0]!;
    expect(c).toMatchObject({ stream: 0, outcome: 'established', syns: 1, retrans: 0 });
    expect(c.bytesToClient).toBe(4026);
    expect(c.rttMs).toBeGreaterThan(0);
    expect(c.rttMs).toBeLessThan(50);
  });

  it('refused, lost answers and a black hole each get their outcome', async () => {
    expect((await table('refused-rst-client-eth0.pcap')).tcp[0]).toMatchObject({ outcome: 'refused' });
    expect((await table('refused-icmp-client-eth0.pcap')).tcp[0]).toMatchObject({ outcome: 'refused' });
    expect((await table('synack-lost-client-eth0.pcap')).tcp[0]).toMatchObject({ outcome: 'established', syns: 8 });
    const mtu = (await table('mtu-blackhole-server-eth0.pcap')).tcp[0]!;
    expect(mtu.retrans).toBeGreaterThanOrEqual(5);
  });

  it('DNS lookups with their latency: the delayed AAAA took 5 s, the A a millisecond', async () => {
    const t = await table('dns-delay-client-eth0.pcap');
    const aaaa = t.dns.find((d) => d.type === 'AAAA')!;
    const a = t.dns.find((d) => d.type === 'A')!;
    expect(aaaa).toMatchObject({ name: 'svc.cluster.local', answered: true, queries: 2 });
    expect(aaaa.latencyMs!).toBeGreaterThan(4900);
    expect(a.latencyMs!).toBeLessThan(100);
  });
});

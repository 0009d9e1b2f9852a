/**
 * Real kernel captures of overlay faults (scripts/make-netns-faults.sh): client node, a router,
 * server node, VXLAN on 8472, captured at four points (client/server × eth0/flannel.1). Every
 * single capture and every ordered pair is checked against what the kernel actually did (the
 * client's own result, recorded in MANIFEST.json next to each capture).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeFiles, REPO } from '../../../test/helpers/corpus';
import type { Cause, Report } from '../report';
import { timelineOf } from './timeline';

const DIR = `${REPO}/test/captures/netns/faults/`;
interface Scenario {
  name: string;
  clientResult: { result: string; errno?: string; afterSec: number; endedAfterSec?: number };
  files: { file: string; host: 'client' | 'server'; iface: string }[];
}
const MANIFEST = JSON.parse(readFileSync(`${DIR}MANIFEST.json`, 'utf8')) as { scenarios: Scenario[] };
const scenario = (name: string) => MANIFEST.scenarios.find((s) => s.name === name)!;

type Host = 'client' | 'server';
/** Expected cause for one capture point, or for a pair by the hosts of its two points. */
interface Expect {
  single: Record<Host, Cause>;
  pair: Record<'cc' | 'cs' | 'ss', Cause>;
  /** lost.where for a client + server pair. */
  lostCS?: string;
}
const EXPECT: Record<string, Expect> = {
  healthy: { single: { client: null, server: null }, pair: { cc: null, cs: null, ss: null } },
  'refused-rst': {
    single: { client: 'connection-refused', server: 'connection-refused' },
    pair: { cc: 'connection-refused', cs: 'connection-refused', ss: 'connection-refused' },
  },
  'refused-icmp': {
    single: { client: 'connection-refused', server: 'connection-refused' },
    pair: { cc: 'connection-refused', cs: 'connection-refused', ss: 'connection-refused' },
  },
  // The client sees only SYNs going unanswered; the server sees its SYN-ACKs going out again.
  'synack-lost': {
    single: { client: 'syn-dropped', server: 'synack-lost' },
    pair: { cc: 'syn-dropped', cs: 'synack-lost', ss: 'synack-lost' },
    lostCS: 'return-path',
  },
  // The server sees its full-size segment retransmitted; the client only sees the transfer stop.
  'mtu-blackhole': {
    single: { client: 'transfer-stalled', server: 'mtu-blackhole' },
    pair: { cc: 'transfer-stalled', cs: 'mtu-blackhole', ss: 'mtu-blackhole' },
    lostCS: 'between',
  },
  // Path MTU discovery worked (ICMP frag-needed reached the server): a healthy transfer.
  'mtu-blackhole-icmp': { single: { client: null, server: null }, pair: { cc: null, cs: null, ss: null } },
  'dns-delay': {
    single: { client: 'dns-delayed', server: 'dns-delayed' },
    pair: { cc: 'dns-delayed', cs: 'dns-delayed', ss: 'dns-delayed' },
    lostCS: 'after-both',
  },
  'dns-ok': { single: { client: null, server: null }, pair: { cc: null, cs: null, ss: null } },
};

const cache = new Map<string, Promise<Report>>();
const run = (files: string[]) => {
  const k = files.join('+');
  if (!cache.has(k)) cache.set(k, analyzeFiles(files.map((f) => DIR + f)));
  return cache.get(k)!;
};

describe('overlay faults, every capture point (make-netns-faults.sh)', () => {
  it('the manifest lists the eight scenarios, each at four points', () => {
    expect(MANIFEST.scenarios.map((s) => s.name).sort()).toEqual(Object.keys(EXPECT).sort());
    for (const s of MANIFEST.scenarios) expect(s.files).toHaveLength(4);
  });

  for (const name of Object.keys(EXPECT)) {
    describe(name, () => {
      const s = scenario(name);
      const e = EXPECT[name]!;
      for (const f of s.files) {
        it(`${f.file} alone: ${String(e.single[f.host])}`, async () => {
          const r = await run([f.file]);
          expect(r.diagnosis.cause).toBe(e.single[f.host]);
          // The heading never says "no problem, high" from a point that cannot see the fault.
          if (r.diagnosis.cause === null) {
            expect(r.diagnosis.confidence).toBe(r.captures[0]!.side === 'client' ? 'high' : 'medium');
            expect(r.findings.filter((x) => x.severity === 'error')).toEqual([]);
          }
          // A side, when told, is the true one.
          if (r.captures[0]!.side !== 'unknown') expect(r.captures[0]!.side).toBe(f.host);
          expect(r.captures[0]!.tunnel).toBe(f.iface === 'eth0' ? 'outer' : 'none');
        });
      }
      for (const a of s.files)
        for (const b of s.files) {
          if (a === b) continue;
          const key = a.host === b.host ? (a.host === 'client' ? 'cc' : 'ss') : 'cs';
          it(`${a.file} + ${b.file}: ${String(e.pair[key])}, located from the traffic`, async () => {
            const r = await run([a.file, b.file]);
            const back = await run([b.file, a.file]);
            expect(r.diagnosis.cause).toBe(e.pair[key]);
            expect(r.captureOverlap).toBeGreaterThan(0);
            // Two points: both sides known and right, the tunnel position right.
            expect(r.captures.map((c) => c.side)).toEqual([a.host, b.host]);
            const tunnel = (x: typeof a, y: typeof a) => (x.iface === 'eth0' ? 'outer' : y.iface === 'eth0' ? 'inner' : 'none');
            expect(r.captures.map((c) => c.tunnel)).toEqual([tunnel(a, b), tunnel(b, a)]);
            // The same diagnosis in either order.
            expect(back.diagnosis.cause).toBe(r.diagnosis.cause);
            expect(back.diagnosis.confidence).toBe(r.diagnosis.confidence);
            expect(back.diagnosis.lost?.where).toBe(r.diagnosis.lost?.where);
            if (r.diagnosis.lost && r.diagnosis.lost.upstream >= 0)
              expect(back.diagnosis.lost!.upstream).toBe(1 - r.diagnosis.lost.upstream);
            if (key === 'cs' && e.lostCS) {
              expect(r.diagnosis.lost).toEqual({ where: e.lostCS, upstream: a.host === 'client' ? 0 : 1 });
            }
            if (r.diagnosis.cause === null) expect(r.diagnosis.confidence).toBe('high');
          });
        }
    });
  }
});

describe('what each fault says, against what the client saw', () => {
  it('a refused port: RST, ECONNREFUSED; an admin-prohibited reject: ICMP 3/13, EHOSTUNREACH', async () => {
    expect(scenario('refused-rst').clientResult.errno).toBe('ECONNREFUSED');
    const rst = await run(['refused-rst-client-eth0.pcap']);
    const f = rst.findings.find((x) => x.kind === 'connection-refused')!;
    expect(f).toMatchObject({ answer: 'rst', server: '10.244.1.1:8080' });
    expect(rst.diagnosis.summary).toMatch(/RST/);
    // 83 microseconds after the SYN: said as such, not "0.00 s".
    expect(rst.diagnosis.summary).toMatch(/a RST 0\.000083 s after the first SYN/);
    expect(scenario('refused-icmp').clientResult.errno).toBe('EHOSTUNREACH');
    const icmp = await run(['refused-icmp-server-flannel1.pcap']);
    expect(icmp.findings.find((x) => x.kind === 'connection-refused')).toMatchObject({
      answer: 'icmp-admin-prohibited',
      server: '10.244.1.1:8081',
    });
    expect(icmp.diagnosis.remedies.join('\n')).toMatch(/NetworkPolicy/);
  });

  it('SYN-ACKs lost on the way back: the server retried its answers; the client connected after ~11 s', async () => {
    const after = scenario('synack-lost').clientResult.afterSec;
    const r = await run(['synack-lost-client-eth0.pcap', 'synack-lost-server-eth0.pcap']);
    expect(r.diagnosis.cause).toBe('synack-lost');
    const syn = r.findings.find((x) => x.kind === 'syn-retry' && x.capture === 0);
    expect(syn && syn.kind === 'syn-retry' && syn.delaySec).toBeCloseTo(after, 1);
    expect(r.diagnosis.summary).toMatch(/SYN-ACK/);
    expect(r.diagnosis.remedies.join('\n')).toMatch(/rp_filter/);
  });

  it('an MTU black hole: the lost size, DF, no frag-needed, and ping -M do to confirm', async () => {
    expect(scenario('mtu-blackhole').clientResult.result).toBe('timeout');
    const r = await run(['mtu-blackhole-server-eth0.pcap']);
    const f = r.findings.find((x) => x.kind === 'mtu-blackhole')!;
    expect(f).toMatchObject({ lostSize: 1398, icmpFragNeeded: [], df: true });
    // Sent once (frame 8, a window of 13 segments went out after it) and again 6 times: 7 sends,
    // the original first in the evidence and drawn as sent, not as a retransmission.
    expect(f).toMatchObject({ transmissions: 7, originalSeen: true });
    expect(f.kind === 'mtu-blackhole' && f.frames).toEqual([8, 20, 21, 22, 23, 24, 25]);
    expect(f.title).toMatch(/sent 7 times over 13\.3 s/);
    expect(r.diagnosis.evidence).toContain(8);
    expect(timelineOf(r, r.findings.indexOf(f))!.points.map((p) => p.kind)).toEqual([
      'attempt',
      ...Array(6).fill('retransmission'),
    ]);
    expect(r.diagnosis.confirm.join('\n')).toMatch(/ping -M do -s/);
    expect(r.diagnosis.remedies.join('\n')).toMatch(/MSS|clamp/i);
    // With ICMP reaching the server, PMTUD worked: no cause, the announced MTU is noted.
    const ok = await run(['mtu-blackhole-icmp-server-eth0.pcap']);
    expect(ok.diagnosis.cause).toBeNull();
    expect(ok.findings.some((x) => x.kind === 'path-mtu')).toBe(true);
  });

  it('the 5-second DNS delay: parallel A + AAAA, the AAAA lost, answered after the retry', async () => {
    const after = scenario('dns-delay').clientResult.afterSec;
    for (const f of ['dns-delay-client-eth0.pcap', 'dns-delay-server-flannel1.pcap']) {
      const r = await run([f]);
      const d = r.findings.find((x) => x.kind === 'dns-retried')!;
      expect(d).toMatchObject({ qtype: 28, parallelLost: true, pair: { qtype: 1 } });
      expect(d.kind === 'dns-retried' && d.delaySec).toBeCloseTo(after, 1);
      expect(r.diagnosis.confidence).toBe('high');
      expect(r.diagnosis.remedies.join('\n')).toMatch(/single-request-reopen/);
      expect(r.diagnosis.confirm.join('\n')).toMatch(/conntrack -S/);
      // One point cannot tell the client node's conntrack race from a server that ignored it.
      expect(r.diagnosis.caveats.join('\n')).toMatch(/capture on the DNS server's node too/);
    }
  });

  it('the DNS delay seen at both points: the lost query reached the server side, so not the race on the client node', async () => {
    const r = await run(['dns-delay-client-eth0.pcap', 'dns-delay-server-eth0.pcap']);
    expect(r.diagnosis.cause).toBe('dns-delayed');
    expect(r.diagnosis.lost?.where).toBe('after-both');
    expect(r.diagnosis.summary).toMatch(
      /was seen at the server's side too, so it left the client's node: this is not the conntrack race/,
    );
    expect(r.diagnosis.summary).not.toMatch(/pattern of the conntrack race/);
    expect(r.diagnosis.confirm[0]).toMatch(/^On the DNS server: its log/);
    expect(r.diagnosis.caveats.join('\n')).not.toMatch(/From one capture point/);
    const zh = await analyzeFiles(
      ['dns-delay-client-eth0.pcap', 'dns-delay-server-eth0.pcap'].map((f) => DIR + f),
      { lang: 'zh' },
    );
    expect(zh.diagnosis.summary).toMatch(/这不是并行查询常遇到的客户端节点 conntrack 竞争/);
  });
});

describe('inner (tunnelled) checksum counts', () => {
  const sum = (t: Report['checksums']) => Object.values(t).reduce((n, s) => n + Object.values(s).reduce((a, b) => a + b, 0), 0);

  it('a packet quoted in an ICMP error is not tunnelled: counted in checksums only', async () => {
    const r = await analyzeFiles([`${DIR}refused-icmp-client-flannel1.pcap`]);
    expect(r.captures[0]!.tunnel).toBe('none');
    // The ICMP port unreachable quotes the SYN: its IPv4 and TCP checksums count, not as inner.
    expect(r.checksums.ipv4.good).toBe(3);
    expect(sum(r.checksumsInner)).toBe(0);
  });

  it('packets inside VXLAN are', async () => {
    const r = await analyzeFiles([`${DIR}refused-icmp-client-eth0.pcap`]);
    expect(r.captures[0]!.tunnel).toBe('outer');
    expect(sum(r.checksumsInner)).toBeGreaterThan(0);
  });
});

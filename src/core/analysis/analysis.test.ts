import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dnsQuery, ether, ipv4, tcpSegment, udpDatagram, vxlan, type ChecksumMode } from '../../../test/helpers/build';
import { writePcap, type WritePacket } from '../capture/writer';
import { bufferChunks } from '../capture/source';
import { TCP_ACK, TCP_RST, TCP_SYN } from '../decode/layers';
import { analyzeCaptures } from '../pipeline';
import type { FindingOf, Report } from '../report';

type SynRetryFinding = FindingOf<'syn-retry'>;
type DnsFinding = FindingOf<'dns-unanswered'>;
import { analyzeBytes, analyzeFiles, REPO } from '../../../test/helpers/corpus';
import { classifyLadder } from './ladder';
import { int } from './i18n';

const synOf = (r: Report) => r.findings.filter((f): f is SynRetryFinding => f.kind === 'syn-retry');
const dnsOf = (r: Report) => r.findings.filter((f): f is DnsFinding => f.kind === 'dns-unanswered');

const T0 = 1_700_000_000;
const client = { ip: '10.244.1.5', port: 41000 };
const server = { ip: '10.244.2.9', port: 8080 };

function synPacket(i: number, l4: ChecksumMode = 'correct', isn = 1000) {
  return ipv4(
    tcpSegment({ sport: client.port, dport: server.port, seq: isn, flags: TCP_SYN, tsVal: 5000 + i * 1000, mss: 1460 }),
    {
      src: client.ip,
      dst: server.ip,
      proto: 6,
      id: 100 + i,
      l4,
    },
  );
}
function synAck(isn = 1000) {
  return ipv4(
    tcpSegment({ sport: server.port, dport: client.port, seq: 77, ack: isn + 1, flags: TCP_SYN | TCP_ACK, tsVal: 9, tsEcr: 1 }),
    {
      src: server.ip,
      dst: client.ip,
      proto: 6,
      id: 1,
    },
  );
}
function rst(isn = 1000) {
  return ipv4(tcpSegment({ sport: server.port, dport: client.port, seq: 0, ack: isn + 1, flags: TCP_RST | TCP_ACK }), {
    src: server.ip,
    dst: client.ip,
    proto: 6,
    id: 2,
  });
}
const tunnel = (inner: Uint8Array, outer: ChecksumMode) =>
  ether(ipv4(udpDatagram(50000, 8472, vxlan(ether(inner))), { src: '192.168.0.1', dst: '192.168.0.2', proto: 17, l4: outer }));

function cap(pkts: WritePacket[]) {
  return writePcap(pkts, 1);
}

describe('SYN retry ladders', () => {
  it('classifies the classic, the drifting and the linear ladders', () => {
    expect(classifyLadder([0, 1, 3, 7, 15, 31, 63]).ladder).toBe('linux-exponential');
    expect(classifyLadder([0, 1.02, 3.05, 7.1, 15.3, 31.8, 65.5]).ladder).toBe('linux-exponential');
    expect(classifyLadder([0, 1, 2, 3, 4, 5, 7, 11, 19]).ladder).toBe('linux-linear');
    expect(classifyLadder([0, 3, 9, 21]).ladder).toBe('other');
    expect(classifyLadder([0, 1]).ladder).toBe('linux-exponential');
  });

  it('the 63-second incident on eth0: vxlan-checksum-drop with six bad outer checksums then a zero one', async () => {
    const r = await analyzeFiles(['scenarios/tke-63s-sender-eth0.pcap']);
    expect(r.diagnosis.cause).toBe('vxlan-checksum-drop');
    expect(r.diagnosis.confidence).toBe('high');
    const [f] = synOf(r);
    expect(f).toMatchObject({
      client: '172.29.0.0:40233',
      server: '172.29.2.3:9153',
      attempts: 7,
      outcome: 'established',
      ladder: 'linux-exponential',
    });
    expect(f!.delaySec).toBeCloseTo(63.137, 2);
    expect(f!.attemptList.map((a) => Math.round(a.offsetSec))).toEqual([0, 1, 3, 7, 15, 31, 63]);
    expect(f!.attemptList.map((a) => a.outerChecksum)).toEqual(['bad', 'bad', 'bad', 'bad', 'bad', 'bad', 'zero']);
    expect(f!.attemptList[0]).toMatchObject({ outerStored: 0xffff, outerComputed: 0xd553, tunnelPort: 8472 });
    expect(r.findings.find((x) => x.kind === 'tunnel-checksum-bad')!.frames).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.diagnosis.evidence).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(r.diagnosis.remedies.join('\n')).toMatch(/ethtool -K flannel\.1 tx-checksum-ip-generic off/);
    expect(r.diagnosis.remedies.join('\n')).toMatch(/--dport 8472 -j MARK --set-xmark 0x0\/0x4000/);
    expect(r.diagnosis.remedies.join('\n')).toMatch(/v1\.16\.13.*v1\.17\.9.*v1\.18\.6/);
    expect(r.diagnosis.remedies.join('\n')).toMatch(/ChecksumOffloadBroken=true/);
  });

  it('the flannel.1 view: partial inner checksums are offload, not a cause', async () => {
    const r = await analyzeFiles(['scenarios/tke-63s-sender-flannel1.pcap']);
    expect(r.diagnosis.cause).toBe('syn-dropped');
    expect(r.findings.some((f) => f.kind === 'checksum-bad' || f.kind === 'tunnel-checksum-bad')).toBe(false);
    expect(r.findings.find((f) => f.kind === 'checksum-offload')!.frames).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(r.checksums.tcp.partial).toBe(7);
    expect(r.diagnosis.caveats.join(' ')).toMatch(/second|receiving node/);
  });

  it('DNS over VXLAN with bad outer checksums', async () => {
    const r = await analyzeFiles(['scenarios/dns-vxlan-bad-outer.pcap']);
    expect(r.diagnosis.cause).toBe('vxlan-checksum-drop');
    const [d] = dnsOf(r);
    expect(d).toMatchObject({ name: 'www.google.com', queries: 3, frames: [1, 2, 3] });
    expect(d!.attemptList.every((a) => a.outerChecksum === 'bad')).toBe(true);
  });

  it('real SYN retransmissions: zeek socks (7 SYNs) and rdp (lost SYN-ACKs)', async () => {
    const socks = await analyzeFiles(['real/zeek__socks.pcap']);
    expect(synOf(socks)[0]).toMatchObject({ attempts: 7, outcome: 'established', server: '60.190.189.214:8124' });
    expect(socks.diagnosis.cause).toBe('syn-dropped');
    const rdp = await analyzeFiles(['real/zeek__rdp-unknown-keyboard.pcap']);
    expect(synOf(rdp)[0]).toMatchObject({ attempts: 2, frames: [1, 4], answersBeforeLastAttempt: 2 });
    expect(rdp.findings.find((f) => f.kind === 'synack-retry')!.frames).toEqual([2, 3]);
    expect(rdp.diagnosis.summary).toMatch(/lost on the way back/);
  });

  it('offload artefacts are never blamed: localhost TX offload and VXLAN pseudo-header outer sums', async () => {
    for (const f of [
      'real/zeek__localhost-bad-chksum.pcap',
      'real/zeek__vxlan-encapsulated-igmp-v2.pcap',
      'real/tcpdump__gso-ipv4-vxlan-ipv4.pcap',
    ]) {
      const r = await analyzeFiles([f]);
      expect(r.diagnosis.cause, f).toBeNull();
      expect(
        r.findings.map((x) => x.kind),
        f,
      ).toEqual(['checksum-offload']);
      expect(r.diagnosis.summary, f).toMatch(/No problem found/);
    }
  });

  it('healthy captures produce no findings', async () => {
    for (const f of [
      'real/tcpdump__tcp-handshake-nano.pcap',
      'real/zeek__http-vlan-0.pcap',
      'real/tcpdump__dns_udp.pcap',
      'real/tcpdump__vxlan.pcap',
      'real/tcpdump__geneve.pcap',
    ]) {
      const r = await analyzeFiles([f]);
      expect(r.findings, f).toEqual([]);
      expect(r.diagnosis.cause, f).toBeNull();
    }
  });

  it('a -i any capture sees each SYN inside and outside the tunnel: one attempt each', async () => {
    const pkts: WritePacket[] = [];
    [0, 1, 3].forEach((t, i) => {
      pkts.push({ ts: T0 + t, data: tunnel(synPacket(i, 'correct'), 0xffff) });
      pkts.push({ ts: T0 + t + 0.00002, data: ether(synPacket(i, 'correct')) });
    });
    pkts.push({ ts: T0 + 3.001, data: ether(synAck()) });
    const r = await analyzeBytes(cap(pkts));
    const [f] = synOf(r);
    expect(f!.attempts).toBe(3);
    expect(f!.frames).toEqual([1, 3, 5]);
    expect(f!.attemptList.map((a) => a.outerChecksum)).toEqual(['bad', 'bad', 'bad']);
    expect(r.diagnosis.cause).toBe('vxlan-checksum-drop');
  });

  it('recognises the Linux >= 6.5 linear ladder, a reset, and a ladder that ran out', async () => {
    const lin = [0, 1, 2, 3, 4, 5, 7, 11];
    const r1 = await analyzeBytes(
      cap([...lin.map((t, i) => ({ ts: T0 + t, data: ether(synPacket(i)) })), { ts: T0 + 11.2, data: ether(rst()) }]),
    );
    expect(synOf(r1)[0]).toMatchObject({ ladder: 'linux-linear', outcome: 'reset', attempts: 8 });
    expect(synOf(r1)[0]!.delaySec).toBeCloseTo(11.2, 3);
    const exp = [0, 1, 3, 7, 15, 31, 63];
    const r2 = await analyzeBytes(
      cap([
        ...exp.map((t, i) => ({ ts: T0 + t, data: ether(synPacket(i)) })),
        { ts: T0 + 140, data: ether(synPacket(99, 'correct', 5555)) },
      ]),
    );
    expect(synOf(r2)[0]).toMatchObject({ outcome: 'failed', delaySec: null });
    const r3 = await analyzeBytes(cap(exp.slice(0, 3).map((t, i) => ({ ts: T0 + t, data: ether(synPacket(i)) }))));
    expect(synOf(r3)[0]).toMatchObject({ outcome: 'unknown' });
  });

  it('matches DNS answers by id, addresses and question', async () => {
    const q = (id: number, name: string, t: number, resp = false) => ({
      ts: T0 + t,
      data: ether(
        resp
          ? ipv4(udpDatagram(53, 33000, dnsQuery(id, name, true)), { src: '10.96.0.10', dst: '10.244.1.5', proto: 17 })
          : ipv4(udpDatagram(33000, 53, dnsQuery(id, name)), { src: '10.244.1.5', dst: '10.96.0.10', proto: 17 }),
      ),
    });
    const r = await analyzeBytes(
      cap([
        q(1, 'ok.example', 0),
        q(1, 'ok.example', 0.01, true),
        q(2, 'lost.example', 1),
        q(2, 'lost.example', 6),
        q(3, 'other.example', 2),
        q(2, 'other.example', 2.1, true),
        q(4, 'late.example', 7),
      ]),
    );
    const d = dnsOf(r);
    expect(d.map((x) => x.name).sort()).toEqual(['lost.example', 'other.example']);
    expect(d.find((x) => x.name === 'lost.example')).toMatchObject({ queries: 2, frames: [3, 4] });
    expect(r.diagnosis.cause).toBe('dns-unanswered');
  });
});

describe('two capture points', () => {
  it('marks which attempts reached the receiver, regardless of clock offset', async () => {
    const times = [0, 1, 3, 7];
    const sender = cap([
      ...times.map((t, i) => ({ ts: T0 + t, data: tunnel(synPacket(i), 'correct') })),
      { ts: T0 + 7.01, data: tunnel(synAck(), 'zero') },
    ]);
    // The receiver's clock is 1000 s off and it only saw attempts 3 and 4 (the first two were lost in the network).
    const receiver = cap([
      ...[2, 3].map((i) => ({ ts: T0 + 1000 + times[i]!, data: ether(synPacket(i)) })),
      { ts: T0 + 1007.005, data: ether(synAck()) },
    ]);
    const r = await analyzeCaptures([
      { name: 'sender.pcap', source: bufferChunks(sender) },
      { name: 'receiver.pcap', source: bufferChunks(receiver) },
    ]);
    const f = synOf(r).find((x) => x.capture === 0)!;
    expect(f.delivered).toBe(2);
    expect(f.attemptList.map((a) => a.delivered)).toEqual([false, false, true, true]);
    expect(r.diagnosis.cause).toBe('syn-dropped');
    expect(r.diagnosis.summary).toMatch(/2 of 4 attempts passed sender\.pcap and never reached receiver\.pcap/);
    expect(r.diagnosis.lost).toEqual({ where: 'between', upstream: 0 });
    expect(r.captures.map((c) => c.side)).toEqual(['client', 'server']);
  });

  it('sender eth0 + flannel.1 views of the incident match attempt for attempt', async () => {
    const r = await analyzeFiles(['scenarios/tke-63s-sender-eth0.pcap', 'scenarios/tke-63s-sender-flannel1.pcap']);
    const f = synOf(r).find((x) => x.capture === 0)!;
    expect(f.delivered).toBe(7);
    expect(r.diagnosis.cause).toBe('vxlan-checksum-drop');
  });
});

describe('languages', () => {
  it('writes the diagnosis in Simplified Chinese', async () => {
    const r = await analyzeFiles(['scenarios/tke-63s-sender-eth0.pcap'], { lang: 'zh' });
    expect(r.diagnosis.summary).toMatch(/外层 UDP 校验和错误/);
    expect(r.diagnosis.remedies[0]).toMatch(/ethtool -K flannel\.1/);
    expect(synOf(r)[0]!.title).toMatch(/发送了 7 次/);
  });
});

describe('real captures from network namespaces (scripts/make-netns-captures.sh)', () => {
  const NS = `${REPO}/test/captures/netns/`;
  const at = (f: string) => `${NS}${f}`;
  it('exponential ladder with a bad outer checksum, on every interface including -i any (SLL2)', async () => {
    for (const f of ['exp-csum-sender-phys.pcap', 'exp-csum-sender-any.pcap', 'exp-csum-receiver-phys.pcap']) {
      const r = await analyzeFiles([at(f)]);
      expect(r.diagnosis.cause, f).toBe('vxlan-checksum-drop');
      expect(r.diagnosis.confidence, f).toBe('high');
      const [s] = synOf(r);
      expect(s, f).toMatchObject({ attempts: 6, ladder: 'linux-exponential', outcome: 'established' });
      expect(
        s!.attemptList.map((a) => a.outerChecksum),
        f,
      ).toEqual(['bad', 'bad', 'bad', 'bad', 'bad', 'good']);
      expect(s!.delaySec!, f).toBeGreaterThan(31);
    }
    expect((await analyzeFiles([at('exp-csum-sender-any.pcap')])).captures[0]!.linkTypes).toEqual([276]);
  });

  it('linear ladder, SYNs dropped by the receiver; real offload checksums are never blamed', async () => {
    for (const f of [
      'lin-drop-sender-phys.pcap',
      'lin-drop-sender-any.pcap',
      'lin-drop-sender-vxlan.pcap',
      'lin-drop-receiver-phys.pcap',
    ]) {
      const r = await analyzeFiles([at(f)]);
      expect(r.diagnosis.cause, f).toBe('syn-dropped');
      expect(
        r.findings.some((x) => x.kind === 'checksum-bad' || x.kind === 'tunnel-checksum-bad'),
        f,
      ).toBe(false);
      const [s] = synOf(r);
      expect(s, f).toMatchObject({ attempts: 8, ladder: 'linux-linear', outcome: 'established' });
    }
  });

  it('two capture points say where the SYNs vanished', async () => {
    const lin = await analyzeFiles([at('lin-drop-sender-phys.pcap'), at('lin-drop-receiver-phys.pcap')]);
    expect(synOf(lin).find((x) => x.capture === 0)!.delivered).toBe(8);
    expect(lin.diagnosis.summary).toMatch(/dropped after it, on the receiving host/);
    const exp = await analyzeFiles([at('exp-csum-sender-phys.pcap'), at('exp-csum-receiver-phys.pcap')]);
    expect(exp.diagnosis.cause).toBe('vxlan-checksum-drop');
    expect(exp.diagnosis.summary).toMatch(/5 of 6 attempts reached exp-csum-receiver-phys\.pcap too but got no answer/);
    expect(exp.diagnosis.lost).toEqual({ where: 'after-both', upstream: 0 });
    expect(lin.diagnosis.lost).toEqual({ where: 'after-both', upstream: 0 });
  });

  const manifest = JSON.parse(readFileSync(`${NS}MANIFEST.json`, 'utf8')) as {
    scenarios: { name: string; clientResult: { afterSec: number; errno?: string } }[];
  };
  const client = (name: string) => manifest.scenarios.find((s) => s.name === name)!.clientResult;

  it('inside the tunnel on the receiving node the dropped SYNs are invisible: never "no problem, high"', async () => {
    const r = await analyzeFiles([at('exp-csum-receiver-vxlan.pcap')]);
    // It holds only the attempt that survived (the client needed 31.6 s).
    expect(client('exp-csum').afterSec).toBeGreaterThan(31);
    expect(r.diagnosis.cause).toBeNull();
    expect(r.diagnosis.confidence).toBe('medium');
    expect(r.diagnosis.caveats.join('\n')).toMatch(/physical interface/);
    // Beside the sender's capture it is located inside the tunnel, downstream, and the drop is
    // placed between the two points.
    const two = await analyzeFiles([at('exp-csum-receiver-vxlan.pcap'), at('exp-csum-sender-phys.pcap')]);
    expect(two.diagnosis.cause).toBe('vxlan-checksum-drop');
    expect(two.captures.map((c) => [c.side, c.tunnel])).toEqual([
      ['server', 'inner'],
      ['client', 'outer'],
    ]);
    expect(two.diagnosis.lost).toEqual({ where: 'between', upstream: 1 });
    for (const f of ['exp-csum-receiver-any.pcap', 'lin-drop-receiver-any.pcap', 'lin-drop-receiver-vxlan.pcap']) {
      const one = await analyzeFiles([at(f)]);
      expect(one.diagnosis.cause, f).toBe(f.startsWith('exp') ? 'vxlan-checksum-drop' : 'syn-dropped');
    }
  });

  it('a SYN ladder that gives up: failed, ETIMEDOUT about when the client saw it', async () => {
    const c = client('giveup');
    expect(c.errno).toBe('ETIMEDOUT');
    for (const f of ['giveup-sender-phys.pcap', 'giveup-receiver-phys.pcap']) {
      const r = await analyzeFiles([at(f)]);
      const [s] = synOf(r);
      expect(s, f).toMatchObject({ attempts: 7, outcome: 'failed', ladder: 'linux-exponential' });
      // Drift-corrected: the nominal 127 s scaled by how late the 7th SYN left (65.1 s for 63).
      expect(Math.abs(s!.gaveUpSec! - c.afterSec) / c.afterSec, f).toBeLessThan(0.02);
      expect(r.diagnosis.cause).toBe('syn-dropped');
      expect(r.diagnosis.summary).toMatch(/ETIMEDOUT/);
    }
  });

  it('random corruption on the wire is called corruption, never the NAT checksum bug', async () => {
    const sender = await analyzeFiles([at('corrupt-sender-phys.pcap')]);
    expect(sender.checksums.udp.bad + sender.checksums.tcp.bad + sender.checksums.ipv4.bad).toBe(0);
    // The sender sees the loss only as retries: a DNS lookup answered after its retry, and
    // retransmitted segments; it says the loss is general rather than blaming conntrack.
    expect(sender.diagnosis.cause).toBe('dns-delayed');
    expect(sender.diagnosis.confidence).toBe('medium');
    expect(sender.diagnosis.summary).toMatch(/7 retransmitted TCP data segments/);
    const receiver = await analyzeFiles([at('corrupt-receiver-phys.pcap')]);
    expect(receiver.diagnosis.confidence).toBe('medium');
    expect(receiver.diagnosis.summary).toMatch(/corruption/);
    expect(receiver.diagnosis.summary).not.toMatch(/consistent with the known VXLAN checksum bug/);
    expect(receiver.diagnosis.remedies.join('\n')).not.toMatch(/ethtool -K|Upgrade the kernel/);
    const tb = receiver.findings.find((x) => x.kind === 'tunnel-checksum-bad');
    expect(tb && tb.kind === 'tunnel-checksum-bad' && tb.pattern.kind).toBe('random');
    // In either order, the same story.
    const ab = await analyzeFiles([at('corrupt-sender-phys.pcap'), at('corrupt-receiver-phys.pcap')]);
    const ba = await analyzeFiles([at('corrupt-receiver-phys.pcap'), at('corrupt-sender-phys.pcap')]);
    expect(ab.diagnosis.cause).toBe(ba.diagnosis.cause);
    expect(ab.diagnosis.summary).not.toMatch(/consistent with the known VXLAN checksum bug/);
  });
});

describe('details of the evidence', () => {
  it('names the VXLAN device that matches the tunnel port (Calico uses 4789)', async () => {
    const calico = (inner: Uint8Array, outer: ChecksumMode) =>
      ether(
        ipv4(udpDatagram(50000, 4789, vxlan(ether(inner))), { src: '192.168.0.1', dst: '192.168.0.2', proto: 17, l4: outer }),
      );
    const r = await analyzeBytes(cap([0, 1, 3].map((t, i) => ({ ts: T0 + t, data: calico(synPacket(i), 0xffff) }))));
    expect(r.diagnosis.cause).toBe('vxlan-checksum-drop');
    expect(r.diagnosis.remedies[0]).toMatch(/ethtool -K vxlan\.calico tx-checksum-ip-generic off/);
    expect(r.diagnosis.remedies.join(' ')).toMatch(/--dport 4789/);
  });

  it('does not count TCP keep-alives as retransmissions', async () => {
    const seg = (seq: number, len: number, id: number) =>
      ether(
        ipv4(tcpSegment({ sport: 1234, dport: 80, seq, ack: 1, flags: TCP_ACK, payload: new Uint8Array(len) }), {
          src: '10.0.0.1',
          dst: '10.0.0.2',
          proto: 6,
          id,
        }),
      );
    const r = await analyzeBytes(
      cap([
        { ts: T0, data: seg(1000, 100, 1) },
        { ts: T0 + 60, data: seg(1099, 1, 2) }, // keep-alive
        { ts: T0 + 61, data: seg(1000, 100, 3) }, // a real retransmission
      ]),
    );
    const f = r.findings.filter((x) => x.kind === 'tcp-retransmission');
    expect(f).toHaveLength(1);
    expect(f[0]!.frames).toEqual([3]);
  });
});

describe('refused DNS', () => {
  it('a query answered with ICMP port unreachable is refused, not lost (zeek gre-sample, inside GRE)', async () => {
    const r = await analyzeFiles(['real/zeek__gre-sample.pcap']);
    const [d] = dnsOf(r);
    expect(d).toMatchObject({
      name: 'www.gleeble.org',
      frames: [33, 35],
      rejectedBy: { from: '172.28.2.3', icmpType: 3, icmpCode: 3, frames: [34, 36] },
    });
    expect(r.diagnosis).toMatchObject({ cause: 'dns-unanswered', confidence: 'high', evidence: [33, 34, 35, 36] });
    expect(r.diagnosis.summary).toMatch(/refused: 172\.28\.2\.3 answered with ICMP port unreachable/);
    expect(r.diagnosis.remedies[0]).toMatch(/kubectl -n kube-system get endpoints kube-dns/);
  });
});

describe('DNS retry interval', () => {
  it("recognises the resolver's steady 5-second retries", async () => {
    const r = await analyzeFiles(['scenarios/dns-vxlan-bad-outer.pcap']);
    expect(dnsOf(r)[0]).toMatchObject({ retryInterval: 5, expectedOffsets: [0, 5, 10] });
  });
});

describe('two unrelated captures', () => {
  it('draws no two-point conclusion when the captures share no traffic', async () => {
    const r = await analyzeFiles(['real/zeek__socks.pcap', 'scenarios/tke-63s-sender-flannel1.pcap']);
    expect(r.captureOverlap).toBe(0);
    expect(r.diagnosis.cause).toBe('syn-dropped');
    expect(r.diagnosis.summary).not.toMatch(/second capture point/);
    expect(r.diagnosis.caveats.join(' ')).toMatch(/share no SYN or DNS transmission/);
    expect(r.diagnosis.confidence).toBe('medium');
  });
});

describe('IPv6 tunnels', () => {
  it('points at udp6zerocsumrx when attempts in IPv6 tunnels with a zero UDP checksum were lost', async () => {
    const { ipv6 } = await import('../../../test/helpers/build');
    const v6tunnel = (inner: Uint8Array) =>
      ether(
        ipv6(udpDatagram(50000, 8472, vxlan(ether(inner))), { src: 'fd00::1', dst: 'fd00::2', proto: 17, l4: 'zero' }),
        0x86dd,
      );
    const r = await analyzeBytes(cap([0, 1, 3].map((t, i) => ({ ts: T0 + t, data: v6tunnel(synPacket(i)) }))));
    const [s] = synOf(r);
    expect(s!.attemptList.every((a) => a.outerChecksum === 'zero' && a.tunnelIpv6)).toBe(true);
    expect(r.diagnosis.cause).toBe('syn-dropped');
    expect(r.diagnosis.summary).toMatch(/udp6zerocsumrx/);
    // Over IPv4 a zero checksum is fine: no such remark.
    const v4 = await analyzeBytes(cap([0, 1, 3].map((t, i) => ({ ts: T0 + t, data: tunnel(synPacket(i), 'zero') }))));
    expect(v4.diagnosis.summary).not.toMatch(/udp6zerocsumrx/);
  });
});

describe('counts in words', () => {
  it('group thousands, in both languages', async () => {
    expect([0, 999, 1000, 750162, 12600000].map(int)).toEqual(['0', '999', '1,000', '750,162', '12,600,000']);
    // About 1,200 datagrams left for transmit offload (a partial sum can happen to verify): the
    // caveat and the finding say "1,1xx", grouped.
    const packets: WritePacket[] = Array.from({ length: 1200 }, (_, i) => {
      const data = ether(
        ipv4(udpDatagram(30000, 53, dnsQuery(i, 'a.example')), { src: '10.0.0.1', dst: '10.0.0.2', proto: 17, l4: 'partial' }),
      );
      return { ts: 1000 + i * 0.001, data, origLen: data.length, linkType: 1 };
    });
    const bytes = writePcap(packets, 1);
    const en = await analyzeBytes(bytes);
    const n = en.checksums.udp.partial;
    expect(n).toBeGreaterThan(1100);
    expect(en.diagnosis.caveats).toContain(`${int(n)} frames carry partial (transmit-offload) checksums: benign, not a cause.`);
    expect(en.findings.find((f) => f.kind === 'checksum-offload')!.title).toMatch(/^1,\d{3} frames with partial checksums/);
    const zh = await analyzeBytes(bytes, { lang: 'zh' });
    expect(zh.findings.find((f) => f.kind === 'checksum-offload')!.title).toMatch(/^1,\d{3} 帧带有/);
    expect(zh.diagnosis.caveats).toContain(`${int(n)} 帧带有部分（发送卸载）校验和：无害，不是原因。`);
  });
});

describe('vxlan-checksum-drop: which attempt got through', () => {
  it('names the answered attempt only when it is the first one with a good outer checksum', async () => {
    const en = await analyzeFiles(['scenarios/tke-63s-sender-eth0.pcap']);
    expect(en.diagnosis.summary).toMatch(/ Attempt 7 left with [^.]* and got through, after 63\.\d+ s\./);
    const zh = await analyzeFiles(['scenarios/tke-63s-sender-eth0.pcap'], { lang: 'zh' });
    expect(zh.diagnosis.summary).toMatch(/第 7 次尝试发出时[^。]*，因而送达/);
  });

  it('does not say an attempt got through when it was not answered either', async () => {
    const { flood } = await import('../../../test/helpers/flood');
    // Every other SYN leaves with the 0xffff outer checksum, the others with 0; only the last is answered.
    const r = await analyzeBytes(flood(10));
    expect(r.diagnosis.cause).toBe('vxlan-checksum-drop');
    expect(r.diagnosis.confidence).toBe('medium');
    expect(r.diagnosis.summary).not.toMatch(/Attempt 2 [^.]*got through/);
    expect(r.diagnosis.summary).toMatch(
      / Attempt 2 left with [^.]* yet was not answered either; only attempt 10 was, after 9\.\d+ s: the bad checksum does not explain every lost attempt\./,
    );
    // A flood whose attempt list stops at the report's cap (1,000 of 1,200): the answered one is the 1,200th.
    const big = await analyzeBytes(flood(1200));
    expect(big.diagnosis.summary).toMatch(/ Attempt 2 left with [^.]* yet was not answered either; only attempt 1200 was,/);
    const zh = await analyzeBytes(flood(10), { lang: 'zh' });
    expect(zh.diagnosis.summary).not.toMatch(/第 2 次尝试[^。]*因而送达/);
    expect(zh.diagnosis.summary).toMatch(
      /第 2 次尝试发出时[^。]*，却同样没有得到应答；直到第 10 次尝试才送达（耗时 9\.\d+ 秒）：错误的校验和并不能解释每一次丢失。/,
    );
  });

  it('says so when the attempt with a zero outer checksum was not answered either, and nothing was', async () => {
    // SYNs at 0, 1, 3, 7 s: the first two with 0xffff outer checksums, the third with 0, the
    // fourth bad again; no answer. The third is not the one that "got through": nothing did.
    const offs = [0, 1, 3, 7];
    const outer: ChecksumMode[] = [0xffff, 0xffff, 'zero', 0xffff];
    const pkts = offs.map((o, i) => ({ ts: T0 + o, data: tunnel(synPacket(i), outer[i]!) }));
    for (const lang of ['en', 'zh'] as const) {
      const r = await analyzeBytes(cap(pkts), { lang });
      expect(r.diagnosis.cause).toBe('vxlan-checksum-drop');
      expect(r.diagnosis.confidence).toBe('medium');
      expect(r.diagnosis.summary).toMatch(
        lang === 'en'
          ? / Attempt 3 left with [^.]* and was not answered either: the bad checksum does not explain every lost attempt\./
          : /第 3 次尝试发出时[^。]*，同样没有得到应答：错误的校验和并不能解释每一次丢失。/,
      );
      expect(r.diagnosis.summary).not.toMatch(/got through|因而送达/);
    }
  });
});

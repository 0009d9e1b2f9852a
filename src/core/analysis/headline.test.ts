/**
 * The headline is the sentence people read first: one per cause, with the figure that matters
 * (how long, how many, which server), in both languages, and never more sure than the diagnosis.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeFiles, REPO } from '../../../test/helpers/corpus';
import { headline } from './headline';

const NETNS = `${REPO}/test/captures/netns/`;
const FAULTS = `${NETNS}faults/`;

describe('headline', () => {
  const cases: [string, string, RegExp, RegExp][] = [
    [
      'scenarios/tke-63s-sender-eth0.pcap',
      'vxlan-checksum-drop',
      /^SYNs to 172\.29\.2\.3:9153 are dropped by the receiving kernel for a bad VXLAN \(outer UDP\) checksum: connected only after 63\.1 s\.$/,
      /^发往 172\.29\.2\.3:9153 的 SYN 因 VXLAN（外层 UDP）校验和错误被接收端内核丢弃：63\.1 秒后才连上。$/,
    ],
    [
      'scenarios/tke-63s-sender-flannel1.pcap',
      'syn-dropped',
      /^6 SYNs to 172\.29\.2\.3:9153 went unanswered; the connection succeeded only after 63\.1 s\.$/,
      /^发往 172\.29\.2\.3:9153 的 6 个 SYN 没有应答，63\.1 秒后连接才成功。$/,
    ],
    [
      `${NETNS}giveup-sender-phys.pcap`,
      'syn-dropped',
      /^Connections to 10\.99\.0\.2:9153 fail: 7 SYNs unanswered, and the client gives up after 1[23]\d\.\d s \(ETIMEDOUT\)\.$/,
      /ETIMEDOUT/,
    ],
    [
      `${FAULTS}refused-rst-client-eth0.pcap`,
      'connection-refused',
      /^The connection to 10\.244\.1\.1:8080 is refused \(RST\)\.$/,
      /被拒绝（RST）/,
    ],
    [`${FAULTS}refused-icmp-client-eth0.pcap`, 'connection-refused', /is refused \(ICMP unreachable\)\.$/, /ICMP 不可达/],
    [
      `${FAULTS}synack-lost-server-eth0.pcap`,
      'synack-lost',
      /^10\.244\.1\.1:9153 answers, but its SYN-ACKs are lost on the way back: connected only after 11\.2 s\.$/,
      /SYN-ACK 在返回途中丢失/,
    ],
    [
      `${FAULTS}mtu-blackhole-server-eth0.pcap`,
      'mtu-blackhole',
      /\(1398 bytes\) are lost on the path: an MTU black hole\.$/,
      /MTU 黑洞/,
    ],
    [
      `${FAULTS}mtu-blackhole-client-eth0.pcap`,
      'transfer-stalled',
      /stopped mid-way; it was given up 20\.0 s later\.$/,
      /中途停止/,
    ],
    [
      `${FAULTS}dns-delay-client-eth0.pcap`,
      'dns-delayed',
      /^Looking up svc\.cluster\.local takes 5\.01 s: a query is lost and only the resolver's retry is answered\.$/,
      /需要 5\.01 秒/,
    ],
    [`${FAULTS}healthy-client-eth0.pcap`, '', /^No problem found\.$/, /^未发现问题。$/],
    // One query of 25 hit by random corruption on the wire: singular, and how long it cost.
    [
      `${NETNS}corrupt-receiver-phys.pcap`,
      'vxlan-checksum-drop',
      /^A DNS query for svc\.cluster\.local was dropped by the receiving kernel for a bad VXLAN \(outer UDP\) checksum: answered only after 1\.00 s\.$/,
      /^svc\.cluster\.local 的一个 DNS 查询因 VXLAN（外层 UDP）校验和错误被接收端内核丢弃：1\.00 秒后才得到应答。$/,
    ],
    [
      'scenarios/dns-vxlan-bad-outer.pcap',
      'vxlan-checksum-drop',
      /^DNS queries for www\.google\.com are dropped by the receiving kernel/,
      /www\.google\.com 的 DNS 查询因/,
    ],
    // Inside the tunnel on the receiving node: it cannot see the drops, and the headline says so.
    [
      `${NETNS}exp-csum-receiver-vxlan.pcap`,
      '',
      /^No problem seen from this capture point \(it cannot see every fault\)\.$/,
      /看不到所有故障/,
    ],
  ];
  for (const [file, cause, en, zh] of cases)
    it(`${file.split('/').pop()}: ${cause || 'no cause'}`, async () => {
      const r = await analyzeFiles([file]);
      expect(r.diagnosis.cause ?? '').toBe(cause);
      expect(r.diagnosis.headline).toMatch(en);
      const z = await analyzeFiles([file], { lang: 'zh' });
      expect(z.diagnosis.headline).toMatch(zh);
    });

  it('every fault capture gets one clean sentence in each language', async () => {
    const files = readdirSync(FAULTS).filter((f) => f.endsWith('.pcap'));
    expect(files.length).toBeGreaterThan(30);
    for (const f of files)
      for (const lang of ['en', 'zh'] as const) {
        const d = (await analyzeFiles([FAULTS + f], { lang })).diagnosis;
        const h = d.headline ?? '';
        expect(h, f).toMatch(lang === 'en' ? /^[A-Z0-9].*[.]$/s : /。$/);
        expect(h, f).not.toMatch(/undefined|NaN|null|\s{2}|^\s/);
        expect(h.length, f).toBeLessThan(200);
        // "No problem found" only where the confidence is high (a blind spot is said as such).
        if (/No problem found|未发现问题/.test(h)) expect(d.confidence, f).toBe('high');
      }
  });
});

describe('headline of refused connections', () => {
  it('says "connections ... are" for several to the same server, "the connection ... is" for one', async () => {
    const r = await analyzeFiles([`${FAULTS}refused-rst-client-eth0.pcap`]);
    const f = r.findings.find((x) => x.kind === 'connection-refused')!;
    const d = { ...r.diagnosis };
    expect(headline(d, [f], 'en')).toBe('The connection to 10.244.1.1:8080 is refused (RST).');
    expect(headline(d, [f, { ...f, client: '10.244.0.1:60396' }], 'en')).toBe(
      'Connections to 10.244.1.1:8080 are refused (RST).',
    );
  });
});

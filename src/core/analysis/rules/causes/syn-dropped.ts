/**
 * syn-dropped: SYN retries with no checksum evidence for the loss. The summary says what the
 * capture can and cannot tell and which second capture point would settle it.
 */
import type { Diagnosis, Outcome } from '../../../report';
import { fmtS, ladderName, outerName, SEP, type Text } from '../../i18n';
import type { CauseRule } from '../../rule';
import { CAVEATS, names, pick, REMEDIES } from './common';
import { attemptsLost, lostSentence, NOUN } from './where';

declare module '../../../report' {
  interface CauseMap {
    'syn-dropped': true;
  }
}

interface P {
  client: string;
  server: string;
  attempts: number;
  outcome: Outcome;
  delay: number | null;
  ladder: string;
  outer: string;
  gaveUp: number | null;
}

const T: Text<{
  summary(p: P): string;
  v6zero(n: number): string;
  secondCapture(port: string): string;
  listenDrops: string;
}> = {
  en: {
    summary: (p) =>
      `The TCP connection ${p.client} → ${p.server} needed ${p.attempts} SYN attempts (${p.ladder}); ${p.outcome === 'established' ? `it was established after ${fmtS(p.delay ?? 0)} s` : p.outcome === 'reset' ? `it was reset after ${fmtS(p.delay ?? 0)} s` : p.outcome === 'failed' ? `it was never answered${p.gaveUp !== null ? `, and the client gave up: the capture runs on past the time its next SYN was due and none came (connect() fails with ETIMEDOUT about ${Math.round(p.gaveUp)} s after the first SYN)` : ''}` : 'the capture ends before an answer'}. The SYNs left this capture point intact (${p.outer}) and no SYN-ACK came back, so they, or their answers, were lost after it: in the network, or on the receiving host (firewall, conntrack, a checksum drop on a path not seen here).`,
    v6zero: (n) =>
      `${n} lost attempt${n === 1 ? ' was' : 's were'} tunnelled over IPv6 with a zero UDP checksum. A Linux receiver drops such packets unless its VXLAN device accepts them (\`ip link set DEV type vxlan udp6zerocsumrx\`, with udp6zerocsumtx on the sender): check that before anything else.`,
    secondCapture: (port) =>
      `Capture on the receiving node at the same time (\`tcpdump -i any -w receiver.pcap 'tcp port ${port} or udp port 8472 or udp port 4789'\`) and load both files: attempts seen there but unanswered were dropped by that host; attempts missing there were lost in the network.`,
    listenDrops:
      'On the server, `nstat -az TcpExtListenDrops TcpExtListenOverflows` and `ss -ltn` (is anything listening, is the accept queue full?).',
  },
  zh: {
    summary: (p) =>
      `TCP 连接 ${p.client} → ${p.server} 发送了 ${p.attempts} 次 SYN（${p.ladder}）；${p.outcome === 'established' ? `${fmtS(p.delay ?? 0)} 秒后才建立` : p.outcome === 'reset' ? `${fmtS(p.delay ?? 0)} 秒后被重置` : p.outcome === 'failed' ? `始终没有应答${p.gaveUp !== null ? `，客户端已放弃：抓包在下一个 SYN 应发出的时间之后仍在继续，却没有新的 SYN（connect() 在第一个 SYN 之后约 ${Math.round(p.gaveUp)} 秒以 ETIMEDOUT 失败）` : ''}` : '抓包结束前没有应答'}。这些 SYN 离开本抓包点时完好无损（${p.outer}），却没有 SYN-ACK 返回，所以它们（或它们的应答）在此之后丢失：在网络中，或在接收主机上（防火墙、conntrack、本抓包看不到的路径上的校验和丢弃）。`,
    v6zero: (n) =>
      `有 ${n} 次丢失的尝试是通过 IPv6 隧道发送的，且 UDP 校验和为零。除非接收端的 VXLAN 设备允许（\`ip link set DEV type vxlan udp6zerocsumrx\`，发送端配合 udp6zerocsumtx），Linux 接收端会丢弃这类报文：请首先检查这一点。`,
    secondCapture: (port) =>
      `同时在接收节点抓包（\`tcpdump -i any -w receiver.pcap 'tcp port ${port} or udp port 8472 or udp port 4789'\`）并加载两个文件：在那里出现却无应答的尝试是被该主机丢弃的；没有出现的则是在网络中丢失的。`,
    listenDrops:
      '在服务端执行 `nstat -az TcpExtListenDrops TcpExtListenOverflows` 和 `ss -ltn`（是否有进程在监听，accept 队列是否已满？）。',
  },
};

export const SYN_DROPPED: CauseRule = {
  cause: 'syn-dropped',
  wire: 2,
  diagnose(ctx) {
    const { findings, lang, base } = ctx;
    const f = pick(ctx, 'syn-retry', (x) => x.attempts)[0];
    if (!f) return null;
    const L = T[lang];
    const tunnelled = f.attemptList.some((a) => a.outerChecksum !== 'none');
    const outer = [...new Set(f.attemptList.map((a) => outerName(lang, a.outerChecksum)))].join(', ');
    let summary = L.summary({
      client: f.client,
      server: f.server,
      attempts: f.attempts,
      outcome: f.outcome,
      delay: f.delaySec,
      ladder: ladderName(lang, f.ladder),
      outer,
      gaveUp: f.gaveUpSec ?? null,
    });
    // Unanswered attempts in IPv6 tunnels with a zero UDP checksum: a receiver without
    // udp6zerocsumrx drops them, which explains the loss better than "the network".
    const lostAttempts = f.outcome === 'established' ? f.attemptList.slice(0, -1) : f.attemptList;
    const v6zero = lostAttempts.filter((a) => a.tunnelIpv6 && a.outerChecksum === 'zero').length;
    if (v6zero) summary += `${SEP[lang]}${L.v6zero(v6zero)}`;
    const caveats = [...base.caveats];
    let confidence: Diagnosis['confidence'] = 'medium';
    const lost = attemptsLost(f.attemptList, f.outcome === 'established', f.capture, ctx.points);
    if (lost) {
      const n = lost.where === 'between' ? lostAttempts.filter((a) => !a.delivered).length : lostAttempts.length;
      summary += `${SEP[lang]}${lostSentence(lang, { lost, names: names(ctx), sameHost: ctx.points.sameHost, sides: ctx.points.sides, n, total: f.attempts, what: NOUN[lang].attempts })}`;
      confidence = ctx.points.sameHost ? 'medium' : 'high';
    } else caveats.push(CAVEATS[lang].singlePoint);
    if (!tunnelled) caveats.push(CAVEATS[lang].noTunnel);
    const port = f.server.replace(/^.*:/, '');
    return {
      ...base,
      cause: 'syn-dropped',
      confidence,
      summary,
      evidence: f.answerFrame !== null ? [...f.frames, f.answerFrame] : f.frames.slice(),
      evidenceCapture: f.capture,
      primaryFinding: findings.indexOf(f),
      caveats,
      ...(lost ? { lost } : {}),
      confirm: [...(lost && !ctx.points.sameHost ? [] : [L.secondCapture(port)]), L.listenDrops],
      remedies: [REMEDIES[lang].firewall],
    };
  },
};

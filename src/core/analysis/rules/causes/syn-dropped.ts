/**
 * syn-dropped: SYN retries with no checksum evidence for the loss. The summary says what the
 * capture can and cannot tell and which second capture point would settle it.
 */
import type { FindingOf, Outcome } from '../../../report';
import { fmtS, ladderName, outerName, type Text } from '../../i18n';
import type { CauseRule } from '../../rule';
import { CAVEATS, REMEDIES, TWO_POINT } from './common';

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
}

const T: Text<{
  summary(p: P): string;
  synAckLost(n: number): string;
  v6zero(n: number): string;
  secondCapture(port: string): string;
}> = {
  en: {
    summary: (p) =>
      `The TCP connection ${p.client} → ${p.server} needed ${p.attempts} SYN attempts (${p.ladder}); ${p.outcome === 'established' ? `it was established after ${fmtS(p.delay ?? 0)} s` : p.outcome === 'reset' ? `it was reset after ${fmtS(p.delay ?? 0)} s` : p.outcome === 'failed' ? 'it was never answered' : 'the capture ends before an answer'}. The SYNs left this capture point intact (${p.outer}), so the loss happened after it: in the network, or on the receiving host (firewall, conntrack, checksum drop on a path not seen here).`,
    synAckLost: (n) =>
      `The server did answer earlier (${n} SYN-ACK${n === 1 ? '' : 's'} before the last SYN), yet the client sent its SYN again: those answers were lost on the way back to the client.`,
    v6zero: (n) =>
      `${n} lost attempt${n === 1 ? ' was' : 's were'} tunnelled over IPv6 with a zero UDP checksum. A Linux receiver drops such packets unless its VXLAN device accepts them (\`ip link set DEV type vxlan udp6zerocsumrx\`, with udp6zerocsumtx on the sender): check that before anything else.`,
    secondCapture: (port) =>
      `Capture on the receiving node at the same time (\`tcpdump -i any -w receiver.pcap 'tcp port ${port} or udp port 8472 or udp port 4789'\`) and load both files: attempts seen there but unanswered were dropped by that host; attempts missing there were lost in the network.`,
  },
  zh: {
    summary: (p) =>
      `TCP 连接 ${p.client} → ${p.server} 发送了 ${p.attempts} 次 SYN（${p.ladder}）；${p.outcome === 'established' ? `${fmtS(p.delay ?? 0)} 秒后才建立` : p.outcome === 'reset' ? `${fmtS(p.delay ?? 0)} 秒后被重置` : p.outcome === 'failed' ? '始终没有应答' : '抓包结束前没有应答'}。这些 SYN 离开本抓包点时完好无损（${p.outer}），所以丢失发生在此之后：在网络中，或在接收主机上（防火墙、conntrack、本抓包看不到的路径上的校验和丢弃）。`,
    synAckLost: (n) =>
      `服务器其实更早就应答过（最后一次 SYN 之前有 ${n} 个 SYN-ACK），客户端却仍重发了 SYN：这些应答在返回客户端的路上丢失了。`,
    v6zero: (n) =>
      `有 ${n} 次丢失的尝试是通过 IPv6 隧道发送的，且 UDP 校验和为零。除非接收端的 VXLAN 设备允许（\`ip link set DEV type vxlan udp6zerocsumrx\`，发送端配合 udp6zerocsumtx），Linux 接收端会丢弃这类报文：请首先检查这一点。`,
    secondCapture: (port) =>
      `同时在接收节点抓包（\`tcpdump -i any -w receiver.pcap 'tcp port ${port} or udp port 8472 or udp port 4789'\`）并加载两个文件：在那里出现却无应答的尝试是被该主机丢弃的；没有出现的则是在网络中丢失的。`,
  },
};

export const SYN_DROPPED: CauseRule = {
  cause: 'syn-dropped',
  wire: 2,
  diagnose({ findings, lang, base }) {
    const f = findings.find((x): x is FindingOf<'syn-retry'> => x.kind === 'syn-retry');
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
    });
    if (f.answersBeforeLastAttempt > 0) summary += ` ${L.synAckLost(f.answersBeforeLastAttempt)}`;
    // Unanswered attempts in IPv6 tunnels with a zero UDP checksum: a receiver without
    // udp6zerocsumrx drops them, which explains the loss better than "the network".
    const lost = f.outcome === 'established' ? f.attemptList.slice(0, -1) : f.attemptList;
    const v6zero = lost.filter((a) => a.tunnelIpv6 && a.outerChecksum === 'zero').length;
    if (v6zero) summary += ` ${L.v6zero(v6zero)}`;
    const caveats = [...base.caveats];
    let confidence: 'high' | 'medium' | 'low' = base.confidence === 'high' ? 'medium' : base.confidence;
    if (f.delivered !== undefined) {
      const missing = f.attempts - f.delivered;
      if (f.delivered === 0 || missing > 0) summary += ` ${TWO_POINT[lang].lostInNetwork(missing, f.attempts)}`;
      else {
        const unanswered = f.outcome === 'established' ? f.attempts - 1 : f.attempts;
        summary += ` ${unanswered > 0 ? TWO_POINT[lang].lostAtReceiver(unanswered, f.attempts) : TWO_POINT[lang].checkPlacement}`;
      }
      confidence = 'high';
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
      remedies: f.delivered === undefined ? [L.secondCapture(port), REMEDIES[lang].firewall] : [REMEDIES[lang].firewall],
    };
  },
};

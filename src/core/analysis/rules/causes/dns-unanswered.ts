/**
 * dns-unanswered: DNS queries that go unanswered with no checksum evidence, or that were refused
 * with an ICMP error (then high confidence: the packets arrived, nothing listens or a firewall
 * rejects them).
 */
import { icmpName, type Text } from '../../i18n';
import type { CauseRule } from '../../rule';
import { CAVEATS, pick } from './common';

declare module '../../../report' {
  interface CauseMap {
    'dns-unanswered': true;
  }
}

const T: Text<{
  refused(name: string, server: string, n: number, from: string, what: string, frames: number[]): string;
  refusedRemedy(server: string): string;
  summary(name: string, server: string, n: number): string;
  server(server: string): string;
  capture: string;
}> = {
  en: {
    refused: (name, server, n, from, what, frames) =>
      `${n} DNS ${n === 1 ? 'query' : 'queries'} for ${name} to ${server} were refused: ${from} answered with ICMP ${what} (frame${frames.length === 1 ? '' : 's'} ${frames.slice(0, 8).join(', ')}). The packets arrived, but nothing listens on the DNS port there, or a firewall rejects the queries.`,
    refusedRemedy: (server) =>
      `Check that a DNS server listens on ${server} (for a cluster DNS Service, \`kubectl -n kube-system get endpoints kube-dns\` must list ready CoreDNS pods) and that no firewall rule rejects UDP 53.`,
    summary: (name, server, n) =>
      `${n} DNS ${n === 1 ? 'query' : 'queries'} for ${name} to ${server} got no response, and the captured packets carry no checksum error that would explain it. The query or its answer is lost between this capture point and the server, or the server does not answer.`,
    server: (server) =>
      `Check that ${server} is reachable and serving (e.g. \`dig @${server.replace(/:\d+$/, '').replace(/^\[|\]$/g, '')} example.com\`).`,
    capture: "Capture on the DNS server side too (the CoreDNS pod's node) and load both files to see whether queries arrive.",
  },
  zh: {
    refused: (name, server, n, from, what, frames) =>
      `发往 ${server} 的 ${name} DNS 查询有 ${n} 次被拒绝：${from} 以 ICMP ${what} 作答（帧 ${frames.slice(0, 8).join('、')}）。报文已经送达，但那里没有进程监听 DNS 端口，或防火墙拒绝了查询。`,
    refusedRemedy: (server) =>
      `检查 ${server} 上是否有 DNS 服务在监听（若是集群 DNS Service，\`kubectl -n kube-system get endpoints kube-dns\` 应列出就绪的 CoreDNS Pod），并确认没有防火墙规则拒绝 UDP 53。`,
    summary: (name, server, n) =>
      `发往 ${server} 的 ${name} DNS 查询有 ${n} 次没有应答，且抓到的报文中没有可以解释这一点的校验和错误。查询或应答在本抓包点与服务器之间丢失，或者服务器没有应答。`,
    server: (server) =>
      `检查 ${server} 是否可达并正常服务（例如 \`dig @${server.replace(/:\d+$/, '').replace(/^\[|\]$/g, '')} example.com\`）。`,
    capture: '同时在 DNS 服务器一侧（CoreDNS Pod 所在节点）抓包并加载两个文件，查看查询是否到达。',
  },
};

export const DNS_UNANSWERED_CAUSE: CauseRule = {
  cause: 'dns-unanswered',
  wire: 3,
  diagnose(ctx) {
    const { findings, lang, base } = ctx;
    const f = pick(ctx, 'dns-unanswered', (x) => (x.rejectedBy ? 1000 : 0) + x.queries)[0];
    if (!f) return null;
    const L = T[lang];
    const common = { ...base, cause: 'dns-unanswered' as const, evidenceCapture: f.capture, primaryFinding: findings.indexOf(f) };
    if (f.rejectedBy) {
      const r = f.rejectedBy;
      return {
        ...common,
        confidence: 'high',
        summary: L.refused(
          f.name,
          f.server,
          f.queries,
          r.from,
          icmpName(lang, r.icmpType, r.icmpCode, r.from.includes(':')),
          r.frames,
        ),
        evidence: [...f.frames, ...r.frames].sort((a, b) => a - b),
        confirm: [],
        remedies: [L.refusedRemedy(f.server)],
      };
    }
    return {
      ...common,
      confidence: f.queries >= 2 ? 'medium' : 'low',
      summary: L.summary(f.name, f.server, f.queries),
      evidence: f.frames.slice(),
      caveats: f.delivered === undefined ? [...base.caveats, CAVEATS[lang].singlePoint] : base.caveats,
      confirm: [L.server(f.server), L.capture],
      remedies: [],
    };
  },
};

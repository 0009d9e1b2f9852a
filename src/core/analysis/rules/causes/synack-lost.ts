/**
 * synack-lost: the server answered (its SYN-ACKs are in the capture), yet the client sent its SYN
 * again and again: the answers were lost on the way back. Only a capture at the server's end (or
 * two captures) can show it; from the client's end it looks like syn-dropped.
 */
import { fmtS, SEP, type Text } from '../../i18n';
import type { CauseRule } from '../../rule';
import { names, pick } from './common';
import { answersLost, lostSentence, NOUN } from './where';

declare module '../../../report' {
  interface CauseMap {
    'synack-lost': true;
  }
}

const T: Text<{
  summary(c: string, s: string, attempts: number, answers: number, delay: number | null): string;
  route: string;
  rpFilter: string;
  conntrack: string;
  fixRoute: string;
  fixRp: string;
  fixFw: string;
}> = {
  en: {
    summary: (c, s, attempts, answers, delay) =>
      `The server ${s} answered the connection from ${c}: ${answers} SYN-ACK${answers === 1 ? ' was' : 's were'} sent before the client's last SYN, yet the client sent its SYN ${attempts} times${delay !== null ? ` and the connection was established only after ${fmtS(delay)} s` : ''}. The SYNs arrive; the answers are lost on the way back to the client.`,
    route:
      "On the server's node, `ip route get CLIENT_IP` (and `ip route get` for the client node's address): does the answer leave the way the request came in?",
    rpFilter:
      "On the client's node, `sysctl net.ipv4.conf.all.rp_filter net.ipv4.conf.flannel/1.rp_filter` (strict reverse-path filtering drops asymmetric answers) and `nstat -az TcpExtTCPRcvQDrop IpInAddrErrors`.",
    conntrack:
      "On the client's node, `conntrack -S` (invalid, insert_failed) and the firewall's counters for packets to the client.",
    fixRoute:
      'Fix the return path: the overlay route to the client pod network on the server node, or the asymmetric route (answers must come back through the node that sent the request).',
    fixRp:
      'If reverse-path filtering drops the answers, use loose mode on the overlay device: `sysctl -w net.ipv4.conf.all.rp_filter=2`.',
    fixFw: "Let answers in: the client node's firewall must accept ESTABLISHED,RELATED traffic from the server network.",
  },
  zh: {
    summary: (c, s, attempts, answers, delay) =>
      `服务端 ${s} 应答了来自 ${c} 的连接：在客户端最后一次 SYN 之前已发出 ${answers} 个 SYN-ACK，但客户端仍发送了 ${attempts} 次 SYN${delay !== null ? `，连接在 ${fmtS(delay)} 秒后才建立` : ''}。SYN 能够到达；应答在返回客户端的途中丢失。`,
    route:
      '在服务端节点上执行 `ip route get CLIENT_IP`（以及对客户端节点地址执行 `ip route get`）：应答是否沿请求进来的路径返回？',
    rpFilter:
      '在客户端节点上执行 `sysctl net.ipv4.conf.all.rp_filter net.ipv4.conf.flannel/1.rp_filter`（严格的反向路径过滤会丢弃非对称的应答）以及 `nstat -az TcpExtTCPRcvQDrop IpInAddrErrors`。',
    conntrack: '在客户端节点上执行 `conntrack -S`（invalid、insert_failed），并查看防火墙中发往客户端的报文计数。',
    fixRoute: '修复返回路径：服务端节点上通往客户端 Pod 网段的覆盖网络路由，或非对称路由（应答必须经由发出请求的节点返回）。',
    fixRp: '如果是反向路径过滤丢弃了应答，请在覆盖网络设备上使用宽松模式：`sysctl -w net.ipv4.conf.all.rp_filter=2`。',
    fixFw: '放行应答：客户端节点的防火墙必须接受来自服务端网络的 ESTABLISHED,RELATED 流量。',
  },
};

export const SYNACK_LOST: CauseRule = {
  cause: 'synack-lost',
  wire: 5,
  diagnose(ctx) {
    const f = pick(ctx, 'syn-retry', (x) => x.answersBeforeLastAttempt, 'downstream').find((x) => x.answersBeforeLastAttempt > 0);
    if (!f) return null;
    const L = T[ctx.lang];
    const lost = answersLost(f.answers, f.capture, ctx.points);
    let summary = L.summary(f.client, f.server, f.attempts, f.answersBeforeLastAttempt, f.delaySec);
    if (lost) {
      const missing = f.answers.filter((a) => !a.delivered).length;
      summary += `${SEP[ctx.lang]}${lostSentence(ctx.lang, { lost, names: names(ctx), sameHost: ctx.points.sameHost, sides: ctx.points.sides, n: missing, total: f.answers.length, what: NOUN[ctx.lang].synacks })}`;
    }
    return {
      ...ctx.base,
      cause: 'synack-lost',
      confidence: f.answersBeforeLastAttempt >= 2 || lost?.where === 'return-path' ? 'high' : 'medium',
      summary,
      evidence: [...f.frames, ...f.answers.map((a) => a.frame)].sort((a, b) => a - b),
      evidenceCapture: f.capture,
      primaryFinding: ctx.findings.indexOf(f),
      ...(lost ? { lost } : {}),
      confirm: [L.route, L.rpFilter, L.conntrack],
      remedies: [L.fixRoute, L.fixRp, L.fixFw],
    };
  },
};

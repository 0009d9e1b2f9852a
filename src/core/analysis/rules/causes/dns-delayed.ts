/**
 * dns-delayed: DNS answers came only after the resolver asked again (typically after its 5 s
 * timeout). With the parallel-queries-one-lost signature (A and AAAA from one socket, one
 * answered, the other not until the retry) it is the conntrack insertion race of the DNS Service.
 */
import { qtypeName } from '../../../decode/protocols/dns';
import { fmtS, SEP, type Text } from '../../i18n';
import type { CauseRule } from '../../rule';
import { names, pick, retransmitted } from './common';
import { attemptsLost, lostSentence, NOUN } from './where';

declare module '../../../report' {
  interface CauseMap {
    'dns-delayed': true;
  }
}

const T: Text<{
  summary(name: string, t: string, server: string, delay: number, n: number): string;
  race(t: string, other: string): string;
  conntrack: string;
  resolv: string;
  singleRequest: string;
  nodeLocal: string;
  useVc: string;
  kernel: string;
  loss(n: number): string;
  lossCheck: string;
}> = {
  en: {
    summary: (name, t, server, delay, n) =>
      `Looking up ${name} took ${fmtS(delay)} s: the ${t} query to ${server} got no answer until the resolver asked again (${n} transmission${n === 1 ? '' : 's'}), after its timeout.`,
    race: (t, other) =>
      ` The ${other} query left from the same socket at the same moment and was answered at once, while the ${t} query was lost: the signature of the conntrack race of parallel A/AAAA queries through a DNS Service (both create the same conntrack entry, one is dropped and counted as insert_failed).`,
    conntrack: "On the client's node, `conntrack -S`: insert_failed grows with every lost query.",
    resolv:
      'In the client pod, `cat /etc/resolv.conf` (timeout, attempts, options) and which resolver the image uses (glibc or musl).',
    singleRequest:
      'Send the queries one after the other: `options single-request-reopen` in the pod spec (`dnsConfig: { options: [{ name: single-request-reopen }] }`), for glibc.',
    nodeLocal: 'Run NodeLocal DNSCache, so pods query a node-local cache without the Service NAT.',
    useVc: 'Or resolve over TCP (`options use-vc`), which does not race.',
    loss: (n) =>
      ` The same capture shows ${n} retransmitted TCP data segment${n === 1 ? '' : 's'}: packets are being lost on this path in general, not only DNS queries. Find the loss first (the resolver only made it visible).`,
    lossCheck:
      'Check the path for loss: `ip -s link` and `ethtool -S IFACE` on both nodes (errors, drops), `nstat -az UdpInCsumErrors IpInHdrErrors` on the receiving node.',
    kernel:
      'Upgrade the nodes\' kernel: later kernels resolve most conntrack clashes of this kind instead of dropping ("netfilter: nf_conntrack: resolve clash for matching conntracks").',
  },
  zh: {
    summary: (name, t, server, delay, n) =>
      `解析 ${name} 耗时 ${fmtS(delay)} 秒：发往 ${server} 的 ${t} 查询一直没有应答，直到解析器超时后再次查询（共发送 ${n} 次）。`,
    race: (t, other) =>
      `${other} 查询在同一时刻从同一套接字发出并立即得到应答，而 ${t} 查询丢失了：这是并行 A/AAAA 查询经过 DNS Service 时 conntrack 竞争的特征（两者创建同一个 conntrack 条目，其中一个被丢弃并计入 insert_failed）。`,
    conntrack: '在客户端节点上执行 `conntrack -S`：每丢失一次查询，insert_failed 就会增加。',
    resolv:
      '在客户端 Pod 中执行 `cat /etc/resolv.conf`（timeout、attempts、options），并确认镜像使用的解析器（glibc 还是 musl）。',
    singleRequest:
      '让查询依次发送：在 Pod 规格中设置 `options single-request-reopen`（`dnsConfig: { options: [{ name: single-request-reopen }] }`），适用于 glibc。',
    nodeLocal: '部署 NodeLocal DNSCache，让 Pod 查询节点本地缓存而不经过 Service NAT。',
    useVc: '或通过 TCP 解析（`options use-vc`），不会发生竞争。',
    loss: (n) =>
      `同一抓包中有 ${n} 个 TCP 数据段被重传：这条路径上普遍存在丢包，而不只是 DNS 查询。请先找出丢包原因（解析器只是让它显现出来）。`,
    lossCheck:
      '检查路径上的丢包：在两个节点上执行 `ip -s link` 和 `ethtool -S IFACE`（错误、丢弃），在接收节点上执行 `nstat -az UdpInCsumErrors IpInHdrErrors`。',
    kernel:
      '升级节点内核：较新的内核会解决这类 conntrack 冲突而不是丢弃（“netfilter: nf_conntrack: resolve clash for matching conntracks”）。',
  },
};

export const DNS_DELAYED: CauseRule = {
  cause: 'dns-delayed',
  wire: 8,
  diagnose(ctx) {
    const f = pick(ctx, 'dns-retried', (x) => x.delaySec + (x.parallelLost ? 100 : 0))[0];
    if (!f) return null;
    const L = T[ctx.lang];
    const t = qtypeName(f.qtype);
    let summary = L.summary(f.name, t, f.server, f.delaySec, f.attemptList.length);
    const retrans = retransmitted(ctx);
    if (f.parallelLost && f.pair) summary += L.race(t, qtypeName(f.pair.qtype));
    else if (retrans) summary += L.loss(retrans);
    const lost = attemptsLost(f.attemptList, true, f.capture, ctx.points);
    if (lost) {
      const n = f.attemptList.slice(0, -1).filter((a) => (lost.where === 'between' ? !a.delivered : true)).length;
      summary += `${SEP[ctx.lang]}${lostSentence(ctx.lang, { lost, names: names(ctx), sameHost: ctx.points.sameHost, sides: ctx.points.sides, n, total: f.attemptList.length, what: NOUN[ctx.lang].queries })}`;
    }
    return {
      ...ctx.base,
      cause: 'dns-delayed',
      confidence: f.parallelLost ? 'high' : 'medium',
      summary,
      evidence: [...f.frames, ...(f.pair ? [f.pair.queryFrame, f.pair.answerFrame] : [])].sort((a, b) => a - b),
      evidenceCapture: f.capture,
      primaryFinding: ctx.findings.indexOf(f),
      ...(lost ? { lost } : {}),
      confirm: !f.parallelLost && retrans ? [L.lossCheck, L.conntrack] : [L.conntrack, L.resolv],
      remedies: f.parallelLost ? [L.singleRequest, L.nodeLocal, L.useVc, L.kernel] : retrans ? [] : [L.nodeLocal, L.useVc],
    };
  },
};

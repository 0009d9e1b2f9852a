/**
 * dns-delayed: DNS answers came only after the resolver asked again (typically after its 5 s
 * timeout). With the parallel-queries-one-lost signature (A and AAAA from one socket, one
 * answered, the other not until the retry) the conntrack insertion race of the DNS Service is the
 * usual cause; one capture point cannot rule out a server that ignored the query (said in a
 * caveat), and a second one that saw the lost query arrive rules the race out.
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
  reachedServer(t: string, other: string): string;
  oneSide: string;
  serverCheck: string;
  serverFix: string;
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
      ` The ${other} query left from the same socket at the same moment and was answered at once, while the ${t} query was lost: the pattern of the conntrack race of parallel A/AAAA queries through a DNS Service (both create the same conntrack entry, one is dropped and counted as insert_failed), its most common cause.`,
    reachedServer: (t, other) =>
      ` The ${other} query left from the same socket at the same moment and was answered at once. The lost ${t} query was seen at the server's side too, so it left the client's node: this is not the conntrack race there that parallel queries often hit, but a query the server side did not answer.`,
    oneSide:
      "From one capture point it cannot be told whether the lost query was dropped on the client's node (the conntrack race) or reached the DNS server and went unanswered: capture on the DNS server's node too and load both files.",
    serverCheck:
      'On the DNS server: its log for the unanswered query (CoreDNS: `kubectl -n kube-system logs -l k8s-app=kube-dns`, with the `log` plugin), and on its node `conntrack -S` and `nstat -az UdpInCsumErrors`.',
    serverFix:
      'Find why the server side drops or ignores the query (its logs, a firewall or rate limit on its node); meanwhile `options single-request-reopen` in the pod spec sends the two queries one after the other.',
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
      `${other} 查询在同一时刻从同一套接字发出并立即得到应答，而 ${t} 查询丢失了：这符合并行 A/AAAA 查询经过 DNS Service 时 conntrack 竞争的特征（两者创建同一个 conntrack 条目，其中一个被丢弃并计入 insert_failed），这是最常见的原因。`,
    reachedServer: (t, other) =>
      `${other} 查询在同一时刻从同一套接字发出并立即得到应答。丢失的 ${t} 查询在服务端一侧也能看到，说明它已离开客户端节点：这不是并行查询常遇到的客户端节点 conntrack 竞争，而是服务端一侧没有应答该查询。`,
    oneSide:
      '仅凭一个抓包点无法判断丢失的查询是在客户端节点上被丢弃（conntrack 竞争），还是到达了 DNS 服务器却没有得到应答：请同时在 DNS 服务器所在节点抓包，并载入两个文件。',
    serverCheck:
      '在 DNS 服务器上：查看该未应答查询的日志（CoreDNS：`kubectl -n kube-system logs -l k8s-app=kube-dns`，需启用 `log` 插件），并在其节点上执行 `conntrack -S` 和 `nstat -az UdpInCsumErrors`。',
    serverFix:
      '查明服务端一侧为何丢弃或忽略该查询（其日志、所在节点上的防火墙或限速）；在此之前，可在 Pod 规格中设置 `options single-request-reopen`，让两个查询依次发送。',
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
    const lost = attemptsLost(f.attemptList, true, f.capture, ctx.points);
    // Seen at both points and still unanswered: it left the client's node, so not the race there.
    const atServer = f.parallelLost && !!f.pair && lost?.where === 'after-both';
    if (atServer) summary += L.reachedServer(t, qtypeName(f.pair!.qtype));
    else if (f.parallelLost && f.pair) summary += L.race(t, qtypeName(f.pair.qtype));
    else if (retrans) summary += L.loss(retrans);
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
      caveats: f.parallelLost && !lost ? [...ctx.base.caveats, L.oneSide] : ctx.base.caveats,
      confirm: atServer
        ? [L.serverCheck, L.resolv]
        : !f.parallelLost && retrans
          ? [L.lossCheck, L.conntrack]
          : [L.conntrack, L.resolv],
      remedies: atServer
        ? [L.serverFix]
        : f.parallelLost
          ? [L.singleRequest, L.nodeLocal, L.useVc, L.kernel]
          : retrans
            ? []
            : [L.nodeLocal, L.useVc],
    };
  },
};

/**
 * Pieces several causes share: choosing the finding that tells the story (by content, never by
 * file order), caveats and remedies more than one cause gives, and the VXLAN device names.
 */
import type { Finding, FindingMap, FindingOf } from '../../../report';
import { int, type Lang, type Text } from '../../i18n';
import type { DiagnoseCtx } from '../../rule';

/** A finding with a timeline of attempts (SYN or DNS). */
export type Retry = FindingOf<'syn-retry'> | FindingOf<'dns-unanswered'> | FindingOf<'dns-retried'>;

/** TCP data segments retransmitted in the captures (the point with the most), for "loss is general" sentences. */
export function retransmitted(ctx: DiagnoseCtx): number {
  const per = new Map<number, number>();
  for (const f of ctx.findings) if (f.kind === 'tcp-retransmission') per.set(f.capture, (per.get(f.capture) ?? 0) + f.count);
  return Math.max(0, ...per.values());
}

/**
 * Findings of `kind`, best first: highest `score`, then the capture on the preferred side of the
 * two points (the upstream one tells how attempts left; the downstream one what arrived), then by
 * file name. The same two files give the same choice in either order.
 */
export function pick<K extends keyof FindingMap>(
  ctx: DiagnoseCtx,
  kind: K,
  score: (f: FindingOf<K>) => number = (f) => f.frames.length,
  prefer: 'upstream' | 'downstream' = 'upstream',
): FindingOf<K>[] {
  const up = ctx.points.upstream;
  const rank = (f: Finding) => (up < 0 ? 0 : (f.capture === up) === (prefer === 'upstream') ? 0 : 1);
  const name = (f: Finding) => ctx.captures[f.capture]?.file ?? '';
  return ctx.findings
    .filter((f): f is FindingOf<K> => f.kind === kind)
    .sort(
      (a, b) =>
        score(b) - score(a) || rank(a) - rank(b) || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : a.capture - b.capture),
    );
}

/** Capture file names for sentences. */
export const names = (ctx: DiagnoseCtx): string[] => ctx.captures.map((c) => c.file);

/** Caveats several causes add. */
export const CAVEATS: Text<{
  singlePoint: string;
  noTunnel: string;
  noOverlap: string;
  offload(n: number): string;
  undecoded(n: number, linkTypes: string): string;
  unread(file: string, what: string): string;
  serverSide: string;
  unknownSide: string;
  insideTunnel: string;
}> = {
  en: {
    singlePoint:
      'One capture point cannot tell whether a packet that left it arrived. Capture on the receiving node too (its physical interface) and load both files.',
    noTunnel:
      'These packets are not tunnelled in this capture, so the outer checksum that a receiving kernel checks is not visible here. Capture on the physical interface (or with -i any) to see the VXLAN packets.',
    noOverlap:
      'The two captures share no SYN or DNS transmission at all, so they do not cover the same traffic or the same time: no conclusion is drawn from comparing them. Capture both points during the same attempt.',
    offload: (n) =>
      `${int(n)} ${n === 1 ? 'frame carries a partial (transmit-offload) checksum' : 'frames carry partial (transmit-offload) checksums'}: benign, not a cause.`,
    undecoded: (n, lts) =>
      `${int(n)} ${n === 1 ? 'packet is' : 'packets are'} of a link type pcap-doctor does not decode (${lts}): counted, not analysed, so a problem in ${n === 1 ? 'it' : 'them'} would not show here.`,
    unread: (file, what) => `${file} could not be read to the end (${what}): whatever came after is not seen here.`,
    serverSide:
      "This capture was taken at the server's end: it only shows what arrived. Attempts lost on the way, and answers lost on the way back, would show as retries at the client: capture on the client's node too.",
    unknownSide:
      "It is not clear from this capture alone which end it was taken at (nothing in it crossed a router). A capture on the client's node shows every failure as a retry; on the server's node, losses before it are invisible.",
    insideTunnel:
      "No tunnel headers in this capture: if it was taken inside an overlay (flannel.1, vxlan.calico) on the receiving node, packets dropped before decapsulation (a bad outer checksum) never reach it. Capture the node's physical interface to see them.",
  },
  zh: {
    singlePoint: '单个抓包点无法判断离开它的报文是否到达。请同时在接收节点（其物理网卡）抓包，并加载两个文件。',
    noTunnel:
      '本抓包中这些报文没有隧道封装，因此看不到接收端内核校验的外层校验和。请在物理网卡上（或使用 -i any）抓包以看到 VXLAN 报文。',
    noOverlap:
      '两个抓包文件没有任何相同的 SYN 或 DNS 报文，说明它们不是同一流量或同一时段的抓包：因此不据此比较得出结论。请在同一次尝试期间同时在两个抓包点抓包。',
    offload: (n) => `${int(n)} 帧带有部分（发送卸载）校验和：无害，不是原因。`,
    undecoded: (n, lts) => `有 ${int(n)} 个报文的链路类型无法解码（${lts}）：只计数、不分析，其中若有问题，这里也看不到。`,
    unread: (file, what) => `${file} 未能读到末尾（${what}）：其后的内容在这里看不到。`,
    serverSide:
      '本抓包取自服务端一侧：它只显示到达的报文。途中丢失的尝试、以及返回途中丢失的应答，会在客户端表现为重传：请同时在客户端节点抓包。',
    unknownSide:
      '仅凭本抓包无法判断它取自哪一端（其中没有经过路由器的报文）。在客户端节点上抓包时，任何故障都会表现为重传；在服务端节点上，之前的丢包是看不到的。',
    insideTunnel:
      '本抓包中没有隧道首部：如果它取自接收节点上的覆盖网络接口（flannel.1、vxlan.calico），在解封装之前被丢弃的报文（外层校验和错误）根本不会出现在这里。请在该节点的物理网卡上抓包。',
  },
};

/** Remedies and checks more than one cause gives. */
export const REMEDIES: Text<{
  firewall: string;
  ethtool(dev: string): string;
  kernel: string;
  csumCounter: string;
  uname: string;
  kubeProxyVersion: string;
}> = {
  en: {
    firewall:
      'On the receiving host, check firewall rules, conntrack (`conntrack -S`: insert_failed, drop) and `netstat -s` for dropped SYNs and UDP checksum errors (InCsumErrors).',
    ethtool: (dev) =>
      `Workaround now: turn off transmit checksum offload on the VXLAN device: \`ethtool -K ${dev} tx-checksum-ip-generic off\``,
    kernel:
      'Upgrade the kernel: fixed in 5.7 and stable 5.6.13, 5.4.41, 4.19.123, 4.14.181 ("netfilter: nat: never update the UDP checksum when it\'s 0").',
    csumCounter:
      'On the receiving node, watch `nstat -az UdpInCsumErrors` (or `netstat -su`): it grows by one for every tunnel packet dropped for its checksum.',
    uname: 'Run `uname -r` on both nodes: the kernel fix is in 5.7 and stable 5.6.13, 5.4.41, 4.19.123, 4.14.181 and later.',
    kubeProxyVersion:
      "Check the kube-proxy version (`kubectl -n kube-system get ds kube-proxy -o jsonpath='{..image}'`): fixed in v1.16.13, v1.17.9, v1.18.6 and later.",
  },
  zh: {
    firewall:
      '在接收主机上检查防火墙规则、conntrack（`conntrack -S`：insert_failed、drop）以及 `netstat -s` 中被丢弃的 SYN 和 UDP 校验和错误（InCsumErrors）。',
    ethtool: (dev) => `立即缓解：关闭 VXLAN 设备的发送校验和卸载：\`ethtool -K ${dev} tx-checksum-ip-generic off\``,
    kernel:
      "升级内核：5.7 及稳定版 5.6.13、5.4.41、4.19.123、4.14.181 已修复（“netfilter: nat: never update the UDP checksum when it's 0”）。",
    csumCounter:
      '在接收节点上观察 `nstat -az UdpInCsumErrors`（或 `netstat -su`）：每丢弃一个校验和错误的隧道报文，该计数就加一。',
    uname: '在两个节点上运行 `uname -r`：内核修复包含在 5.7 及稳定版 5.6.13、5.4.41、4.19.123、4.14.181 及以后版本中。',
    kubeProxyVersion:
      "检查 kube-proxy 版本（`kubectl -n kube-system get ds kube-proxy -o jsonpath='{..image}'`）：v1.16.13、v1.17.9、v1.18.6 及以后版本已修复。",
  },
};

/** The usual VXLAN device for a tunnel port: flannel uses 8472, Calico's vxlan.calico IANA 4789. */
export function vxlanDevice(port: number | null): string {
  return port === 4789 ? 'vxlan.calico' : 'flannel.1';
}

/** Caveats for a single capture whose position limits what it can see. */
export function positionCaveats(ctx: DiagnoseCtx, cap: number): string[] {
  if (ctx.captures.length > 1 && ctx.points.upstream >= 0) return [];
  const side = ctx.points.sides[cap];
  const out: string[] = [];
  if (side === 'server') out.push(CAVEATS[ctx.lang].serverSide);
  else if (side !== 'client') out.push(CAVEATS[ctx.lang].unknownSide);
  if (side !== 'client' && ctx.points.tunnels[cap] === 'none') out.push(CAVEATS[ctx.lang].insideTunnel);
  return out;
}

export type { Lang };

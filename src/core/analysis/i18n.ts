/**
 * Diagnosis and finding text in English and Simplified Chinese. Kept in the core so the CLI
 * (`--lang zh`) and the web app say exactly the same thing.
 */
import type { Outcome } from '../report';

export type Lang = 'en' | 'zh';

/** Labels of checksum verdicts and outer-checksum states, shared by the app and the CLI text. */
export const STATE_LABELS: Record<Lang, Record<string, string>> = {
  en: {
    bad: 'bad',
    zero: 'zero (no checksum)',
    good: 'good',
    partial: 'partial (offload)',
    unverified: 'unverified',
    none: 'not tunnelled',
  },
  zh: { bad: '错误', zero: '零（未计算）', good: '正确', partial: '部分（卸载）', unverified: '无法验证', none: '无隧道' },
};

const fmtS = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)}`;
const hex = (v: number | null) => (v === null ? '?' : `0x${v.toString(16).padStart(4, '0')}`);

/** Every user-facing sentence the core produces. */
export interface Messages {
  tunnelBadTitle(n: number): string;
  checksumBadTitle(layer: string, depth: number, n: number): string;
  synAckRetryTitle(server: string, client: string, n: number): string;
  retransTitle(client: string, server: string, n: number): string;
  offloadTitle(n: number): string;
  synRetryTitle(client: string, server: string, n: number, outcome: Outcome, delay: number | null): string;
  dnsTitle(name: string, server: string, n: number, answered: number, rejected: string | null): string;
  icmpName(type: number, code: number): string;
  dnsRejectedSummary(name: string, server: string, n: number, from: string, what: string, frames: number[]): string;
  remedyDnsRejected(server: string): string;
  outcome(o: Outcome): string;
  // Diagnosis
  noProblem(packets: number, offload: number): string;
  emptyCapture: string;
  noFailureButBad(tunnelBad: number, otherBad: number): string;
  vxlanSummary(p: {
    what: string;
    badAttempts: number;
    attempts: number;
    port: number | null;
    stored: number | null;
    computed: number | null;
    okAttempt: number | null;
    okState: string | null;
    delay: number | null;
  }): string;
  synConnWhat(client: string, server: string): string;
  dnsWhat(name: string, server: string): string;
  synDroppedSummary(p: {
    client: string;
    server: string;
    attempts: number;
    outcome: Outcome;
    delay: number | null;
    ladder: string;
    outer: string;
  }): string;
  synAckLost(n: number): string;
  dnsSummary(name: string, server: string, n: number): string;
  twoPointLostInNetwork(lost: number, total: number): string;
  twoPointLostAtReceiver(delivered: number, total: number): string;
  twoPointCheckPlacement: string;
  noOverlap: string;
  ipv6ZeroChecksum(n: number): string;
  offloadNote(n: number): string;
  caveatSinglePoint: string;
  caveatNoTunnel: string;
  remedyEthtool(dev: string): string;
  remedyPersist(dev: string): string;
  remedyMark(port: number): string;
  remedyKubeProxy: string;
  remedyKernel: string;
  remedyCalico: string;
  remedySecondCapture(port: string): string;
  remedyFirewall: string;
  remedyDnsCapture: string;
  remedyDnsServer(server: string): string;
  ladderName(l: string): string;
  outerName(s: string): string;
}

const en: Messages = {
  tunnelBadTitle: (n) =>
    `${n} tunnelled packet${n === 1 ? '' : 's'} with a bad outer UDP checksum (a receiving Linux kernel drops them)`,
  checksumBadTitle: (layer, depth, n) =>
    `${n} bad ${layer.toUpperCase()} checksum${n === 1 ? '' : 's'}${depth ? ` at tunnel depth ${depth}` : ''}`,
  synAckRetryTitle: (server, client, n) => `SYN-ACK from ${server} to ${client} sent ${n} times`,
  retransTitle: (client, server, n) => `${n} retransmitted data segment${n === 1 ? '' : 's'} from ${client} to ${server}`,
  offloadTitle: (n) =>
    `${n} frame${n === 1 ? '' : 's'} with partial checksums from transmit offload (normal on the sending host, not corruption)`,
  synRetryTitle: (c, s, n, o, delay) =>
    `SYN from ${c} to ${s} sent ${n} times; ${o === 'established' ? `established after ${fmtS(delay ?? 0)} s` : o === 'reset' ? `reset after ${fmtS(delay ?? 0)} s` : o === 'failed' ? 'never answered' : 'no answer before the capture ends'}`,
  dnsTitle: (name, server, n, answered, rejected) =>
    `DNS query for ${name} to ${server} ${rejected ? `refused with ICMP ${rejected}` : 'unanswered'} (${n} transmission${n === 1 ? '' : 's'}${answered ? `; ${answered} other answered` : ''})`,
  icmpName: (type, code) =>
    type === 3
      ? (['network unreachable', 'host unreachable', 'protocol unreachable', 'port unreachable'][code] ??
        (code === 9 || code === 10 || code === 13 ? 'administratively prohibited' : `unreachable (code ${code})`))
      : type === 1
        ? (['no route', 'administratively prohibited', 'beyond scope', 'address unreachable', 'port unreachable'][code] ??
          `unreachable (code ${code})`)
        : `type ${type} code ${code}`,
  dnsRejectedSummary: (name, server, n, from, what, frames) =>
    `${n} DNS ${n === 1 ? 'query' : 'queries'} for ${name} to ${server} were refused: ${from} answered with ICMP ${what} (frame${frames.length === 1 ? '' : 's'} ${frames.slice(0, 8).join(', ')}). The packets arrived, but nothing listens on the DNS port there, or a firewall rejects the queries.`,
  remedyDnsRejected: (server) =>
    `Check that a DNS server listens on ${server} (for a cluster DNS Service, \`kubectl -n kube-system get endpoints kube-dns\` must list ready CoreDNS pods) and that no firewall rule rejects UDP 53.`,
  outcome: (o) => ({ established: 'established', reset: 'reset', failed: 'failed', unknown: 'unknown' })[o],
  noProblem: (packets, offload) =>
    `No problem found: ${packets} packets, no SYN retries, no unanswered DNS queries and no genuinely bad checksums.${offload ? ` ${offload} frames carry transmit-offload (partial) checksums, which is normal for a capture on the sending host.` : ''}`,
  emptyCapture: 'No packets to analyse: the capture is empty.',
  noFailureButBad: (tb, ob) =>
    `No failed or retried connection and no unanswered DNS in this capture.${tb ? ` But ${tb} tunnelled packet${tb === 1 ? '' : 's'} carry a genuinely bad outer UDP checksum: a receiving Linux kernel drops them, so traffic through this tunnel will hang or retry.` : ''}${ob ? ` ${ob} other checksum${ob === 1 ? ' is' : 's are'} genuinely bad (see the findings): corruption, or a capture edited after the fact.` : ''}`,
  vxlanSummary: (p) =>
    `${p.what}: ${p.badAttempts} of ${p.attempts} attempts were sent inside tunnel packets${p.port ? ` (UDP ${p.port})` : ''} whose outer UDP checksum is wrong (stored ${hex(p.stored)}, should be ${hex(p.computed)}). A receiving Linux kernel verifies non-zero UDP checksums and silently drops these packets, so the attempt never arrives.` +
    (p.okAttempt !== null
      ? ` Attempt ${p.okAttempt} left with ${p.okState} and got through${p.delay !== null ? `, after ${fmtS(p.delay)} s` : ''}.`
      : '') +
    ' This is the known VXLAN checksum bug of Kubernetes overlays (flannel/calico): packets marked for masquerade are SNATed a second time and the kernel writes a bad outer checksum while transmit offload is pending.',
  synConnWhat: (c, s) => `The TCP connection ${c} → ${s} had to send its SYN again and again`,
  dnsWhat: (name, server) => `DNS queries for ${name} to ${server} went unanswered`,
  synDroppedSummary: (p) =>
    `The TCP connection ${p.client} → ${p.server} needed ${p.attempts} SYN attempts (${p.ladder}); ${p.outcome === 'established' ? `it was established after ${fmtS(p.delay ?? 0)} s` : p.outcome === 'reset' ? `it was reset after ${fmtS(p.delay ?? 0)} s` : p.outcome === 'failed' ? 'it was never answered' : 'the capture ends before an answer'}. The SYNs left this capture point intact (${p.outer}), so the loss happened after it: in the network, or on the receiving host (firewall, conntrack, checksum drop on a path not seen here).`,
  synAckLost: (n) =>
    `The server did answer earlier (${n} SYN-ACK${n === 1 ? '' : 's'} before the last SYN), yet the client sent its SYN again: those answers were lost on the way back to the client.`,
  dnsSummary: (name, server, n) =>
    `${n} DNS ${n === 1 ? 'query' : 'queries'} for ${name} to ${server} got no response, and the captured packets carry no checksum error that would explain it. The query or its answer is lost between this capture point and the server, or the server does not answer.`,
  twoPointLostInNetwork: (lost, total) =>
    `Comparing both captures: ${lost} of ${total} attempts never reached the second capture point, so they were lost before it (in the network or the sender's host).`,
  twoPointLostAtReceiver: (delivered, total) =>
    `Comparing both captures: ${delivered} of ${total} attempts did reach the second capture point but were not answered, so they were dropped after it, on the receiving host (checksum verification, firewall, conntrack).`,
  ipv6ZeroChecksum: (n) =>
    `${n} lost attempt${n === 1 ? ' was' : 's were'} tunnelled over IPv6 with a zero UDP checksum. A Linux receiver drops such packets unless its VXLAN device accepts them (\`ip link set DEV type vxlan udp6zerocsumrx\`, with udp6zerocsumtx on the sender): check that before anything else.`,
  noOverlap:
    'The two captures share no SYN or DNS transmission at all, so they do not cover the same traffic or the same time: no conclusion is drawn from comparing them. Capture both points during the same attempt.',
  twoPointCheckPlacement:
    'Both capture points saw the same attempts; place them further apart (sender physical interface and receiver physical interface) to locate the loss.',
  offloadNote: (n) => `${n} frames carry partial (transmit-offload) checksums: benign, not a cause.`,
  caveatSinglePoint:
    'One capture point cannot tell whether a packet that left it arrived. Capture on the receiving node too (its physical interface) and load both files.',
  caveatNoTunnel:
    'These packets are not tunnelled in this capture, so the outer checksum that a receiving kernel checks is not visible here. Capture on the physical interface (or with -i any) to see the VXLAN packets.',
  remedyEthtool: (dev) =>
    `Workaround now: turn off transmit checksum offload on the VXLAN device: \`ethtool -K ${dev} tx-checksum-ip-generic off\``,
  remedyPersist: (dev) =>
    `Make it survive reboots and device re-creation (flannel recreates ${dev}): a systemd unit or udev rule that re-runs ethtool, or with systemd >= 245 a .link file with \`TransmitChecksumOffload=false\`.`,
  remedyMark: (port) =>
    `Stop the second SNAT: clear the masquerade mark on VXLAN traffic: \`iptables -A OUTPUT -p udp -m udp --dport ${port} -j MARK --set-mark 0x0\`, or run without --random-fully.`,
  remedyKubeProxy:
    'Upgrade kube-proxy: fixed in Kubernetes v1.16.13, v1.17.9, v1.18.6 and later (kubernetes PR 92035, "unmark packets before masquerading them").',
  remedyKernel:
    'Upgrade the kernel: fixed in 5.7 and stable 5.6.13, 5.4.41, 4.19.123, 4.14.181 ("netfilter: nat: never update the UDP checksum when it\'s 0").',
  remedyCalico: 'Calico in VXLAN mode: set `featureDetectOverride: ChecksumOffloadBroken=true` in the FelixConfiguration.',
  remedySecondCapture: (port) =>
    `Capture on the receiving node at the same time (\`tcpdump -i any -w receiver.pcap 'tcp port ${port} or udp port 8472 or udp port 4789'\`) and load both files: attempts seen there but unanswered were dropped by that host; attempts missing there were lost in the network.`,
  remedyFirewall:
    'On the receiving host, check firewall rules, conntrack (`conntrack -S`: insert_failed, drop) and `netstat -s` for dropped SYNs and UDP checksum errors (InCsumErrors).',
  remedyDnsCapture:
    "Capture on the DNS server side too (the CoreDNS pod's node) and load both files to see whether queries arrive.",
  remedyDnsServer: (server) =>
    `Check that ${server} is reachable and serving (e.g. \`dig @${server.replace(/:\d+$/, '').replace(/^\[|\]$/g, '')} example.com\`).`,
  ladderName: (l) =>
    ({
      'linux-exponential': 'Linux exponential backoff: 1, 3, 7, 15, 31, 63 s',
      'linux-linear': 'Linux >= 6.5 linear-then-exponential backoff',
      other: 'an unrecognised retry ladder',
    })[l] ?? l,
  outerName: (s) =>
    ({
      bad: 'bad outer checksum',
      zero: 'no outer checksum (0)',
      good: 'a valid outer checksum',
      partial: 'an offload (partial) outer checksum',
      unverified: 'an unverifiable outer checksum',
      none: 'no tunnel',
    })[s] ?? s,
};

const zh: Messages = {
  tunnelBadTitle: (n) => `${n} 个隧道报文的外层 UDP 校验和错误（接收端 Linux 内核会丢弃）`,
  checksumBadTitle: (layer, depth, n) => `${n} 个错误的 ${layer.toUpperCase()} 校验和${depth ? `（隧道深度 ${depth}）` : ''}`,
  synAckRetryTitle: (server, client, n) => `${server} 发往 ${client} 的 SYN-ACK 发送了 ${n} 次`,
  retransTitle: (client, server, n) => `${client} 发往 ${server} 的数据段重传 ${n} 次`,
  offloadTitle: (n) => `${n} 帧带有发送卸载留下的部分校验和（发送端抓包的正常现象，并非损坏）`,
  synRetryTitle: (c, s, n, o, delay) =>
    `${c} 发往 ${s} 的 SYN 发送了 ${n} 次；${o === 'established' ? `${fmtS(delay ?? 0)} 秒后建立连接` : o === 'reset' ? `${fmtS(delay ?? 0)} 秒后被重置` : o === 'failed' ? '始终无应答' : '抓包结束前无应答'}`,
  dnsTitle: (name, server, n, answered, rejected) =>
    `发往 ${server} 的 ${name} DNS 查询${rejected ? `被 ICMP ${rejected} 拒绝` : '无应答'}（发送 ${n} 次${answered ? `；另有 ${answered} 次得到应答` : ''}）`,
  icmpName: (type, code) =>
    type === 3
      ? (['网络不可达', '主机不可达', '协议不可达', '端口不可达'][code] ??
        (code === 9 || code === 10 || code === 13 ? '管理性禁止' : `不可达（代码 ${code}）`))
      : type === 1
        ? (['无路由', '管理性禁止', '超出范围', '地址不可达', '端口不可达'][code] ?? `不可达（代码 ${code}）`)
        : `类型 ${type} 代码 ${code}`,
  dnsRejectedSummary: (name, server, n, from, what, frames) =>
    `发往 ${server} 的 ${name} DNS 查询有 ${n} 次被拒绝：${from} 以 ICMP ${what} 作答（帧 ${frames.slice(0, 8).join('、')}）。报文已经送达，但那里没有进程监听 DNS 端口，或防火墙拒绝了查询。`,
  remedyDnsRejected: (server) =>
    `检查 ${server} 上是否有 DNS 服务在监听（若是集群 DNS Service，\`kubectl -n kube-system get endpoints kube-dns\` 应列出就绪的 CoreDNS Pod），并确认没有防火墙规则拒绝 UDP 53。`,
  outcome: (o) => ({ established: '已建立', reset: '被重置', failed: '失败', unknown: '未知' })[o],
  noProblem: (packets, offload) =>
    `未发现问题：共 ${packets} 个报文，没有 SYN 重传、没有无应答的 DNS 查询，也没有真正错误的校验和。${offload ? `有 ${offload} 帧带有发送卸载（部分）校验和，这在发送端抓包中属于正常现象。` : ''}`,
  emptyCapture: '没有可分析的报文：抓包文件为空。',
  noFailureButBad: (tb, ob) =>
    `本抓包中没有失败或重传的连接，也没有无应答的 DNS 查询。${tb ? `但有 ${tb} 个隧道报文的外层 UDP 校验和确实错误：接收端 Linux 内核会丢弃它们，经过该隧道的流量会卡住或重传。` : ''}${ob ? `另有 ${ob} 个校验和确实错误（见发现列表）：报文损坏，或抓包文件被事后修改。` : ''}`,
  vxlanSummary: (p) =>
    `${p.what}：${p.attempts} 次尝试中有 ${p.badAttempts} 次封装在外层 UDP 校验和错误的隧道报文中${p.port ? `（UDP ${p.port}）` : ''}（存储值 ${hex(p.stored)}，正确值应为 ${hex(p.computed)}）。接收端 Linux 内核会校验非零的 UDP 校验和，并静默丢弃这类报文，因此这些尝试根本没有到达。` +
    (p.okAttempt !== null
      ? `第 ${p.okAttempt} 次尝试的外层为${p.okState}，因而送达${p.delay !== null ? `（耗时 ${fmtS(p.delay)} 秒）` : ''}。`
      : '') +
    '这是 Kubernetes 覆盖网络（flannel/calico）中已知的 VXLAN 校验和缺陷：被标记为需要伪装的报文被第二次 SNAT，内核在发送卸载尚未完成时写入了错误的外层校验和。',
  synConnWhat: (c, s) => `TCP 连接 ${c} → ${s} 不得不一再重发 SYN`,
  dnsWhat: (name, server) => `发往 ${server} 的 ${name} DNS 查询没有应答`,
  synDroppedSummary: (p) =>
    `TCP 连接 ${p.client} → ${p.server} 发送了 ${p.attempts} 次 SYN（${p.ladder}）；${p.outcome === 'established' ? `${fmtS(p.delay ?? 0)} 秒后才建立` : p.outcome === 'reset' ? `${fmtS(p.delay ?? 0)} 秒后被重置` : p.outcome === 'failed' ? '始终没有应答' : '抓包结束前没有应答'}。这些 SYN 离开本抓包点时完好无损（${p.outer}），所以丢失发生在此之后：在网络中，或在接收主机上（防火墙、conntrack、本抓包看不到的路径上的校验和丢弃）。`,
  synAckLost: (n) =>
    `服务器其实更早就应答过（最后一次 SYN 之前有 ${n} 个 SYN-ACK），客户端却仍重发了 SYN：这些应答在返回客户端的路上丢失了。`,
  dnsSummary: (name, server, n) =>
    `发往 ${server} 的 ${name} DNS 查询有 ${n} 次没有应答，且抓到的报文中没有可以解释这一点的校验和错误。查询或应答在本抓包点与服务器之间丢失，或者服务器没有应答。`,
  twoPointLostInNetwork: (lost, total) =>
    `对比两个抓包：${total} 次尝试中有 ${lost} 次从未到达第二个抓包点，说明它们在此之前（网络中或发送主机上）丢失。`,
  twoPointLostAtReceiver: (delivered, total) =>
    `对比两个抓包：${total} 次尝试中有 ${delivered} 次到达了第二个抓包点却没有应答，说明它们在此之后、在接收主机上被丢弃（校验和验证、防火墙、conntrack）。`,
  ipv6ZeroChecksum: (n) =>
    `有 ${n} 次丢失的尝试是通过 IPv6 隧道发送的，且 UDP 校验和为零。除非接收端的 VXLAN 设备允许（\`ip link set DEV type vxlan udp6zerocsumrx\`，发送端配合 udp6zerocsumtx），Linux 接收端会丢弃这类报文：请首先检查这一点。`,
  noOverlap:
    '两个抓包文件没有任何相同的 SYN 或 DNS 报文，说明它们不是同一流量或同一时段的抓包：因此不据此比较得出结论。请在同一次尝试期间同时在两个抓包点抓包。',
  twoPointCheckPlacement: '两个抓包点看到的尝试相同；请把抓包点拉开（发送端物理网卡与接收端物理网卡）以定位丢包位置。',
  offloadNote: (n) => `${n} 帧带有部分（发送卸载）校验和：无害，不是原因。`,
  caveatSinglePoint: '单个抓包点无法判断离开它的报文是否到达。请同时在接收节点（其物理网卡）抓包，并加载两个文件。',
  caveatNoTunnel:
    '本抓包中这些报文没有隧道封装，因此看不到接收端内核校验的外层校验和。请在物理网卡上（或使用 -i any）抓包以看到 VXLAN 报文。',
  remedyEthtool: (dev) => `立即缓解：关闭 VXLAN 设备的发送校验和卸载：\`ethtool -K ${dev} tx-checksum-ip-generic off\``,
  remedyPersist: (dev) =>
    `让设置在重启和设备重建后依然生效（flannel 会重建 ${dev}）：用 systemd 单元或 udev 规则重新执行 ethtool，或在 systemd >= 245 上使用带 \`TransmitChecksumOffload=false\` 的 .link 文件。`,
  remedyMark: (port) =>
    `阻止第二次 SNAT：清除 VXLAN 流量上的伪装标记：\`iptables -A OUTPUT -p udp -m udp --dport ${port} -j MARK --set-mark 0x0\`，或不使用 --random-fully。`,
  remedyKubeProxy:
    '升级 kube-proxy：Kubernetes v1.16.13、v1.17.9、v1.18.6 及以后版本已修复（kubernetes PR 92035，“unmark packets before masquerading them”）。',
  remedyKernel:
    "升级内核：5.7 及稳定版 5.6.13、5.4.41、4.19.123、4.14.181 已修复（“netfilter: nat: never update the UDP checksum when it's 0”）。",
  remedyCalico: 'Calico VXLAN 模式：在 FelixConfiguration 中设置 `featureDetectOverride: ChecksumOffloadBroken=true`。',
  remedySecondCapture: (port) =>
    `同时在接收节点抓包（\`tcpdump -i any -w receiver.pcap 'tcp port ${port} or udp port 8472 or udp port 4789'\`）并加载两个文件：在那里出现却无应答的尝试是被该主机丢弃的；没有出现的则是在网络中丢失的。`,
  remedyFirewall:
    '在接收主机上检查防火墙规则、conntrack（`conntrack -S`：insert_failed、drop）以及 `netstat -s` 中被丢弃的 SYN 和 UDP 校验和错误（InCsumErrors）。',
  remedyDnsCapture: '同时在 DNS 服务器一侧（CoreDNS Pod 所在节点）抓包并加载两个文件，查看查询是否到达。',
  remedyDnsServer: (server) =>
    `检查 ${server} 是否可达并正常服务（例如 \`dig @${server.replace(/:\d+$/, '').replace(/^\[|\]$/g, '')} example.com\`）。`,
  ladderName: (l) =>
    ({
      'linux-exponential': 'Linux 指数退避：1、3、7、15、31、63 秒',
      'linux-linear': 'Linux >= 6.5 先线性后指数的退避',
      other: '无法识别的重传节奏',
    })[l] ?? l,
  outerName: (s) =>
    ({
      bad: '外层校验和错误',
      zero: '外层无校验和（0）',
      good: '外层校验和正确',
      partial: '外层为卸载（部分）校验和',
      unverified: '外层校验和无法验证',
      none: '无隧道',
    })[s] ?? s,
};

/** Messages for a language. */
export function t(lang: Lang): Messages {
  return lang === 'zh' ? zh : en;
}

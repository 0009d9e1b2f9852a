/**
 * Pieces several causes share: the retry findings they reason about, two-point sentences,
 * caveats and remedies that more than one cause gives.
 */
import type { Attempt, FindingOf } from '../../../report';
import type { Lang, Text } from '../../i18n';

/** A finding with a timeline of attempts (SYN or DNS). */
export type Retry = FindingOf<'syn-retry'> | FindingOf<'dns-unanswered'>;

/** Attempts whose tunnel packet carried a bad outer checksum. */
export const badAttempts = (f: Retry): Attempt[] => f.attemptList.filter((a) => a.outerChecksum === 'bad');

/** Findings with attempt timelines, in report order. */
export function retries(findings: readonly { kind: string }[]): Retry[] {
  return findings.filter((f): f is Retry => f.kind === 'syn-retry' || f.kind === 'dns-unanswered');
}

/** Sentences about what a second capture point saw. */
export const TWO_POINT: Text<{
  lostInNetwork(lost: number, total: number): string;
  lostAtReceiver(n: number, total: number): string;
  checkPlacement: string;
}> = {
  en: {
    lostInNetwork: (lost, total) =>
      `Comparing both captures: ${lost} of ${total} attempts never reached the second capture point, so they were lost before it (in the network or the sender's host).`,
    lostAtReceiver: (n, total) =>
      `Comparing both captures: ${n} of ${total} attempts did reach the second capture point but were not answered, so they were dropped after it, on the receiving host (checksum verification, firewall, conntrack).`,
    checkPlacement:
      'Both capture points saw the same attempts; place them further apart (sender physical interface and receiver physical interface) to locate the loss.',
  },
  zh: {
    lostInNetwork: (lost, total) =>
      `对比两个抓包：${total} 次尝试中有 ${lost} 次从未到达第二个抓包点，说明它们在此之前（网络中或发送主机上）丢失。`,
    lostAtReceiver: (n, total) =>
      `对比两个抓包：${total} 次尝试中有 ${n} 次到达了第二个抓包点却没有应答，说明它们在此之后、在接收主机上被丢弃（校验和验证、防火墙、conntrack）。`,
    checkPlacement: '两个抓包点看到的尝试相同；请把抓包点拉开（发送端物理网卡与接收端物理网卡）以定位丢包位置。',
  },
};

/** Caveats several causes add. */
export const CAVEATS: Text<{ singlePoint: string; noTunnel: string; noOverlap: string; offload(n: number): string }> = {
  en: {
    singlePoint:
      'One capture point cannot tell whether a packet that left it arrived. Capture on the receiving node too (its physical interface) and load both files.',
    noTunnel:
      'These packets are not tunnelled in this capture, so the outer checksum that a receiving kernel checks is not visible here. Capture on the physical interface (or with -i any) to see the VXLAN packets.',
    noOverlap:
      'The two captures share no SYN or DNS transmission at all, so they do not cover the same traffic or the same time: no conclusion is drawn from comparing them. Capture both points during the same attempt.',
    offload: (n) => `${n} frames carry partial (transmit-offload) checksums: benign, not a cause.`,
  },
  zh: {
    singlePoint: '单个抓包点无法判断离开它的报文是否到达。请同时在接收节点（其物理网卡）抓包，并加载两个文件。',
    noTunnel:
      '本抓包中这些报文没有隧道封装，因此看不到接收端内核校验的外层校验和。请在物理网卡上（或使用 -i any）抓包以看到 VXLAN 报文。',
    noOverlap:
      '两个抓包文件没有任何相同的 SYN 或 DNS 报文，说明它们不是同一流量或同一时段的抓包：因此不据此比较得出结论。请在同一次尝试期间同时在两个抓包点抓包。',
    offload: (n) => `${n} 帧带有部分（发送卸载）校验和：无害，不是原因。`,
  },
};

/** Remedies more than one cause gives. */
export const REMEDIES: Text<{ firewall: string; ethtool(dev: string): string; kernel: string }> = {
  en: {
    firewall:
      'On the receiving host, check firewall rules, conntrack (`conntrack -S`: insert_failed, drop) and `netstat -s` for dropped SYNs and UDP checksum errors (InCsumErrors).',
    ethtool: (dev) =>
      `Workaround now: turn off transmit checksum offload on the VXLAN device: \`ethtool -K ${dev} tx-checksum-ip-generic off\``,
    kernel:
      'Upgrade the kernel: fixed in 5.7 and stable 5.6.13, 5.4.41, 4.19.123, 4.14.181 ("netfilter: nat: never update the UDP checksum when it\'s 0").',
  },
  zh: {
    firewall:
      '在接收主机上检查防火墙规则、conntrack（`conntrack -S`：insert_failed、drop）以及 `netstat -s` 中被丢弃的 SYN 和 UDP 校验和错误（InCsumErrors）。',
    ethtool: (dev) => `立即缓解：关闭 VXLAN 设备的发送校验和卸载：\`ethtool -K ${dev} tx-checksum-ip-generic off\``,
    kernel:
      "升级内核：5.7 及稳定版 5.6.13、5.4.41、4.19.123、4.14.181 已修复（“netfilter: nat: never update the UDP checksum when it's 0”）。",
  },
};

/** The usual VXLAN device for a tunnel port: flannel uses 8472, Calico's vxlan.calico IANA 4789. */
export function vxlanDevice(port: number | null): string {
  return port === 4789 ? 'vxlan.calico' : 'flannel.1';
}

export type { Lang };

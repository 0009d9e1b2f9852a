/**
 * checksum-errors: genuinely bad checksums with no retry or failure to explain them. They are
 * evidence, not a diagnosis: the summary says what their pattern points at (the same difference
 * on every frame: a field rewritten after the checksum; 0xffff: the NAT-on-zero-checksum bug;
 * varying differences: corruption or an edited capture) and what a receiver does with them.
 */
import type { FindingOf } from '../../../report';
import type { ErrorPattern } from '../checksum-bad';
import { hex4, s, type Text } from '../../i18n';
import type { CauseRule } from '../../rule';
import { pick, REMEDIES, vxlanDevice } from './common';

declare module '../../../report' {
  interface CauseMap {
    'checksum-errors': true;
  }
}

const T: Text<{
  summary(tunnel: number, other: number): string;
  pattern(p: ErrorPattern): string;
  nic: string;
  edited: string;
  rewrite: string;
}> = {
  en: {
    summary: (tunnel, other) =>
      `No connection failed or retried in this capture, but ${[tunnel ? `${tunnel} tunnelled packet${s(tunnel)} carry a genuinely bad outer UDP checksum (a receiving Linux kernel drops them: traffic in this tunnel will hang or retry)` : '', other ? `${other} other checksum${s(other)} ${other === 1 ? 'is' : 'are'} genuinely bad` : ''].filter(Boolean).join(', and ')}.`,
    pattern: (p) =>
      p.kind === 'ffff'
        ? ' The stored value is 0xffff: the signature of the NAT-on-zero-checksum kernel bug of Kubernetes overlays.'
        : p.kind === 'constant'
          ? ` Every bad checksum is off by the same amount (${hex4(p.top!.delta)}): a field was rewritten after the checksum was computed (NAT or packet mangling on the sending side).`
          : p.kind === 'random'
            ? ` The errors differ from packet to packet (${p.distinct} different differences): that points at corruption (a NIC, a cable, memory) or a capture edited after the fact, not at a rewrite.`
            : '',
    nic: 'Check the NICs and links on the path for errors: `ethtool -S IFACE | grep -i -E "err|crc|drop"`, `ip -s link`.',
    edited: 'If the capture was filtered, cut or anonymised by a tool, check that tool: edited packets keep their old checksums.',
    rewrite:
      'Find what rewrites packets after their checksum is computed on the sending node: NAT and mangle rules (`iptables-save -t nat -t mangle`, `nft list ruleset`), and offload settings (`ethtool -k IFACE`).',
  },
  zh: {
    summary: (tunnel, other) =>
      `本抓包中没有失败或重传的连接，但${[tunnel ? `有 ${tunnel} 个隧道报文的外层 UDP 校验和确实错误（接收端 Linux 内核会丢弃它们：该隧道中的流量会卡住或重传）` : '', other ? `另有 ${other} 个校验和确实错误` : ''].filter(Boolean).join('，')}。`,
    pattern: (p) =>
      p.kind === 'ffff'
        ? '存储值为 0xffff：这是 Kubernetes 覆盖网络中 NAT 零校验和内核缺陷的特征。'
        : p.kind === 'constant'
          ? `每个错误校验和的偏差都相同（${hex4(p.top!.delta)}）：校验和计算之后有字段被改写（发送端的 NAT 或报文修改）。`
          : p.kind === 'random'
            ? `各报文的错误值各不相同（共 ${p.distinct} 种偏差）：这指向数据损坏（网卡、线缆、内存）或事后被修改的抓包文件，而不是字段改写。`
            : '',
    nic: '检查路径上网卡和链路的错误：`ethtool -S IFACE | grep -i -E "err|crc|drop"`、`ip -s link`。',
    edited: '如果抓包文件经过工具过滤、截断或匿名化，请检查该工具：被修改的报文会保留旧的校验和。',
    rewrite:
      '找出发送节点上在校验和计算之后改写报文的环节：NAT 和 mangle 规则（`iptables-save -t nat -t mangle`、`nft list ruleset`），以及卸载设置（`ethtool -k IFACE`）。',
  },
};

export const CHECKSUM_ERRORS: CauseRule = {
  cause: 'checksum-errors',
  wire: 9,
  diagnose(ctx) {
    const tunnel = pick(ctx, 'tunnel-checksum-bad', (x) => x.count);
    const other = pick(ctx, 'checksum-bad', (x) => x.count);
    const f: FindingOf<'tunnel-checksum-bad'> | FindingOf<'checksum-bad'> | undefined = tunnel[0] ?? other[0];
    if (!f) return null;
    const L = T[ctx.lang];
    const nt = tunnel.reduce((n, x) => n + x.count, 0);
    const no = other.reduce((n, x) => n + x.count, 0);
    const p = f.pattern;
    const R = REMEDIES[ctx.lang];
    const fixes =
      p.kind === 'ffff' ? [R.ethtool(vxlanDevice(null)), R.kernel] : p.kind === 'constant' ? [L.rewrite] : [L.nic, L.edited];
    return {
      ...ctx.base,
      cause: 'checksum-errors',
      confidence: p.kind === 'few' ? 'low' : 'medium',
      summary: L.summary(nt, no) + L.pattern(p),
      evidence: f.frames.slice(0, 50),
      evidenceCapture: f.capture,
      primaryFinding: ctx.findings.indexOf(f),
      confirm: [R.csumCounter, ...(p.kind === 'ffff' ? [R.uname, R.kubeProxyVersion] : p.kind === 'random' ? [L.nic] : [])],
      remedies: fixes,
    };
  },
};

/**
 * From findings to one diagnosis: the causes (rules/causes/) are tried in priority order and the
 * first whose evidence is there decides. Conservative by design: checksums are blamed only when
 * they are genuinely bad, never for zero or offload values.
 */
import type { CaptureSummary, Diagnosis, Finding } from '../report';
import type { Lang, Text } from './i18n';
import { CAUSES } from './rules/causes';
import { CAVEATS } from './rules/causes/common';

const T: Text<{
  noProblem(packets: number, offload: number): string;
  empty: string;
  noFailureButBad(tb: number, ob: number): string;
  ethtool: string;
  kernel: string;
}> = {
  en: {
    noProblem: (packets, offload) =>
      `No problem found: ${packets} packets, no SYN retries, no unanswered DNS queries and no genuinely bad checksums.${offload ? ` ${offload} frames carry transmit-offload (partial) checksums, which is normal for a capture on the sending host.` : ''}`,
    empty: 'No packets to analyse: the capture is empty.',
    noFailureButBad: (tb, ob) =>
      `No failed or retried connection and no unanswered DNS in this capture.${tb ? ` But ${tb} tunnelled packet${tb === 1 ? '' : 's'} carry a genuinely bad outer UDP checksum: a receiving Linux kernel drops them, so traffic through this tunnel will hang or retry.` : ''}${ob ? ` ${ob} other checksum${ob === 1 ? ' is' : 's are'} genuinely bad (see the findings): corruption, or a capture edited after the fact.` : ''}`,
    ethtool:
      'Workaround now: turn off transmit checksum offload on the VXLAN device: `ethtool -K flannel.1 tx-checksum-ip-generic off`',
    kernel:
      'Upgrade the kernel: fixed in 5.7 and stable 5.6.13, 5.4.41, 4.19.123, 4.14.181 ("netfilter: nat: never update the UDP checksum when it\'s 0").',
  },
  zh: {
    noProblem: (packets, offload) =>
      `未发现问题：共 ${packets} 个报文，没有 SYN 重传、没有无应答的 DNS 查询，也没有真正错误的校验和。${offload ? `有 ${offload} 帧带有发送卸载（部分）校验和，这在发送端抓包中属于正常现象。` : ''}`,
    empty: '没有可分析的报文：抓包文件为空。',
    noFailureButBad: (tb, ob) =>
      `本抓包中没有失败或重传的连接，也没有无应答的 DNS 查询。${tb ? `但有 ${tb} 个隧道报文的外层 UDP 校验和确实错误：接收端 Linux 内核会丢弃它们，经过该隧道的流量会卡住或重传。` : ''}${ob ? `另有 ${ob} 个校验和确实错误（见发现列表）：报文损坏，或抓包文件被事后修改。` : ''}`,
    ethtool: '立即缓解：关闭 VXLAN 设备的发送校验和卸载：`ethtool -K flannel.1 tx-checksum-ip-generic off`',
    kernel:
      "升级内核：5.7 及稳定版 5.6.13、5.4.41、4.19.123、4.14.181 已修复（“netfilter: nat: never update the UDP checksum when it's 0”）。",
  },
};

/** Total count of a kind's findings. */
function total(findings: Finding[], kind: string): number {
  return findings
    .filter((f) => f.kind === kind)
    .reduce((n, f) => n + ('count' in f && typeof f.count === 'number' ? f.count : f.frames.length), 0);
}

/** Compute the diagnosis for a set of findings. */
export function diagnose(findings: Finding[], captures: CaptureSummary[], lang: Lang, overlap = -1): Diagnosis {
  const offload = total(findings, 'checksum-offload');
  const packets = captures.reduce((n, c) => n + c.packets, 0);
  const base: Diagnosis = {
    cause: null,
    confidence: 'high',
    summary: '',
    evidence: [],
    evidenceCapture: 0,
    remedies: [],
    primaryFinding: -1,
    caveats: [],
  };
  // Two readable captures with nothing in common: say why they were not compared.
  if (captures.length === 2 && overlap === 0 && captures.every((c) => c.format !== 'unknown' && c.packets > 0))
    base.caveats.push(CAVEATS[lang].noOverlap);
  if (offload) base.caveats.push(CAVEATS[lang].offload(offload));
  for (const c of CAUSES) {
    const d = c.diagnose({ findings, captures, lang, overlap, base });
    if (d) return d;
  }
  const tunnelBad = total(findings, 'tunnel-checksum-bad');
  const otherBad = total(findings, 'checksum-bad');
  if (tunnelBad || otherBad) {
    const f = findings.find((x) => x.kind === 'tunnel-checksum-bad') ?? findings.find((x) => x.kind === 'checksum-bad')!;
    return {
      ...base,
      confidence: 'medium',
      summary: T[lang].noFailureButBad(tunnelBad, otherBad),
      evidence: f.frames.slice(0, 50),
      evidenceCapture: f.capture,
      primaryFinding: findings.indexOf(f),
      remedies: tunnelBad ? [T[lang].ethtool, T[lang].kernel] : [],
    };
  }
  return { ...base, summary: packets ? T[lang].noProblem(packets, offload) : T[lang].empty };
}

/**
 * vxlan-checksum-drop: retries (SYN or DNS) whose tunnelled packets carry bad outer checksums.
 * High confidence when every lost attempt had a bad outer checksum and any attempt that got
 * through did not; otherwise the checksum explains only part of the loss.
 */
import { fmtS, hex4, outerName, type Lang, type Text } from '../../i18n';
import type { CauseRule } from '../../rule';
import { badAttempts, REMEDIES, retries, TWO_POINT, vxlanDevice } from './common';

declare module '../../../report' {
  interface CauseMap {
    'vxlan-checksum-drop': true;
  }
}

interface P {
  what: string;
  bad: number;
  attempts: number;
  port: number | null;
  stored: number | null;
  computed: number | null;
  okAttempt: number | null;
  okState: string | null;
  delay: number | null;
}

const T: Text<{
  summary(p: P): string;
  synWhat(c: string, s: string): string;
  dnsWhat(name: string, server: string): string;
  persist(dev: string): string;
  mark(port: number): string;
  kubeProxy: string;
  calico: string;
}> = {
  en: {
    summary: (p) =>
      `${p.what}: ${p.bad} of ${p.attempts} attempts were sent inside tunnel packets${p.port ? ` (UDP ${p.port})` : ''} whose outer UDP checksum is wrong (stored ${hex4(p.stored)}, should be ${hex4(p.computed)}). A receiving Linux kernel verifies non-zero UDP checksums and silently drops these packets, so the attempt never arrives.` +
      (p.okAttempt !== null
        ? ` Attempt ${p.okAttempt} left with ${p.okState} and got through${p.delay !== null ? `, after ${fmtS(p.delay)} s` : ''}.`
        : '') +
      ' This is the known VXLAN checksum bug of Kubernetes overlays (flannel/calico): packets marked for masquerade are SNATed a second time and the kernel writes a bad outer checksum while transmit offload is pending.',
    synWhat: (c, s) => `The TCP connection ${c} → ${s} had to send its SYN again and again`,
    dnsWhat: (name, server) => `DNS queries for ${name} to ${server} went unanswered`,
    persist: (dev) =>
      `Make it survive reboots and device re-creation (flannel recreates ${dev}): a systemd unit or udev rule that re-runs ethtool, or with systemd >= 245 a .link file with \`TransmitChecksumOffload=false\`.`,
    mark: (port) =>
      `Stop the second SNAT: clear the masquerade mark on VXLAN traffic: \`iptables -A OUTPUT -p udp -m udp --dport ${port} -j MARK --set-mark 0x0\`, or run without --random-fully.`,
    kubeProxy:
      'Upgrade kube-proxy: fixed in Kubernetes v1.16.13, v1.17.9, v1.18.6 and later (kubernetes PR 92035, "unmark packets before masquerading them").',
    calico: 'Calico in VXLAN mode: set `featureDetectOverride: ChecksumOffloadBroken=true` in the FelixConfiguration.',
  },
  zh: {
    summary: (p) =>
      `${p.what}：${p.attempts} 次尝试中有 ${p.bad} 次封装在外层 UDP 校验和错误的隧道报文中${p.port ? `（UDP ${p.port}）` : ''}（存储值 ${hex4(p.stored)}，正确值应为 ${hex4(p.computed)}）。接收端 Linux 内核会校验非零的 UDP 校验和，并静默丢弃这类报文，因此这些尝试根本没有到达。` +
      (p.okAttempt !== null
        ? `第 ${p.okAttempt} 次尝试发出时${p.okState}，因而送达${p.delay !== null ? `（耗时 ${fmtS(p.delay)} 秒）` : ''}。`
        : '') +
      '这是 Kubernetes 覆盖网络（flannel/calico）中已知的 VXLAN 校验和缺陷：被标记为需要伪装的报文被第二次 SNAT，内核在发送卸载尚未完成时写入了错误的外层校验和。',
    synWhat: (c, s) => `TCP 连接 ${c} → ${s} 不得不一再重发 SYN`,
    dnsWhat: (name, server) => `发往 ${server} 的 ${name} DNS 查询没有应答`,
    persist: (dev) =>
      `让设置在重启和设备重建后依然生效（flannel 会重建 ${dev}）：用 systemd 单元或 udev 规则重新执行 ethtool，或在 systemd >= 245 上使用带 \`TransmitChecksumOffload=false\` 的 .link 文件。`,
    mark: (port) =>
      `阻止第二次 SNAT：清除 VXLAN 流量上的伪装标记：\`iptables -A OUTPUT -p udp -m udp --dport ${port} -j MARK --set-mark 0x0\`，或不使用 --random-fully。`,
    kubeProxy:
      '升级 kube-proxy：Kubernetes v1.16.13、v1.17.9、v1.18.6 及以后版本已修复（kubernetes PR 92035，“unmark packets before masquerading them”）。',
    calico: 'Calico VXLAN 模式：在 FelixConfiguration 中设置 `featureDetectOverride: ChecksumOffloadBroken=true`。',
  },
};

export const VXLAN_CHECKSUM_DROP: CauseRule = {
  cause: 'vxlan-checksum-drop',
  wire: 1,
  diagnose({ findings, lang, base }) {
    const withBad = retries(findings)
      .filter((f) => badAttempts(f).length > 0)
      .sort((a, b) => badAttempts(b).length - badAttempts(a).length);
    const f = withBad[0];
    if (!f) return null;
    const L = T[lang as Lang];
    const bad = badAttempts(f);
    const okIdx = f.attemptList.findIndex((a) => a.outerChecksum !== 'bad');
    const ok = okIdx >= 0 ? f.attemptList[okIdx]! : null;
    const port = bad[0]!.tunnelPort;
    const isSyn = f.kind === 'syn-retry';
    const answered = isSyn ? f.outcome === 'established' : false;
    const consistent = answered
      ? okIdx === f.attemptList.length - 1 && bad.length === f.attemptList.length - 1
      : bad.length === f.attemptList.length;
    let where = '';
    if (f.delivered !== undefined) {
      const lost = f.attemptList.length - f.delivered;
      where = ` ${lost > 0 ? TWO_POINT[lang].lostInNetwork(lost, f.attemptList.length) : TWO_POINT[lang].lostAtReceiver(bad.length, f.attemptList.length)}`;
    }
    return {
      ...base,
      cause: 'vxlan-checksum-drop',
      confidence: consistent ? 'high' : 'medium',
      summary:
        L.summary({
          what: isSyn ? L.synWhat(f.client, f.server) : L.dnsWhat(f.name, f.server),
          bad: bad.length,
          attempts: f.attemptList.length,
          port,
          stored: bad[0]!.outerStored,
          computed: bad[0]!.outerComputed,
          okAttempt: ok ? okIdx + 1 : null,
          okState: ok ? outerName(lang, ok.outerChecksum) : null,
          delay: isSyn ? f.delaySec : null,
        }) + where,
      evidence: isSyn && f.answerFrame !== null ? [...f.frames, f.answerFrame] : f.frames.slice(),
      evidenceCapture: f.capture,
      primaryFinding: findings.indexOf(f),
      remedies: [
        REMEDIES[lang].ethtool(vxlanDevice(port)),
        L.persist(vxlanDevice(port)),
        L.mark(port ?? 8472),
        L.kubeProxy,
        REMEDIES[lang].kernel,
        L.calico,
      ],
    };
  },
};

/**
 * vxlan-checksum-drop: retries (SYN or DNS) whose tunnelled packets carry bad outer checksums.
 * High confidence when every lost attempt had a bad outer checksum and any attempt that got
 * through did not; otherwise the checksum explains only part of the loss.
 */
import type { Attempt, FindingOf } from '../../../report';
import { fmtS, hex4, outerName, SEP, type Text } from '../../i18n';
import type { CauseRule, DiagnoseCtx } from '../../rule';
import { checksumDelta } from '../checksum-bad';
import { names, pick, REMEDIES, retransmitted, vxlanDevice, type Retry } from './common';
import { attemptsLost, lostSentence, NOUN } from './where';
import { attemptsSent } from '../syn-retry';

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
  /** The first attempt whose outer checksum was not bad (1-based), and its state in words. */
  okAttempt: number | null;
  okState: string | null;
  /** Was the retry answered at all (after its last attempt)? */
  answered: boolean;
  /** Attempts sent: the last one's number (a flood's list stops at the report's cap). */
  sent: number;
  delay: number | null;
}

/** Why the bad checksums look like the NAT-on-zero-checksum bug, or that they do not. */
type Signature = 'ffff' | 'zero-later' | 'constant' | 'random' | 'unknown';

const T: Text<{
  summary(p: P): string;
  signature(sig: Signature): string;
  synWhat(c: string, s: string): string;
  dnsWhat(name: string, server: string): string;
  dnsRetriedWhat(name: string, server: string): string;
  retrans(n: number): string;
  persist(dev: string): string;
  mark(port: number): string;
  kubeProxy: string;
  calico: string;
  offloadCheck(dev: string): string;
  corruption: string;
}> = {
  en: {
    summary: (p) =>
      `${p.what}: ${p.bad} of ${p.attempts} attempts ${p.bad === 1 ? 'was' : 'were'} sent inside tunnel packets${p.port ? ` (UDP ${p.port})` : ''} whose outer UDP checksum is wrong (stored ${hex4(p.stored)}, should be ${hex4(p.computed)}). A receiving Linux kernel verifies non-zero UDP checksums and silently drops these packets, so the attempt never arrives.` +
      (p.okAttempt === null
        ? ''
        : p.answered && p.okAttempt === p.sent
          ? ` Attempt ${p.okAttempt} left with ${p.okState} and got through${p.delay !== null ? `, after ${fmtS(p.delay)} s` : ''}.`
          : p.answered
            ? ` Attempt ${p.okAttempt} left with ${p.okState} yet was not answered either; only attempt ${p.sent} was${p.delay !== null ? `, after ${fmtS(p.delay)} s` : ''}: the bad checksum does not explain every lost attempt.`
            : ` Attempt ${p.okAttempt} left with ${p.okState} and was not answered either: the bad checksum does not explain every lost attempt.`),
    signature: (sig) =>
      sig === 'random'
        ? ' The errors differ from packet to packet, which points at corruption on the way (a NIC, a cable, memory) or an edited capture, not at the NAT checksum bug.'
        : sig === 'unknown'
          ? ' One bad checksum alone cannot tell the NAT checksum bug of Kubernetes overlays (0xffff stored, or the same difference on every packet) from corruption on the way: confirm before changing anything.'
          : ` This is consistent with the known VXLAN checksum bug of Kubernetes overlays (${sig === 'ffff' ? 'the stored value is exactly 0xffff' : sig === 'zero-later' ? 'a later attempt left with checksum 0' : 'every bad packet is off by the same amount: a field was rewritten after the checksum was computed'}): packets marked for masquerade are SNATed a second time and the kernel writes a bad outer checksum while transmit offload is pending.`,
    synWhat: (c, s) => `The TCP connection ${c} → ${s} had to send its SYN again and again`,
    dnsWhat: (name, server) => `DNS queries for ${name} to ${server} went unanswered`,
    dnsRetriedWhat: (name, server) => `A DNS query for ${name} to ${server} had to be sent again`,
    retrans: (n) =>
      ` ${n} TCP data segment${n === 1 ? ' was' : 's were'} retransmitted in the same capture: the same drops, recovered by TCP.`,
    persist: (dev) =>
      `Make it survive reboots and device re-creation (flannel recreates ${dev}): a systemd unit or udev rule that re-runs ethtool, or with systemd >= 245 a .link file with \`TransmitChecksumOffload=false\`.`,
    mark: (port) =>
      `Stop the second SNAT: clear only kube-proxy's masquerade bit on VXLAN traffic, \`iptables -t mangle -A OUTPUT -p udp -m udp --dport ${port} -j MARK --set-xmark 0x0/0x4000\` (the often-quoted \`--set-mark 0x0\` wipes the whole fwmark, which Calico and Cilium use too), or run kube-proxy without --random-fully.`,
    kubeProxy:
      'Upgrade kube-proxy: fixed in Kubernetes v1.16.13, v1.17.9, v1.18.6 and later (kubernetes PR 92035, "unmark packets before masquerading them").',
    calico: 'Calico in VXLAN mode: set `featureDetectOverride: ChecksumOffloadBroken=true` in the FelixConfiguration.',
    offloadCheck: (dev) =>
      `On the sending node, \`ethtool -k ${dev} | grep tx-checksum\`: the bug needs transmit checksum offload on.`,
    corruption:
      'Random checksum errors: check the NICs and links on the path (`ethtool -S IFACE | grep -i -E "err|crc"`, `ip -s link`), and whether the capture file was edited or cut.',
  },
  zh: {
    summary: (p) =>
      `${p.what}：${p.attempts} 次尝试中有 ${p.bad} 次封装在外层 UDP 校验和错误的隧道报文中${p.port ? `（UDP ${p.port}）` : ''}（存储值 ${hex4(p.stored)}，正确值应为 ${hex4(p.computed)}）。接收端 Linux 内核会校验非零的 UDP 校验和，并静默丢弃这类报文，因此这些尝试根本没有到达。` +
      (p.okAttempt === null
        ? ''
        : p.answered && p.okAttempt === p.sent
          ? `第 ${p.okAttempt} 次尝试发出时${p.okState}，因而送达${p.delay !== null ? `（耗时 ${fmtS(p.delay)} 秒）` : ''}。`
          : p.answered
            ? `第 ${p.okAttempt} 次尝试发出时${p.okState}，却同样没有得到应答；直到第 ${p.sent} 次尝试才送达${p.delay !== null ? `（耗时 ${fmtS(p.delay)} 秒）` : ''}：错误的校验和并不能解释每一次丢失。`
            : `第 ${p.okAttempt} 次尝试发出时${p.okState}，同样没有得到应答：错误的校验和并不能解释每一次丢失。`),
    signature: (sig) =>
      sig === 'random'
        ? '各报文的错误值各不相同，这指向途中的数据损坏（网卡、线缆、内存）或被修改过的抓包文件，而不是 NAT 校验和缺陷。'
        : sig === 'unknown'
          ? '仅凭一个错误的校验和，无法区分 Kubernetes 覆盖网络的 NAT 校验和缺陷（存储值为 0xffff，或每个报文的偏差相同）与途中的数据损坏：请先确认再做改动。'
          : `这与 Kubernetes 覆盖网络中已知的 VXLAN 校验和缺陷相符（${sig === 'ffff' ? '存储值恰好为 0xffff' : sig === 'zero-later' ? '之后一次尝试以零校验和发出' : '每个错误报文的偏差都相同：校验和计算之后有字段被改写'}）：被标记为需要伪装的报文被第二次 SNAT，内核在发送卸载尚未完成时写入了错误的外层校验和。`,
    synWhat: (c, s) => `TCP 连接 ${c} → ${s} 不得不一再重发 SYN`,
    dnsWhat: (name, server) => `发往 ${server} 的 ${name} DNS 查询没有应答`,
    dnsRetriedWhat: (name, server) => `发往 ${server} 的 ${name} DNS 查询不得不重发`,
    retrans: (n) => `同一抓包中有 ${n} 个 TCP 数据段被重传：同样的丢弃，由 TCP 重传恢复。`,
    persist: (dev) =>
      `让设置在重启和设备重建后依然生效（flannel 会重建 ${dev}）：用 systemd 单元或 udev 规则重新执行 ethtool，或在 systemd >= 245 上使用带 \`TransmitChecksumOffload=false\` 的 .link 文件。`,
    mark: (port) =>
      `阻止第二次 SNAT：只清除 VXLAN 流量上 kube-proxy 的伪装标记位，\`iptables -t mangle -A OUTPUT -p udp -m udp --dport ${port} -j MARK --set-xmark 0x0/0x4000\`（常见的 \`--set-mark 0x0\` 会清空整个 fwmark，而 Calico 和 Cilium 也在使用它），或让 kube-proxy 不使用 --random-fully。`,
    kubeProxy:
      '升级 kube-proxy：Kubernetes v1.16.13、v1.17.9、v1.18.6 及以后版本已修复（kubernetes PR 92035，“unmark packets before masquerading them”）。',
    calico: 'Calico VXLAN 模式：在 FelixConfiguration 中设置 `featureDetectOverride: ChecksumOffloadBroken=true`。',
    offloadCheck: (dev) => `在发送节点上执行 \`ethtool -k ${dev} | grep tx-checksum\`：该缺陷需要开启发送校验和卸载。`,
    corruption:
      '随机的校验和错误：检查路径上的网卡和链路（`ethtool -S IFACE | grep -i -E "err|crc"`、`ip -s link`），以及抓包文件是否被修改或截断。',
  },
};

/** Attempts whose tunnel packet carried a bad outer checksum. */
export const badAttempts = (f: Retry): Attempt[] => f.attemptList.filter((a) => a.outerChecksum === 'bad');

/**
 * The NAT-bug signature of a retry finding's bad outer checksums: 0xffff stored, a later attempt
 * with checksum 0, or one constant difference; `random` when the differences vary (here, or over
 * every bad tunnel checksum of the capture); `unknown` from a single bad packet and nothing else.
 */
export function signatureOf(f: Retry, ctx?: DiagnoseCtx): Signature {
  const bad = badAttempts(f);
  if (bad.some((a) => a.outerStored === 0xffff)) return 'ffff';
  const firstBad = f.attemptList.indexOf(bad[0]!);
  if (f.attemptList.slice(firstBad + 1).some((a) => a.outerChecksum === 'zero')) return 'zero-later';
  const deltas = new Set(
    bad.map((a) => (a.outerStored !== null && a.outerComputed !== null ? checksumDelta(a.outerStored, a.outerComputed) : -1)),
  );
  if (bad.length >= 2) return deltas.size === 1 ? 'constant' : 'random';
  const all = ctx?.findings.find(
    (x): x is FindingOf<'tunnel-checksum-bad'> => x.kind === 'tunnel-checksum-bad' && x.capture === f.capture,
  );
  const k = all?.pattern.kind;
  return k === 'random' || k === 'constant' || k === 'ffff' ? k : 'unknown';
}

export const VXLAN_CHECKSUM_DROP: CauseRule = {
  cause: 'vxlan-checksum-drop',
  wire: 1,
  diagnose(ctx) {
    const { lang, base, findings } = ctx;
    const withBad = [
      ...pick(ctx, 'syn-retry', (f) => badAttempts(f).length),
      ...pick(ctx, 'dns-unanswered', (f) => badAttempts(f).length),
      ...pick(ctx, 'dns-retried', (f) => badAttempts(f).length),
    ]
      .filter((f) => badAttempts(f).length > 0)
      .sort((a, b) => badAttempts(b).length - badAttempts(a).length);
    const f = withBad[0];
    if (!f) return null;
    const L = T[lang];
    const bad = badAttempts(f);
    const okIdx = f.attemptList.findIndex((a) => a.outerChecksum !== 'bad');
    const ok = okIdx >= 0 ? f.attemptList[okIdx]! : null;
    const port = bad[0]!.tunnelPort;
    const isSyn = f.kind === 'syn-retry';
    const outerOf = new Map(f.attemptList.flatMap((a) => (a.outerFrame !== undefined ? [[a.frame, a.outerFrame] as const] : [])));
    const answered = isSyn ? f.outcome === 'established' : f.kind === 'dns-retried';
    const consistent = answered
      ? okIdx === f.attemptList.length - 1 && bad.length === f.attemptList.length - 1
      : bad.length === f.attemptList.length;
    const sig = signatureOf(f, ctx);
    const natBug = sig !== 'random' && sig !== 'unknown';
    const lost = attemptsLost(f.attemptList, answered, f.capture, ctx.points);
    let where = '';
    if (lost) {
      const n =
        lost.where === 'between' ? f.attemptList.filter((a) => !a.delivered).length : bad.filter((a) => a.delivered).length;
      where = `${SEP[lang]}${lostSentence(lang, { lost, names: names(ctx), sameHost: ctx.points.sameHost, sides: ctx.points.sides, n, total: f.attemptList.length, what: NOUN[lang].attempts })}`;
    }
    const dev = vxlanDevice(port);
    const R = REMEDIES[lang];
    return {
      ...base,
      cause: 'vxlan-checksum-drop',
      confidence: consistent && natBug ? 'high' : 'medium',
      summary:
        L.summary({
          what: isSyn
            ? L.synWhat(f.client, f.server)
            : f.kind === 'dns-retried'
              ? L.dnsRetriedWhat(f.name, f.server)
              : L.dnsWhat(f.name, f.server),
          bad: bad.length,
          attempts: f.attemptList.length,
          port,
          stored: bad[0]!.outerStored,
          computed: bad[0]!.outerComputed,
          okAttempt: ok ? okIdx + 1 : null,
          okState: ok ? outerName(lang, ok.outerChecksum) : null,
          answered,
          sent: attemptsSent(f),
          delay: f.kind === 'dns-unanswered' ? null : f.delaySec,
        }) +
        L.signature(sig) +
        (sig === 'random' && retransmitted(ctx) ? L.retrans(retransmitted(ctx)) : '') +
        where,
      // The tunnel packets themselves: with `-i any` an attempt's first frame is its copy inside
      // the tunnel, and the bad outer checksum is on the other one.
      evidence: [...f.frames.map((n) => outerOf.get(n) ?? n), ...(isSyn && f.answerFrame !== null ? [f.answerFrame] : [])],
      evidenceCapture: f.capture,
      primaryFinding: findings.indexOf(f),
      ...(lost ? { lost } : {}),
      confirm:
        sig === 'random'
          ? [R.csumCounter, L.corruption]
          : sig === 'unknown'
            ? [R.csumCounter, L.corruption, R.uname, R.kubeProxyVersion, L.offloadCheck(dev)]
            : [R.csumCounter, R.uname, R.kubeProxyVersion, L.offloadCheck(dev)],
      remedies:
        sig === 'random'
          ? [L.corruption]
          : sig === 'unknown'
            ? [L.corruption, R.ethtool(dev)]
            : [R.ethtool(dev), L.persist(dev), L.mark(port ?? 8472), L.kubeProxy, R.kernel, L.calico],
    };
  },
};

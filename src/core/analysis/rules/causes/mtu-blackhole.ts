/**
 * mtu-blackhole: large packets lost where small ones pass. The summary states the evidence:
 * the size that is lost and the largest that got through, DF, and whether an ICMP
 * "fragmentation needed" was seen (and what MTU it announced) or not.
 */
import { fmtS, SEP, type Text } from '../../i18n';
import type { CauseRule } from '../../rule';
import { names, pick } from './common';
import { lostSentence, NOUN } from './where';

declare module '../../../report' {
  interface CauseMap {
    'mtu-blackhole': true;
  }
}

interface P {
  from: string;
  to: string;
  size: number;
  n: number;
  over: number;
  delivered: number | null;
  df: boolean;
  outerDf: boolean;
  icmp: number;
  mtu: number | null;
}

const T: Text<{
  summary(p: P): string;
  ping: string;
  mtus: string;
  fixMtu: string;
  fixMss: string;
  fixIcmp: string;
}> = {
  en: {
    summary: (p) =>
      `Large packets from ${p.from} to ${p.to} are lost while small ones pass: the same ${p.size}-byte segment was sent ${p.n} times over ${fmtS(p.over)} s, at growing intervals, and never acknowledged${p.delivered ? `, while segments of up to ${p.delivered} bytes got through` : ', while the handshake and small packets got through'}. ${p.df || p.outerDf ? `The packets carry DF (${[p.df ? 'inner' : '', p.outerDf ? 'tunnel' : ''].filter(Boolean).join(' and ')} header), so a smaller link cannot fragment them. ` : ''}${p.icmp ? `${p.icmp} ICMP "fragmentation needed" message${p.icmp === 1 ? '' : 's'} announce${p.icmp === 1 ? 's' : ''} an MTU of ${p.mtu}, but the sender did not adapt: they do not reach it.` : 'No ICMP "fragmentation needed" is in the capture: it is filtered on the way, so path MTU discovery cannot work (an MTU black hole).'} An overlay adds 50 bytes (VXLAN over IPv4): an inner MTU that does not leave room for it over the real path breaks exactly the large packets.`,
    ping: 'Measure the path MTU between the nodes: `ping -M do -s 1472 OTHER_NODE_IP` (1500-byte packets), then smaller sizes until it passes; the largest that passes + 28 is the path MTU.',
    mtus: 'Compare the MTUs: `ip link show flannel.1` (or vxlan.calico, cilium_vxlan) must be at most the path MTU minus 50; `ip link show eth0` on both nodes.',
    fixMtu:
      'Set the overlay MTU to the path MTU minus 50: flannel `--iface-mtu` / the MTU in net-conf.json, Calico `vxlanMTU` (FelixConfiguration) or `veth_mtu`, Cilium `mtu` in its ConfigMap; then restart the pods so their interfaces pick it up.',
    fixMss:
      'Meanwhile, clamp TCP MSS to the path: `iptables -t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu` on the nodes.',
    fixIcmp:
      'Let ICMP type 3 code 4 ("fragmentation needed") through every firewall and cloud security group between the nodes, so path MTU discovery works.',
  },
  zh: {
    summary: (p) =>
      `从 ${p.from} 到 ${p.to} 的大报文丢失而小报文能通过：同一个 ${p.size} 字节的数据段在 ${fmtS(p.over)} 秒内以递增的间隔发送了 ${p.n} 次，始终未被确认${p.delivered ? `，而不超过 ${p.delivered} 字节的数据段能够送达` : '，而握手和小报文能够送达'}。${p.df || p.outerDf ? `这些报文设置了 DF（${[p.df ? '内层' : '', p.outerDf ? '隧道' : ''].filter(Boolean).join('和')}首部），更小 MTU 的链路无法将其分片。` : ''}${p.icmp ? `有 ${p.icmp} 个 ICMP“需要分片”报文通告 MTU 为 ${p.mtu}，但发送方并未调整：这些报文没有到达它。` : '抓包中没有 ICMP“需要分片”报文：它在途中被过滤，路径 MTU 发现无法工作（MTU 黑洞）。'}覆盖网络会增加 50 字节（IPv4 上的 VXLAN）：内层 MTU 若没有为此在实际路径上留出余量，恰恰会使大报文失败。`,
    ping: '测量节点之间的路径 MTU：`ping -M do -s 1472 OTHER_NODE_IP`（1500 字节报文），再逐步减小直到能通过；能通过的最大值加 28 即为路径 MTU。',
    mtus: '比较 MTU：`ip link show flannel.1`（或 vxlan.calico、cilium_vxlan）最多应为路径 MTU 减 50；并在两个节点上查看 `ip link show eth0`。',
    fixMtu:
      '将覆盖网络 MTU 设为路径 MTU 减 50：flannel 的 `--iface-mtu` / net-conf.json 中的 MTU，Calico 的 `vxlanMTU`（FelixConfiguration）或 `veth_mtu`，Cilium ConfigMap 中的 `mtu`；然后重启 Pod 使其接口生效。',
    fixMss:
      '在此之前，将 TCP MSS 限制为路径 MTU：在节点上执行 `iptables -t mangle -A FORWARD -p tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu`。',
    fixIcmp: '让 ICMP 类型 3 代码 4（“需要分片”）通过节点之间的所有防火墙和云安全组，使路径 MTU 发现能够工作。',
  },
};

export const MTU_BLACKHOLE_CAUSE: CauseRule = {
  cause: 'mtu-blackhole',
  wire: 6,
  diagnose(ctx) {
    const f = pick(ctx, 'mtu-blackhole', (x) => x.transmissions, 'downstream')[0];
    if (!f) return null;
    const L = T[ctx.lang];
    let summary = L.summary({
      from: f.from,
      to: f.to,
      size: f.lostSize,
      n: f.transmissions,
      over: f.offsets[f.offsets.length - 1] ?? 0,
      delivered: f.deliveredMax,
      df: f.df,
      outerDf: f.outerDf,
      icmp: f.icmpFragNeeded.length,
      mtu: f.mtu,
    });
    // With two captures: the lost segments were seen at the sender's point and not the other.
    let lost: { where: 'between' | 'after-both'; upstream: number } | undefined;
    if (ctx.captures.length === 2 && ctx.overlap > 0) {
      const other = ctx.findings.some((x) => x.kind === 'mtu-blackhole' && x.capture !== f.capture);
      const where = other ? 'after-both' : 'between';
      lost = { where, upstream: ctx.points.upstream };
      summary += `${SEP[ctx.lang]}${lostSentence(ctx.lang, { lost, names: names(ctx), sameHost: ctx.points.sameHost, sides: ctx.points.sides, n: f.transmissions, total: f.transmissions, what: NOUN[ctx.lang].segments, toClient: f.from === f.server })}`;
    }
    return {
      ...ctx.base,
      cause: 'mtu-blackhole',
      confidence: f.df || f.outerDf || f.icmpFragNeeded.length ? 'high' : 'medium',
      summary,
      evidence: [...f.frames, ...f.icmpFragNeeded].sort((a, b) => a - b),
      evidenceCapture: f.capture,
      primaryFinding: ctx.findings.indexOf(f),
      ...(lost ? { lost } : {}),
      confirm: [L.ping, L.mtus],
      remedies: [L.fixMtu, L.fixMss, L.fixIcmp],
    };
  },
};

/**
 * One-line frame summaries (the packet list's Info and the CLI's `--frames` text), built from the
 * protocols' own `info` and `tunnelText`, and small helpers over a dissection. Only called for
 * packets that need text.
 */
import type { Dissection } from './dissect';
import { K, TCP_ACK, type Layer } from './layers';
import { REGISTRY } from './protocols';
import { tcpInfo } from './protocols/tcp';
import { endpoint, hex, ipv4String, ipv6String, macString, tcpFlagNames } from './text';

export { endpoint, ipv4String, ipv6String, tcpFlagString } from './text';

/** Source or destination address of an IP layer as text. */
export function ipAddr(d: Dissection, ip: Layer, which: 'src' | 'dst'): string {
  const o = which === 'src' ? ip.srcOff : ip.dstOff;
  return ip.ipVersion === 6 ? ipv6String(d.data, o) : ipv4String(d.data, o);
}

/** Index of the innermost IP layer that is not inside an ICMP quote, or -1. */
export function innermostIp(d: Dissection): number {
  for (let i = d.nLayers - 1; i >= 0; i--) {
    const l = d.layers[i]!;
    if ((l.kind === K.IPV4 || l.kind === K.IPV6) && !l.quoted && !l.invalid) return i;
  }
  return -1;
}

/** Human name of a layer kind. */
export function layerLabel(kind: number): string {
  return REGISTRY.byId.get(kind)?.label ?? 'Data';
}

/** Protocol column: the innermost decoded protocol that is not inside an ICMP quote. */
export function protocolColumn(d: Dissection): string {
  if (d.unsupportedLink) return `LINKTYPE ${d.linkType}`;
  for (let i = d.nLayers - 1; i >= 0; i--) {
    const l = d.layers[i]!;
    if (!l.quoted) return layerLabel(l.kind);
  }
  return '';
}

/** Source and destination columns: the innermost IP's addresses, else the link addresses. */
export function addressColumns(d: Dissection): [string, string] {
  const ipI = innermostIp(d);
  if (ipI >= 0) return [ipAddr(d, d.layers[ipI]!, 'src'), ipAddr(d, d.layers[ipI]!, 'dst')];
  const eth = d.nLayers ? d.layers[0]! : null;
  if (eth && eth.kind === K.ETH && eth.hdrEnd - eth.start >= 14)
    return [macString(d.data, eth.start + 6), macString(d.data, eth.start)];
  return ['', ''];
}

/** The Info column, Wireshark style for TCP and UDP, with the tunnels in front. */
export function infoColumn(d: Dissection): string {
  if (d.unsupportedLink) return `link type ${d.linkType} (not decoded)`;
  const ipI = innermostIp(d);
  if (ipI < 0) return nonIpSummary(d);
  const ip = d.layers[ipI]!;
  const t = d.at(ipI + 1);
  const tunnel = tunnelPrefix(d, ipI);
  let s: string;
  if (t && !t.quoted && t.kind === K.TCP) {
    s = `${t.srcPort} → ${t.dstPort} [${t.hdrEnd - t.start >= 20 ? tcpFlagNames(t.tcpFlags) : '?'}] Seq=${t.seq}`;
    if (t.tcpFlags & TCP_ACK) s += ` Ack=${t.ack}`;
    s += ` Win=${t.window} Len=${t.payloadLen}`;
  } else if (t && !t.quoted && t.kind === K.UDP) {
    const app = d.at(ipI + 2);
    const p = app && !app.quoted ? REGISTRY.byId.get(app.kind) : undefined;
    s = p?.info ? p.info(app!, d) : `${t.srcPort} → ${t.dstPort} Len=${t.payloadLen}`;
  } else if (t && (t.kind === K.ICMP || t.kind === K.ICMPV6)) {
    s = REGISTRY.byId.get(t.kind)!.info!(t, d);
  } else {
    s = `proto ${ip.proto}`;
    if (ip.fragment) s += ` fragment offset ${ip.fragOffset}${ip.moreFragments ? '+' : ''}`;
  }
  if (ip.truncated || (t && t.truncated)) s += ' [truncated]';
  return tunnel ? `${tunnel} ${s}` : s;
}

/** One line describing the frame, innermost packet first, like `tcpdump -nn` would. */
export function summarize(d: Dissection): string {
  if (d.unsupportedLink) return `link type ${d.linkType} (not decoded), ${d.data.length} bytes`;
  const ipI = innermostIp(d);
  if (ipI < 0) return nonIpSummary(d);
  const ip = d.layers[ipI]!;
  const src = ipAddr(d, ip, 'src');
  const dst = ipAddr(d, ip, 'dst');
  const tunnel = tunnelPrefix(d, ipI);
  const t = d.at(ipI + 1);
  let s: string;
  if (t && !t.quoted && (t.kind === K.TCP || t.kind === K.UDP)) {
    s = `${endpoint(src, t.srcPort)} > ${endpoint(dst, t.dstPort)}: ${t.kind === K.TCP ? tcpInfo(t) : `UDP len ${t.payloadLen}`}`;
    const app = d.at(ipI + 2);
    const p = app && !app.quoted ? REGISTRY.byId.get(app.kind) : undefined;
    if (p?.info) s += ` ${p.info(app!, d)}`;
  } else if (t && (t.kind === K.ICMP || t.kind === K.ICMPV6)) {
    s = `${src} > ${dst}: ${REGISTRY.byId.get(t.kind)!.info!(t, d)}`;
  } else {
    s = `${src} > ${dst}: proto ${ip.proto}`;
    if (ip.fragment) s += ` fragment offset ${ip.fragOffset}${ip.moreFragments ? '+' : ''}`;
  }
  if (ip.truncated || (t && t.truncated)) s += ' [truncated]';
  return tunnel ? `${tunnel} ${s}` : s;
}

function nonIpSummary(d: Dissection): string {
  for (let i = d.nLayers - 1; i >= 0; i--) {
    const l = d.layers[i]!;
    if (l.invalid) return `${layerLabel(l.kind)} invalid: ${l.invalid}`;
    const p = REGISTRY.byId.get(l.kind);
    if (l.kind === K.ARP) return `ARP ${p?.describe ? p.describe(l, d, { field: () => undefined }) : ''}`.trim();
    if (p?.info) return p.info(l, d);
  }
  const top = d.nLayers ? d.layers[d.nLayers - 1]! : null;
  return top ? `${layerLabel(top.kind)}${top.truncated ? ' [truncated]' : ''} ethertype ${hex(top.etherType)}` : 'empty frame';
}

/** "[VXLAN vni 1 / GRE / IP-in-IP]" for the tunnels around the innermost packet. */
function tunnelPrefix(d: Dissection, innerIp: number): string {
  const parts: string[] = [];
  for (let i = 0; i < innerIp; i++) {
    const l = d.layers[i]!;
    const p = REGISTRY.byId.get(l.kind);
    if (p?.tunnel && p.tunnelText) parts.push(p.tunnelText(l));
    else if ((l.kind === K.IPV4 || l.kind === K.IPV6) && i > 0) {
      const n = d.at(i + 1);
      if (n && (n.kind === K.IPV4 || n.kind === K.IPV6)) parts.push('IP-in-IP');
    }
  }
  return parts.length ? `[${parts.join(' / ')}]` : '';
}

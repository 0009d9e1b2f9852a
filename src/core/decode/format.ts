/**
 * Text renderings of decoded fields: addresses, endpoints and tcpdump-like one-line summaries.
 * Only called for packets that need text (findings, the packet list page on screen).
 */
import type { Dissection } from './dissect';
import { K, KIND_NAME, type Layer, TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN } from './layers';

/** Dotted quad of 4 bytes at `o`. */
export function ipv4String(b: Uint8Array, o: number): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

/** RFC 5952 text of 16 bytes at `o` (longest zero run compressed). */
export function ipv6String(b: Uint8Array, o: number): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push((b[o + 2 * i]! << 8) | b[o + 2 * i + 1]!);
  let bestS = -1;
  let bestL = 0;
  for (let i = 0; i < 8;) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestL && j - i > 1) {
      bestS = i;
      bestL = j - i;
    }
    i = j;
  }
  const hex = (a: number[]) => a.map((x) => x.toString(16)).join(':');
  if (bestS < 0) return hex(w);
  return `${hex(w.slice(0, bestS))}::${hex(w.slice(bestS + bestL))}`;
}

/** Source or destination address of an IP layer as text. */
export function ipAddr(d: Dissection, ip: Layer, which: 'src' | 'dst'): string {
  const o = which === 'src' ? ip.srcOff : ip.dstOff;
  return ip.ipVersion === 6 ? ipv6String(d.data, o) : ipv4String(d.data, o);
}

/** "ip:port" (IPv6 as "[ip]:port"). */
export function endpoint(addr: string, port: number): string {
  return addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`;
}

/** tcpdump-style flag letters: S, F, R, P, . (ACK). */
export function tcpFlagString(f: number): string {
  let s = '';
  if (f & TCP_SYN) s += 'S';
  if (f & TCP_FIN) s += 'F';
  if (f & TCP_RST) s += 'R';
  if (f & TCP_PSH) s += 'P';
  if (f & TCP_ACK) s += '.';
  return s || 'none';
}

/** Index of the innermost IP layer that is not inside an ICMP quote, or -1. */
export function innermostIp(d: Dissection): number {
  for (let i = d.nLayers - 1; i >= 0; i--) {
    const l = d.layers[i]!;
    if ((l.kind === K.IPV4 || l.kind === K.IPV6) && !l.quoted && !l.invalid) return i;
  }
  return -1;
}

/** One line describing the frame, innermost packet first, like `tcpdump -nn` would. */
export function summarize(d: Dissection): string {
  if (d.unsupportedLink) return `link type ${d.linkType} (not decoded), ${d.data.length} bytes`;
  const ipI = innermostIp(d);
  if (ipI < 0) {
    for (let i = d.nLayers - 1; i >= 0; i--) {
      const l = d.layers[i]!;
      if (l.kind === K.ARP) return 'ARP';
      if (l.invalid) return `${KIND_NAME[l.kind]} invalid: ${l.invalid}`;
    }
    const top = d.nLayers ? d.layers[d.nLayers - 1]! : null;
    return top
      ? `${KIND_NAME[top.kind]}${top.truncated ? ' [truncated]' : ''} ethertype 0x${top.etherType.toString(16).padStart(4, '0')}`
      : 'empty frame';
  }
  const ip = d.layers[ipI]!;
  const src = ipAddr(d, ip, 'src');
  const dst = ipAddr(d, ip, 'dst');
  const tunnel = tunnelPrefix(d, ipI);
  const t = d.layers[ipI + 1];
  let s: string;
  if (t && t.kind === K.TCP && !t.quoted) {
    s = `${endpoint(src, t.srcPort)} > ${endpoint(dst, t.dstPort)}: TCP [${tcpFlagString(t.tcpFlags)}] seq ${t.seq}`;
    if (t.tcpFlags & TCP_ACK) s += ` ack ${t.ack}`;
    s += ` win ${t.window} len ${t.payloadLen}`;
  } else if (t && t.kind === K.UDP && !t.quoted) {
    s = `${endpoint(src, t.srcPort)} > ${endpoint(dst, t.dstPort)}: UDP len ${t.payloadLen}`;
    const dns = d.layers[ipI + 2];
    if (dns && dns.kind === K.DNS) {
      s += ` DNS ${dns.dnsFlags & 0x8000 ? 'response' : 'query'} 0x${dns.dnsId.toString(16).padStart(4, '0')} ${dns.dnsQname}`;
      if (dns.dnsFlags & 0x8000) s += ` rcode ${dns.dnsFlags & 0xf} answers ${dns.dnsAnswers}`;
    }
  } else if (t && (t.kind === K.ICMP || t.kind === K.ICMPV6)) {
    s = `${src} > ${dst}: ${KIND_NAME[t.kind]} type ${t.icmpType} code ${t.icmpCode}`;
  } else {
    s = `${src} > ${dst}: proto ${ip.proto}`;
    if (ip.fragment) s += ` fragment offset ${ip.fragOffset}${ip.moreFragments ? '+' : ''}`;
  }
  if (ip.truncated || (t && t.truncated)) s += ' [truncated]';
  return tunnel ? `${tunnel} ${s}` : s;
}

function tunnelPrefix(d: Dissection, innerIp: number): string {
  const parts: string[] = [];
  for (let i = 0; i < innerIp; i++) {
    const l = d.layers[i]!;
    if (l.kind === K.VXLAN || l.kind === K.GENEVE || l.kind === K.VXLAN_GPE) parts.push(`${KIND_NAME[l.kind]} vni ${l.vni}`);
    else if (l.kind === K.GRE) parts.push('GRE');
    else if (
      (l.kind === K.IPV4 || l.kind === K.IPV6) &&
      i > 0 &&
      d.layers[i + 1] &&
      (d.layers[i + 1]!.kind === K.IPV4 || d.layers[i + 1]!.kind === K.IPV6)
    )
      parts.push('IP-in-IP');
  }
  return parts.length ? `[${parts.join(' / ')}]` : '';
}

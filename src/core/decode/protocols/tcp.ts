/*
 * TCP header (RFC 9293):
 *
 *   0               16              32
 *   +---------------+---------------+
 *   |  source port  |   dest port   |
 *   |        sequence number        |
 *   |     acknowledgment number     |
 *   |off|rsv|flags  |    window     |
 *   |   checksum    |urgent pointer |
 *   |   options (kind, length, value): 2 MSS, 3 window scale, 4 SACK-permitted, 8 timestamps
 *
 * Quoted packets (ICMP errors) often hold only 8 bytes: ports and sequence number are kept.
 */
import { K, type Layer } from '../layers';
import { defineProtocol, type ChecksumSpec } from '../protocol';
import { hex, tcpFlagNames, tcpFlagString, TCP_FLAG_BITS } from '../text';

export const TCP_CHECKSUM: ChecksumSpec = { layer: 'tcp', field: 16, cover: 'ip-payload', pseudoProto: 6, zeroIsNone: false };

const full = (l: Layer) => l.hdrEnd - l.start >= 20;

export const TCP = defineProtocol({
  id: K.TCP,
  name: 'tcp',
  label: 'TCP',
  register: [{ table: 'ip.proto', keys: [6] }],
  checksum: TCP_CHECKSUM,
  decode(x, o, end, depth, quoted) {
    const l = x.push(this, o, depth, quoted);
    if (!l) return true;
    const ip = x.d.layers[x.ip];
    const ipEnd = ip ? ip.claimedEnd : end;
    l.claimedEnd = ipEnd;
    l.end = end;
    const c = x.c;
    if (end - o >= 4) {
      l.srcPort = c.u16(o);
      l.dstPort = c.u16(o + 2);
    }
    if (end - o >= 8) l.seq = c.u32(o + 4);
    if (end - o < 20) {
      l.truncated = true;
      l.hdrEnd = end;
      if (!quoted) x.check(TCP_CHECKSUM, l);
      return true;
    }
    l.ack = c.u32(o + 8);
    const off = (c.u8(o + 12) >> 4) * 4;
    l.tcpFlags = c.u8(o + 13) | ((c.u8(o + 12) & 1) << 8);
    l.window = c.u16(o + 14);
    x.check(TCP_CHECKSUM, l);
    if (off < 20) {
      l.invalid = `TCP data offset ${off} < 20`;
      l.hdrEnd = o + 20;
      return true;
    }
    const hend = Math.min(end, o + off);
    if (hend < o + off) l.truncated = true;
    l.hdrEnd = hend;
    l.payloadLen = Math.max(0, ipEnd - (o + off));
    if (ipEnd > end) l.truncated = true;
    let p = o + 20;
    while (p < hend) {
      const kind = c.u8(p);
      if (kind === 0) break;
      if (kind === 1) {
        p++;
        continue;
      }
      if (p + 1 >= hend) break;
      const len = c.u8(p + 1);
      if (len < 2 || p + len > hend) break;
      if (kind === 2 && len === 4) l.mss = c.u16(p + 2);
      else if (kind === 3 && len === 3) l.wscale = c.u8(p + 2);
      else if (kind === 4) l.sackOk = true;
      else if (kind === 8 && len === 10) {
        l.tsVal = c.u32(p + 2);
        l.tsEcr = c.u32(p + 6);
      }
      p += len;
    }
    return true;
  },
  describe(l, d, out) {
    const o = l.start;
    out.field('tcp.srcport', l.srcPort, o, 2);
    out.field('tcp.dstport', l.dstPort, o + 2, 2);
    out.field('tcp.seq', l.seq, o + 4, 4);
    if (!full(l)) return `${l.srcPort} → ${l.dstPort}`;
    out.field('tcp.ack', l.ack, o + 8, 4);
    out.field('tcp.hdr_len', l.hdrEnd - o, o + 12, 1);
    out.field('tcp.flags', `${hex(l.tcpFlags, 3)} (${tcpFlagNames(l.tcpFlags)})`, o + 12, 2);
    out.field('tcp.window_size_value', l.window, o + 14, 2);
    out.field('tcp.checksum', hex((d.data[o + 16]! << 8) | d.data[o + 17]!), o + 16, 2);
    if (l.mss >= 0) out.field('tcp.options.mss_val', l.mss, o + 20, l.hdrEnd - o - 20);
    if (l.wscale >= 0) out.field('tcp.options.wscale', l.wscale, o + 20, l.hdrEnd - o - 20);
    if (l.tsVal >= 0) out.field('tcp.options.timestamp', `TSval ${l.tsVal} TSecr ${l.tsEcr}`, o + 20, l.hdrEnd - o - 20);
    out.field('tcp.len', l.payloadLen, l.hdrEnd, Math.min(l.payloadLen, d.data.length - l.hdrEnd));
    return `${l.srcPort} → ${l.dstPort} [${tcpFlagNames(l.tcpFlags)}] seq ${l.seq} len ${l.payloadLen}`;
  },
  fieldNames: {
    'tcp.srcport': { en: 'Source port', zh: '源端口' },
    'tcp.dstport': { en: 'Destination port', zh: '目的端口' },
    'tcp.seq': { en: 'Sequence number', zh: '序列号' },
    'tcp.ack': { en: 'Acknowledgment number', zh: '确认号' },
    'tcp.hdr_len': { en: 'Header length', zh: '首部长度' },
    'tcp.flags': { en: 'Flags', zh: '标志' },
    'tcp.window_size_value': { en: 'Window', zh: '窗口' },
    'tcp.checksum': { en: 'Checksum', zh: '校验和' },
    'tcp.options.mss_val': { en: 'MSS', zh: '最大报文段长度' },
    'tcp.options.wscale': { en: 'Window scale', zh: '窗口缩放' },
    'tcp.options.timestamp': { en: 'Timestamps', zh: '时间戳' },
    'tcp.len': { en: 'Payload length', zh: '载荷长度' },
  },
  fields: [
    { name: 'tcp.port', type: 'uint', values: (l) => [l.srcPort, l.dstPort] },
    { name: 'tcp.srcport', type: 'uint', values: (l) => [l.srcPort] },
    { name: 'tcp.dstport', type: 'uint', values: (l) => [l.dstPort] },
    { name: 'tcp.seq', type: 'uint', values: (l) => [l.seq] },
    { name: 'tcp.ack', type: 'uint', values: (l) => (full(l) ? [l.ack] : []) },
    { name: 'tcp.len', type: 'uint', values: (l) => (full(l) ? [l.payloadLen] : []) },
    { name: 'tcp.hdr_len', type: 'uint', values: (l) => (full(l) ? [l.hdrEnd - l.start] : []) },
    { name: 'tcp.window_size_value', type: 'uint', values: (l) => (full(l) ? [l.window] : []) },
    { name: 'tcp.flags', type: 'uint', values: (l) => (full(l) ? [l.tcpFlags] : []) },
    ...Object.entries(TCP_FLAG_BITS).map(([n, bit]) => ({
      name: `tcp.flags.${n}`,
      type: 'bool' as const,
      values: (l: Layer) => (full(l) ? [l.tcpFlags & bit ? 1 : 0] : []),
    })),
    { name: 'tcp.options.mss_val', type: 'uint', values: (l) => (l.mss >= 0 ? [l.mss] : []) },
  ],
  info: (l) => tcpInfo(l),
  anonymise(l, a) {
    // Ports, sequence numbers, flags and options are structure; the payload is blanked.
    a.keep(l.start, l.hdrEnd - l.start);
  },
});

/** One-line TCP text, tcpdump style (used by summaries). */
export function tcpInfo(l: Layer): string {
  let s = `TCP [${tcpFlagString(l.tcpFlags)}] seq ${l.seq}`;
  if (l.tcpFlags & 0x10) s += ` ack ${l.ack}`;
  return `${s} win ${l.window} len ${l.payloadLen}`;
}

/*
 * UDP header (RFC 768): source port(2) destination port(2) length(2) checksum(2).
 * The payload is looked up in the udp.port table by destination port, then source port (replies
 * from a VXLAN or DNS port are decoded too).
 */
import { K, type Layer } from '../layers';
import { defineProtocol, type ChecksumSpec, T } from '../protocol';
import { hex } from '../text';

export const UDP_CHECKSUM: ChecksumSpec = { layer: 'udp', field: 6, cover: 'udp-length', pseudoProto: 17, zeroIsNone: true };

const full = (l: Layer) => l.hdrEnd - l.start >= 8;

export const UDP = defineProtocol({
  id: K.UDP,
  name: 'udp',
  label: 'UDP',
  register: [{ table: 'ip.proto', keys: [17] }],
  checksum: UDP_CHECKSUM,
  decode(x, o, end, depth, quoted) {
    const l = x.push(this, o, depth, quoted);
    if (!l) return true;
    const c = x.c;
    const ip = x.d.layers[x.ip];
    const ipEnd = ip ? ip.claimedEnd : end;
    if (end - o >= 4) {
      l.srcPort = c.u16(o);
      l.dstPort = c.u16(o + 2);
    }
    if (end - o < 8) {
      l.truncated = true;
      l.hdrEnd = end;
      l.end = end;
      l.claimedEnd = o + 8;
      if (!quoted) x.check(UDP_CHECKSUM, l);
      return true;
    }
    let ulen = c.u16(o + 4);
    if (ulen === 0 && !quoted && ipEnd - o > 0xffff) ulen = ipEnd - o; // UDP GSO super-frame
    l.hdrEnd = o + 8;
    if (ulen < 8 || o + ulen > ipEnd) {
      // Length disagrees with IP: keep the IP payload, flag it.
      l.invalid = `UDP length ${ulen} does not fit the IP payload (${ipEnd - o})`;
      l.claimedEnd = ipEnd;
    } else l.claimedEnd = o + ulen;
    l.end = Math.min(end, l.claimedEnd);
    if (l.claimedEnd > end) l.truncated = true;
    l.payloadLen = l.claimedEnd - l.hdrEnd;
    x.check(UDP_CHECKSUM, l);
    x.nextEither(T.udpPort, l.dstPort, l.srcPort, o + 8, l.end, depth, quoted);
    return true;
  },
  describe(l, d, out) {
    const o = l.start;
    out.field('udp.srcport', l.srcPort, o, 2);
    out.field('udp.dstport', l.dstPort, o + 2, 2);
    if (!full(l)) return `${l.srcPort} → ${l.dstPort}`;
    out.field('udp.length', (d.data[o + 4]! << 8) | d.data[o + 5]!, o + 4, 2);
    out.field('udp.checksum', hex((d.data[o + 6]! << 8) | d.data[o + 7]!), o + 6, 2);
    return `${l.srcPort} → ${l.dstPort} len ${l.payloadLen}`;
  },
  info: (l) => `UDP len ${l.payloadLen}`,
  fieldNames: {
    'udp.srcport': { en: 'Source port', zh: '源端口' },
    'udp.dstport': { en: 'Destination port', zh: '目的端口' },
    'udp.length': { en: 'Length', zh: '长度' },
    'udp.checksum': { en: 'Checksum', zh: '校验和' },
  },
  fields: [
    { name: 'udp.port', type: 'uint', values: (l) => [l.srcPort, l.dstPort] },
    { name: 'udp.srcport', type: 'uint', values: (l) => [l.srcPort] },
    { name: 'udp.dstport', type: 'uint', values: (l) => [l.dstPort] },
    { name: 'udp.length', type: 'uint', values: (l, d) => (full(l) ? [(d.data[l.start + 4]! << 8) | d.data[l.start + 5]!] : []) },
    {
      name: 'udp.checksum',
      type: 'uint',
      values: (l, d) => (full(l) ? [(d.data[l.start + 6]! << 8) | d.data[l.start + 7]!] : []),
    },
  ],
  anonymise(l, a) {
    a.keep(l.start, Math.min(8, l.hdrEnd - l.start));
  },
});

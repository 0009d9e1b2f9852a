/*
 * Geneve (RFC 8926) on UDP 6081:
 *
 *   ver(2) optlen(6, 4-byte words) | O C rsvd(6) | protocol type(2)
 *   VNI(3) reserved(1) | options (optlen * 4 bytes)
 *
 * The protocol type is an ethertype (0x6558 for Ethernet); the payload is one level deeper.
 */
import { K } from '../layers';
import { defineProtocol, T } from '../protocol';
import { hex } from '../text';

export const GENEVE = defineProtocol({
  id: K.GENEVE,
  name: 'geneve',
  label: 'Geneve',
  register: [{ table: 'udp.port', keys: [6081] }],
  tunnel: true,
  decode(x, o, end, depth, quoted) {
    if (end - o < 8 || x.c.u8(o) >> 6 !== 0) return false;
    const l = x.push(this, o, depth, quoted);
    if (!l) return true;
    const c = x.c;
    const hlen = 8 + (c.u8(o) & 0x3f) * 4;
    l.etherType = c.u16(o + 2);
    l.tunnelId = (c.u8(o + 4) << 16) | (c.u8(o + 5) << 8) | c.u8(o + 6);
    l.end = end;
    l.claimedEnd = end;
    if (end - o < hlen) {
      l.truncated = true;
      l.hdrEnd = end;
      return true;
    }
    l.hdrEnd = o + hlen;
    x.next(T.ethertype, l.etherType, o + hlen, end, depth + 1, quoted);
    return true;
  },
  describe(l, _d, out) {
    out.field('geneve.vni', l.tunnelId, l.start + 4, 3);
    out.field('geneve.proto_type', hex(l.etherType), l.start + 2, 2);
    if (l.hdrEnd - l.start > 8)
      out.field('geneve.options', `${l.hdrEnd - l.start - 8} bytes`, l.start + 8, l.hdrEnd - l.start - 8);
    return `VNI ${l.tunnelId}`;
  },
  tunnelText: (l) => `Geneve vni ${l.tunnelId}`,
  fieldNames: {
    'geneve.vni': { en: 'VNI', zh: 'VNI' },
    'geneve.proto_type': { en: 'Protocol type', zh: '协议类型' },
    'geneve.options': { en: 'Options', zh: '选项' },
  },
  fields: [{ name: 'geneve.vni', type: 'uint', values: (l) => [l.tunnelId] }],
  anonymise(l, a) {
    // The fixed header; option contents (metadata such as security identities) are blanked.
    a.keep(l.start, 8);
  },
});

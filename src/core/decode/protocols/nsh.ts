/*
 * Network Service Header (RFC 8300):
 *
 *   ver(2) O(1) U(1) TTL(6) length(6, 4-byte words) | unassigned(4) MD type(4) next protocol(8)
 *   service path id(24) service index(8) | context headers ...
 *
 * A service-chain header, not a tunnel: its payload stays at the carrier's depth. Each NSH is a
 * layer, so a frame of thousands of stacked headers stops at the layer limit.
 */
import { defineProtocol, T } from '../protocol';

export const NSH = defineProtocol({
  id: 34,
  name: 'nsh',
  label: 'NSH',
  register: [
    { table: 'nextproto', keys: [4] },
    { table: 'ethertype', keys: [0x894f] },
  ],
  decode(x, o, end, depth, quoted) {
    if (end - o < 8) return false;
    const hlen = (x.c.u8(o + 1) & 0x3f) * 4;
    if (hlen < 8 || end - o < hlen) return false;
    const l = x.push(this, o, depth, quoted);
    if (!l) return true;
    l.etherType = x.c.u8(o + 3);
    l.tunnelId = x.c.u32(o + 4) >>> 8; // service path id
    l.msgType = x.c.u8(o + 7); // service index
    l.hdrEnd = o + hlen;
    l.end = end;
    l.claimedEnd = end;
    x.next(T.nextproto, l.etherType, o + hlen, end, depth, quoted);
    return true;
  },
  describe(l, _d, out) {
    out.field('nsh.spi', l.tunnelId, l.start + 4, 3);
    out.field('nsh.si', l.msgType, l.start + 7, 1);
    out.field('nsh.next_proto', l.etherType, l.start + 3, 1);
    return `SPI ${l.tunnelId} SI ${l.msgType}`;
  },
  fieldNames: {
    'nsh.spi': { en: 'Service path', zh: '服务路径' },
    'nsh.si': { en: 'Service index', zh: '服务索引' },
    'nsh.next_proto': { en: 'Next protocol', zh: '下一协议' },
  },
  fields: [{ name: 'nsh.spi', type: 'uint', values: (l) => [l.tunnelId] }],
  anonymise(l, a) {
    a.keep(l.start, 8); // context headers are blanked
  },
});

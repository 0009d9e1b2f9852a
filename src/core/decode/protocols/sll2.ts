/*
 * Linux cooked capture v2 (LINKTYPE_LINUX_SLL2, 20 bytes):
 *
 *   0        2          4           8        10        11        12                    20
 *   +--------+----------+-----------+--------+---------+---------+---------------------+
 *   |protocol| reserved | if index  | ARPHRD | pkttype | addrlen | link-layer addr (8) |
 *   +--------+----------+-----------+--------+---------+---------+---------------------+
 */
import { K } from '../layers';
import { defineProtocol, T } from '../protocol';
import { hex, macString } from '../text';
import { PKTTYPE } from './sll';

export const SLL2 = defineProtocol({
  id: K.SLL2,
  name: 'sll2',
  label: 'Linux cooked v2',
  register: [{ table: 'link', keys: [276] }],
  decode(x, o, end, depth, quoted) {
    const l = x.push(this, o, depth, quoted);
    if (!l) return true;
    if (end - o < 20) return x.cut(l, end, 20);
    l.etherType = x.c.u16(o);
    l.tunnelId = x.c.u32(o + 4); // interface index
    l.msgType = x.c.u8(o + 10);
    l.hdrEnd = o + 20;
    l.end = end;
    l.claimedEnd = end;
    x.next(T.ethertype, l.etherType, o + 20, end, depth, quoted);
    return true;
  },
  describe(l, d, out) {
    if (l.truncated) return '';
    out.field('sll.etype', hex(l.etherType), l.start, 2);
    out.field('sll.ifindex', l.tunnelId, l.start + 4, 4);
    out.field('sll.pkttype', PKTTYPE[l.msgType] ?? l.msgType, l.start + 10, 1);
    if (d.data[l.start + 11] === 6) out.field('sll.src', macString(d.data, l.start + 12), l.start + 12, 6);
    return `if ${l.tunnelId}, ${PKTTYPE[l.msgType] ?? l.msgType}`;
  },
  fieldNames: {
    'sll.etype': { en: 'Protocol', zh: '协议' },
    'sll.ifindex': { en: 'Interface index', zh: '接口索引' },
    'sll.pkttype': { en: 'Packet type', zh: '报文方向' },
    'sll.src': { en: 'Source', zh: '源地址' },
  },
  fields: [{ name: 'sll.ifindex', type: 'uint', values: (l) => (l.tunnelId >= 0 ? [l.tunnelId] : []) }],
  anonymise(l, a) {
    if (l.truncated) return;
    a.keep(l.start, 12);
    a.mac(l.start + 12);
  },
});

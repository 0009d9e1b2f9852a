/*
 * Linux cooked capture v1 (`tcpdump -i any`, LINKTYPE_LINUX_SLL, 16 bytes):
 *
 *   0       2        4         6                       14       16
 *   +-------+--------+---------+-----------------------+--------+
 *   |pkttype| ARPHRD | addrlen | link-layer address (8)|protocol|
 *   +-------+--------+---------+-----------------------+--------+
 */
import { K } from '../layers';
import { defineProtocol, T } from '../protocol';
import { hex, macString } from '../text';

export const SLL = defineProtocol({
  id: K.SLL,
  name: 'sll',
  label: 'Linux cooked',
  register: [{ table: 'link', keys: [113] }],
  decode(x, o, end, depth, quoted) {
    const l = x.push(this, o, depth, quoted);
    if (!l) return true;
    if (end - o < 16) return x.cut(l, end, 16);
    l.msgType = x.c.u16(o);
    l.etherType = x.c.u16(o + 14);
    l.hdrEnd = o + 16;
    l.end = end;
    l.claimedEnd = end;
    x.next(T.ethertype, l.etherType, o + 16, end, depth, quoted);
    return true;
  },
  describe(l, d, out) {
    if (l.truncated) return '';
    out.field('sll.pkttype', PKTTYPE[l.msgType] ?? l.msgType, l.start, 2);
    if (((d.data[l.start + 4]! << 8) | d.data[l.start + 5]!) === 6)
      out.field('sll.src', macString(d.data, l.start + 6), l.start + 6, 6);
    out.field('sll.etype', hex(l.etherType), l.start + 14, 2);
    return PKTTYPE[l.msgType] ?? '';
  },
  fieldNames: {
    'sll.pkttype': { en: 'Packet type', zh: '报文方向' },
    'sll.src': { en: 'Source', zh: '源地址' },
    'sll.etype': { en: 'Protocol', zh: '协议' },
  },
  fields: [{ name: 'sll.pkttype', type: 'uint', values: (l) => (l.msgType >= 0 ? [l.msgType] : []) }],
  anonymise(l, a) {
    if (l.truncated) return;
    a.keep(l.start, 6);
    a.mac(l.start + 6);
    a.keep(l.start + 14, 2);
  },
});

/** Linux packet types (the direction of an `-i any` capture). */
export const PKTTYPE: Record<number, string> = {
  0: 'to us',
  1: 'broadcast',
  2: 'multicast',
  3: 'to another host',
  4: 'sent by us',
};

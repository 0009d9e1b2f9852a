/*
 * Cisco MetaData (ethertype 0x8909, 8 bytes) carrying a security group tag:
 *   on Ethernet:  version(1) length(1) option type(2) SGT(2) | ethertype(2)
 *   in GRE the ethertype comes first: ethertype(2) | version(1) length(1) option(2) SGT(2)
 *   (as in tcpdump's various_gre.pcap)
 */
import { defineProtocol, T } from '../protocol';

export const CISCO_METADATA = defineProtocol({
  id: 36,
  name: 'cmd',
  label: 'Cisco MetaData',
  register: [{ table: 'ethertype', keys: [0x8909] }],
  decode(x, o, end, depth, quoted) {
    const l = x.push(this, o, depth, quoted);
    if (!l) return true;
    if (end - o < 8) return x.cut(l, end, 8);
    const c = x.c;
    const greOrder = c.u8(o + 2) === 1 && c.u8(o) !== 1;
    l.etherType = c.u16(greOrder ? o : o + 6);
    l.tunnelId = c.u16(greOrder ? o + 6 : o + 4); // SGT
    l.hdrEnd = o + 8;
    l.end = end;
    l.claimedEnd = end;
    x.next(T.ethertype, l.etherType, o + 8, end, depth, quoted);
    return true;
  },
  describe(l, _d, out) {
    out.field('cmd.sgt', l.tunnelId, l.start, 8);
    return `SGT ${l.tunnelId}`;
  },
  fieldNames: { 'cmd.sgt': { en: 'Security group tag', zh: '安全组标签' } },
  anonymise(l, a) {
    a.keep(l.start, l.hdrEnd - l.start);
  },
});

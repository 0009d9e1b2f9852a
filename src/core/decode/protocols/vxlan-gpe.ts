/*
 * VXLAN-GPE (generic protocol extension) on UDP 4790:
 *
 *   flags(1) reserved(2) next protocol(1) | VNI(3) reserved(1)
 *   next protocol (nextproto table): 1 IPv4, 2 IPv6, 3 Ethernet, 4 NSH, 5 MPLS
 */
import { defineProtocol, T } from '../protocol';
import { K } from '../layers';

export const VXLAN_GPE = defineProtocol({
  id: K.VXLAN_GPE,
  name: 'vxlan-gpe',
  label: 'VXLAN-GPE',
  register: [{ table: 'udp.port', keys: [4790] }],
  tunnel: true,
  decode(x, o, end, depth, quoted) {
    if (end - o < 8) return false;
    const l = x.push(this, o, depth, quoted);
    if (!l) return true;
    l.tunnelId = (x.c.u8(o + 4) << 16) | (x.c.u8(o + 5) << 8) | x.c.u8(o + 6);
    l.etherType = x.c.u8(o + 3);
    l.hdrEnd = o + 8;
    l.end = end;
    l.claimedEnd = end;
    x.next(T.nextproto, l.etherType, o + 8, end, depth + 1, quoted);
    return true;
  },
  describe(l, _d, out) {
    out.field('vxlan.vni', l.tunnelId, l.start + 4, 3);
    out.field('vxlan.next_proto', l.etherType, l.start + 3, 1);
    return `VNI ${l.tunnelId}`;
  },
  tunnelText: (l) => `VXLAN-GPE vni ${l.tunnelId}`,
  fieldNames: { 'vxlan.vni': { en: 'VNI', zh: 'VNI' }, 'vxlan.next_proto': { en: 'Next protocol', zh: '下一协议' } },
  fields: [{ name: 'vxlan-gpe.vni', type: 'uint', values: (l) => [l.tunnelId] }],
  anonymise(l, a) {
    a.keep(l.start, 8);
  },
});

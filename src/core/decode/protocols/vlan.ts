/*
 * 802.1Q / 802.1ad tag, after the Ethernet type field that announced it:
 *
 *   +---+-+------------+--------+
 *   |PCP|D|  VLAN id   |  type  |     TCI (2 bytes) then the next type (2 bytes)
 *   +---+-+------------+--------+
 */
import { K } from '../layers';
import { defineProtocol, T } from '../protocol';
import { hex } from '../text';

export const VLAN = defineProtocol({
  id: K.VLAN,
  name: 'vlan',
  label: '802.1Q',
  register: [{ table: 'ethertype', keys: [0x8100, 0x88a8, 0x9100, 0x9200] }],
  decode(x, o, end, depth, quoted) {
    const l = x.push(this, o, depth, quoted);
    if (!l) return true;
    if (end - o < 4) return x.cut(l, end, 4);
    l.vlan = x.c.u16(o) & 0x0fff;
    l.etherType = x.c.u16(o + 2);
    l.hdrEnd = o + 4;
    l.end = end;
    l.claimedEnd = end;
    x.next(T.ethertype, l.etherType, o + 4, end, depth, quoted);
    return true;
  },
  describe(l, _d, out) {
    if (l.vlan < 0) return '';
    out.field('vlan.id', l.vlan, l.start, 2);
    out.field('vlan.etype', hex(l.etherType), l.start + 2, 2);
    return `VLAN ${l.vlan}`;
  },
  fieldNames: { 'vlan.id': { en: 'VLAN ID', zh: 'VLAN ID' }, 'vlan.etype': { en: 'Type', zh: '类型' } },
  fields: [{ name: 'vlan.id', type: 'uint', values: (l) => (l.vlan >= 0 ? [l.vlan] : []) }],
  anonymise(l, a) {
    if (!l.truncated) a.keep(l.start, 4);
  },
});

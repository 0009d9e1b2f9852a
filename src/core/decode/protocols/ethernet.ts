/*
 * Ethernet II (also the payload of VXLAN, Geneve, GRE/TEB and VXLAN-GPE next protocol 3):
 *
 *   0                6                12     14
 *   +----------------+----------------+------+---------
 *   | destination    | source         | type | payload ...
 *   +----------------+----------------+------+---------
 *
 * The type is looked up in the ethertype table (VLAN tags register there too, so stacked tags
 * are just more steps of the driver loop).
 */
import { K } from '../layers';
import { defineProtocol, T } from '../protocol';
import { hex, macString } from '../text';

export const ETHERNET = defineProtocol({
  id: K.ETH,
  name: 'eth',
  label: 'Ethernet',
  register: [
    { table: 'link', keys: [1] },
    { table: 'ethertype', keys: [0x6558] }, // transparent Ethernet bridging (GRE, Geneve)
    { table: 'nextproto', keys: [3] },
  ],
  decode(x, o, end, depth, quoted) {
    const l = x.push(this, o, depth, quoted);
    if (!l) return true;
    if (end - o < 14) return x.cut(l, end, 14);
    const type = x.c.u16(o + 12);
    l.etherType = type;
    l.hdrEnd = o + 14;
    l.end = end;
    l.claimedEnd = end;
    x.next(T.ethertype, type, o + 14, end, depth, quoted);
    return true;
  },
  describe(l, d, out) {
    if (l.hdrEnd - l.start < 14) return '';
    const dst = macString(d.data, l.start);
    const src = macString(d.data, l.start + 6);
    out.field('eth.dst', dst, l.start, 6);
    out.field('eth.src', src, l.start + 6, 6);
    out.field('eth.type', hex(l.etherType), l.start + 12, 2);
    return `${src} → ${dst}`;
  },
  fieldNames: {
    'eth.dst': { en: 'Destination', zh: '目的地址' },
    'eth.src': { en: 'Source', zh: '源地址' },
    'eth.type': { en: 'Type', zh: '类型' },
  },
  fields: [
    {
      name: 'eth.addr',
      type: 'string',
      values: (l, d) => (l.hdrEnd - l.start < 14 ? [] : [macString(d.data, l.start), macString(d.data, l.start + 6)]),
    },
    { name: 'eth.dst', type: 'string', values: (l, d) => (l.hdrEnd - l.start < 14 ? [] : [macString(d.data, l.start)]) },
    { name: 'eth.src', type: 'string', values: (l, d) => (l.hdrEnd - l.start < 14 ? [] : [macString(d.data, l.start + 6)]) },
    { name: 'eth.type', type: 'uint', values: (l) => (l.hdrEnd - l.start < 14 ? [] : [l.etherType]) },
  ],
  anonymise(l, a) {
    if (l.hdrEnd - l.start < 14) return;
    a.mac(l.start);
    a.mac(l.start + 6);
    a.keep(l.start + 12, 2);
  },
});

/*
 * MPLS label stack entries (4 bytes each): label(20) TC(3) S(1) TTL(8). After the bottom of the
 * stack (S=1) the payload has no type field: IPv4 or IPv6 is guessed from the version nibble.
 * The stack is one layer; its length is bounded by the bytes present.
 */
import { K } from '../layers';
import { defineProtocol } from '../protocol';
import { IP_ANY } from './ip-any';

export const MPLS = defineProtocol({
  id: K.MPLS,
  name: 'mpls',
  label: 'MPLS',
  register: [
    { table: 'ethertype', keys: [0x8847, 0x8848] },
    { table: 'ppp.proto', keys: [0x0281, 0x0283] },
    { table: 'nextproto', keys: [5] },
  ],
  decode(x, o, end, depth, quoted) {
    const l = x.push(this, o, depth, quoted);
    if (!l) return true;
    let p = o;
    for (;;) {
      if (end - p < 4) return x.cut(l, end, p - o + 4);
      const bos = x.c.u8(p + 2) & 1;
      if (p === o) l.tunnelId = x.c.u32(p) >>> 12; // top label
      p += 4;
      if (bos) break;
    }
    l.hdrEnd = p;
    l.end = end;
    l.claimedEnd = end;
    if (end > p) {
      const v = x.c.u8(p) >> 4;
      if (v === 4 || v === 6) x.nextWith(IP_ANY, p, end, depth, quoted);
    }
    return true;
  },
  describe(l, _d, out) {
    out.field('mpls.label', l.tunnelId, l.start, 3);
    out.field('mpls.depth', (l.hdrEnd - l.start) / 4, l.start, l.hdrEnd - l.start);
    return `label ${l.tunnelId}`;
  },
  fieldNames: { 'mpls.label': { en: 'Top label', zh: '顶层标签' }, 'mpls.depth': { en: 'Labels', zh: '标签数' } },
  fields: [{ name: 'mpls.label', type: 'uint', values: (l) => (l.tunnelId >= 0 ? [l.tunnelId] : []) }],
  anonymise(l, a) {
    a.keep(l.start, l.hdrEnd - l.start);
  },
});

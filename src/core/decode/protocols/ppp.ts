/*
 * PPP (LINKTYPE_PPP 9, PPP in HDLC-like framing 50, PPTP's enhanced GRE, PPPoE sessions):
 * optional address 0xff + control 0x03, then a 1-byte (compressed, odd) or 2-byte protocol.
 */
import { K } from '../layers';
import { defineProtocol, T } from '../protocol';
import { hex } from '../text';

export const PPP = defineProtocol({
  id: K.PPP,
  name: 'ppp',
  label: 'PPP',
  register: [
    { table: 'link', keys: [9, 50] },
    { table: 'ethertype', keys: [0x880b] },
  ],
  decode(x, o, end, depth, quoted) {
    const l = x.push(this, o, depth, quoted);
    if (!l) return true;
    let p = o;
    if (end - p >= 2 && x.c.u8(p) === 0xff && x.c.u8(p + 1) === 0x03) p += 2;
    if (end - p < 1) return x.cut(l, end, p - o + 2);
    let proto = x.c.u8(p);
    if (proto & 1)
      p += 1; // protocol field compression
    else {
      if (end - p < 2) return x.cut(l, end, p - o + 2);
      proto = x.c.u16(p);
      p += 2;
    }
    l.etherType = proto;
    l.hdrEnd = p;
    l.end = end;
    l.claimedEnd = end;
    x.next(T.pppProto, proto, p, end, depth, quoted);
    return true;
  },
  describe(l, _d, out) {
    out.field(
      'ppp.protocol',
      `${hex(l.etherType)}${PPP_NAMES[l.etherType] ? ` (${PPP_NAMES[l.etherType]})` : ''}`,
      l.hdrEnd - 2,
      2,
    );
    return PPP_NAMES[l.etherType] ?? hex(l.etherType);
  },
  fieldNames: { 'ppp.protocol': { en: 'Protocol', zh: '协议' } },
  fields: [{ name: 'ppp.protocol', type: 'uint', values: (l) => (l.truncated ? [] : [l.etherType]) }],
  anonymise(l, a) {
    a.keep(l.start, l.hdrEnd - l.start);
  },
});

const PPP_NAMES: Record<number, string> = {
  0x0021: 'IPv4',
  0x0057: 'IPv6',
  0x0281: 'MPLS',
  0xc021: 'LCP',
  0xc023: 'PAP',
  0xc223: 'CHAP',
  0x8021: 'IPCP',
  0x8057: 'IPV6CP',
};

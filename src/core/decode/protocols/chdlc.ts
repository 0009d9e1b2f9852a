/*
 * Cisco HDLC (LINKTYPE_C_HDLC 104), the default encapsulation of Cisco serial links:
 *
 *   address(1: 0x0f unicast, 0x8f broadcast) | control(1: 0) | protocol(2: an ethertype)
 *
 * Protocol 0x8035 is SLARP (serial line address resolution), not RARP, on these links.
 */
import { defineProtocol, T } from '../protocol';
import { hex } from '../text';

const SLARP = 0x8035;

export const CHDLC = defineProtocol({
  id: 13,
  name: 'chdlc',
  label: 'Cisco HDLC',
  register: [{ table: 'link', keys: [104] }],
  decode(x, o, end, depth, quoted) {
    const l = x.push(this, o, depth, quoted);
    if (!l) return true;
    if (end - o < 4) return x.cut(l, end, 4);
    l.msgType = x.c.u8(o);
    l.etherType = x.c.u16(o + 2);
    l.hdrEnd = o + 4;
    l.end = end;
    l.claimedEnd = end;
    if (l.etherType !== SLARP) x.next(T.ethertype, l.etherType, o + 4, end, depth, quoted);
    return true;
  },
  describe(l, _d, out) {
    out.field('chdlc.address', `${hex(l.msgType, 2)} (${l.msgType === 0x8f ? 'broadcast' : 'unicast'})`, l.start, 1);
    out.field('chdlc.protocol', `${hex(l.etherType)}${l.etherType === SLARP ? ' (SLARP)' : ''}`, l.start + 2, 2);
    return l.etherType === SLARP ? 'SLARP' : hex(l.etherType);
  },
  info: (l) => (l.etherType === SLARP ? 'SLARP' : `Cisco HDLC ${hex(l.etherType)}`),
  fieldNames: { 'chdlc.address': { en: 'Address', zh: '地址' }, 'chdlc.protocol': { en: 'Protocol', zh: '协议' } },
  fields: [{ name: 'chdlc.protocol', type: 'uint', values: (l) => (l.truncated ? [] : [l.etherType]) }],
  anonymise(l, a) {
    a.keep(l.start, Math.min(4, l.hdrEnd - l.start)); // SLARP addresses are blanked
  },
});

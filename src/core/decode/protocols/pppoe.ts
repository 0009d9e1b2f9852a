/*
 * PPPoE (RFC 2516), common on DSL links. Discovery (ethertype 0x8863) and session (0x8864)
 * share one 6-byte header:
 *
 *   ver(4)=1 type(4)=1 | code(1) | session id(2) | payload length(2)
 *
 * Discovery codes: PADI 0x09, PADO 0x07, PADR 0x19, PADS 0x65, PADT 0xa7; their payload is tags.
 * Session data (code 0) carries PPP starting at its protocol field.
 */
import { defineProtocol } from '../protocol';
import { hex } from '../text';
import { PPP } from './ppp';

const CODES: Record<number, string> = {
  0x00: 'Session Data',
  0x09: 'PADI',
  0x07: 'PADO',
  0x19: 'PADR',
  0x65: 'PADS',
  0xa7: 'PADT',
};

export const PPPOE = defineProtocol({
  id: 12,
  name: 'pppoe',
  label: 'PPPoE',
  register: [{ table: 'ethertype', keys: [0x8863, 0x8864] }],
  decode(x, o, end, depth, quoted) {
    const l = x.push(this, o, depth, quoted);
    if (!l) return true;
    if (end - o < 6) return x.cut(l, end, 6);
    const c = x.c;
    l.msgType = c.u8(o + 1);
    l.tunnelId = c.u16(o + 2);
    const len = c.u16(o + 4);
    l.hdrEnd = o + 6;
    l.claimedEnd = o + 6 + len;
    l.end = Math.min(end, l.claimedEnd);
    if (l.claimedEnd > end) l.truncated = true;
    if (l.msgType === 0 && l.end > l.hdrEnd) x.nextWith(PPP, l.hdrEnd, l.end, depth, quoted);
    return true;
  },
  describe(l, _d, out) {
    if (l.msgType < 0) return '';
    out.field('pppoe.code', `${hex(l.msgType, 2)} (${CODES[l.msgType] ?? '?'})`, l.start + 1, 1);
    out.field('pppoe.session_id', hex(l.tunnelId), l.start + 2, 2);
    out.field('pppoe.payload_length', l.claimedEnd - l.hdrEnd, l.start + 4, 2);
    return `${CODES[l.msgType] ?? hex(l.msgType, 2)} session ${hex(l.tunnelId)}`;
  },
  info: (l) => `PPPoE ${CODES[l.msgType] ?? hex(l.msgType, 2)} session ${hex(l.tunnelId)}`,
  fieldNames: {
    'pppoe.code': { en: 'Code', zh: '代码' },
    'pppoe.session_id': { en: 'Session ID', zh: '会话 ID' },
    'pppoe.payload_length': { en: 'Payload length', zh: '载荷长度' },
  },
  fields: [
    { name: 'pppoe.code', type: 'uint', values: (l) => (l.msgType >= 0 ? [l.msgType] : []) },
    { name: 'pppoe.session_id', type: 'uint', values: (l) => (l.tunnelId >= 0 ? [l.tunnelId] : []) },
  ],
  anonymise(l, a) {
    a.keep(l.start, Math.min(6, l.hdrEnd - l.start)); // discovery tags (names, cookies) are blanked
  },
});

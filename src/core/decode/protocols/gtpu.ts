/*
 * GTP-U (3GPP TS 29.281) on UDP 2152, the user plane of mobile networks:
 *
 *   0        1        2                 4                                   8
 *   +--------+--------+-----------------+-----------------------------------+
 *   | flags  |  type  |  length         |  TEID                             |
 *   +--------+--------+-----------------+-----------------------------------+
 *   flags: version(3)=1 PT(1)=1 reserved(1) E(1) S(1) PN(1)
 *   if E|S|PN: sequence(2) N-PDU(1) next extension type(1)
 *   extension headers: length(1, in 4-byte units) contents ... next extension type(1) (0 ends)
 *
 * `length` counts the bytes after the first 8. A G-PDU (type 255) carries an IP packet, one
 * tunnel level deeper; other messages (echo, error indication, end marker) carry none.
 */
import { defineProtocol } from '../protocol';
import { hex } from '../text';
import { IP_ANY } from './ip-any';

/** Extension header chain guard: far more than any real packet. */
const MAX_EXTENSIONS = 16;

const TYPES: Record<number, string> = {
  1: 'Echo Request',
  2: 'Echo Response',
  26: 'Error Indication',
  31: 'Supported Extension Headers',
  254: 'End Marker',
  255: 'T-PDU',
};

export const GTPU = defineProtocol({
  id: 35,
  name: 'gtp',
  label: 'GTP-U',
  register: [{ table: 'udp.port', keys: [2152] }],
  tunnel: true,
  decode(x, o, end, depth, quoted) {
    const c = x.c;
    if (end - o < 8 || c.u8(o) >> 5 !== 1 || (c.u8(o) & 0x10) === 0) return false;
    const l = x.push(this, o, depth, quoted);
    if (!l) return true;
    const flags = c.u8(o);
    l.msgType = c.u8(o + 1);
    l.tunnelId = c.u32(o + 4);
    l.claimedEnd = o + 8 + c.u16(o + 2);
    l.end = Math.min(end, l.claimedEnd);
    if (l.claimedEnd > end) l.truncated = true;
    let p = o + 8;
    if (flags & 0x07) {
      if (l.end - p < 4) return x.cut(l, l.end, 12);
      let next = c.u8(p + 3);
      p += 4;
      for (let i = 0; next !== 0; i++) {
        if (i >= MAX_EXTENSIONS || l.end - p < 4) {
          l.truncated = true;
          l.hdrEnd = Math.min(p, l.end);
          return true;
        }
        const n = c.u8(p) * 4;
        if (n === 0 || l.end - p < n) {
          l.invalid = n === 0 ? 'GTP extension header of length 0' : '';
          l.truncated = n !== 0;
          l.hdrEnd = Math.min(p, l.end);
          return true;
        }
        next = c.u8(p + n - 1);
        p += n;
      }
    }
    l.hdrEnd = p;
    if (l.msgType === 255 && l.end > p) x.nextWith(IP_ANY, p, l.end, depth + 1, quoted);
    return true;
  },
  describe(l, _d, out) {
    out.field('gtp.message', `${l.msgType} (${TYPES[l.msgType] ?? '?'})`, l.start + 1, 1);
    out.field('gtp.teid', hex(l.tunnelId, 8), l.start + 4, 4);
    if (l.hdrEnd - l.start > 8) out.field('gtp.ext', `${l.hdrEnd - l.start - 8} bytes`, l.start + 8, l.hdrEnd - l.start - 8);
    return `TEID ${hex(l.tunnelId, 8)}`;
  },
  tunnelText: (l) => `GTP-U teid ${hex(l.tunnelId, 8)}`,
  info: (l) => `GTP-U ${TYPES[l.msgType] ?? l.msgType} teid ${hex(l.tunnelId, 8)}`,
  fieldNames: {
    'gtp.message': { en: 'Message type', zh: '消息类型' },
    'gtp.teid': { en: 'TEID', zh: '隧道端点标识' },
    'gtp.ext': { en: 'Sequence and extension headers', zh: '序列号与扩展首部' },
  },
  fields: [
    { name: 'gtp.teid', type: 'uint', values: (l) => [l.tunnelId] },
    { name: 'gtp.message', type: 'uint', values: (l) => [l.msgType] },
  ],
  anonymise(l, a) {
    // Fixed header and the extension chain's structure; a TEID names a tunnel, not a subscriber.
    a.keep(l.start, l.hdrEnd - l.start);
  },
});

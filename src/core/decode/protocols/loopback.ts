/*
 * BSD loopback (LINKTYPE_NULL 0, LINKTYPE_LOOP 108): a 4-byte address family, in the writer's
 * byte order for NULL and in network order for LOOP. AF_INET is 2 everywhere; AF_INET6 is 10
 * (Linux), 24 (NetBSD/OpenBSD), 28 (FreeBSD), 30 (macOS).
 */
import { K } from '../layers';
import { defineProtocol } from '../protocol';
import { IP_ANY } from './ip-any';

const AF_IP = new Set([2, 10, 24, 28, 30]);

export const LOOPBACK = defineProtocol({
  id: K.LOOP,
  name: 'null',
  label: 'Loopback',
  register: [{ table: 'link', keys: [0, 108] }],
  decode(x, o, end, depth, quoted) {
    const l = x.push(this, o, depth, quoted);
    if (!l) return true;
    if (end - o < 4) return x.cut(l, end, 4);
    const be = x.c.u32(o);
    const af = x.d.linkType === 108 || be < 256 ? be : x.c.u32le(o);
    l.etherType = af;
    l.hdrEnd = o + 4;
    l.end = end;
    l.claimedEnd = end;
    if (AF_IP.has(af)) x.nextWith(IP_ANY, o + 4, end, depth, quoted);
    return true;
  },
  describe(l, _d, out) {
    out.field('null.family', l.etherType, l.start, 4);
    return `family ${l.etherType}`;
  },
  fieldNames: { 'null.family': { en: 'Address family', zh: '地址族' } },
  anonymise(l, a) {
    if (!l.truncated) a.keep(l.start, 4);
  },
});

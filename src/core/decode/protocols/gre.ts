/*
 * GRE (RFC 2784/2890, and PPTP's enhanced GRE, RFC 2637):
 *
 *   C R K S s recur(3) A flags(4) ver(3) | protocol type(2)
 *   [checksum(2) reserved(2)] if C or R | [key(4)] if K | [sequence(4)] if S | [ack(4)] if A (v1)
 *
 * The payload is one tunnel level deeper: PPP for version 1, otherwise the protocol type is an
 * ethertype (gre.proto falls back to the ethertype table). Type 0 is a keepalive: a whole IP
 * packet to be sent back.
 */
import { K } from '../layers';
import { defineProtocol, T } from '../protocol';
import { hex } from '../text';
import { IP_ANY } from './ip-any';
import { PPP } from './ppp';

export const GRE = defineProtocol({
  id: K.GRE,
  name: 'gre',
  label: 'GRE',
  register: [{ table: 'ip.proto', keys: [47] }],
  tunnel: true,
  decode(x, o, end, depth, quoted) {
    const ip = x.ip >= 0 ? x.d.layers[x.ip]! : null;
    if (ip && ip.fragment) return true; // the GRE header may be split
    const l = x.push(this, o, depth, quoted);
    if (!l) return true;
    if (end - o < 4) return x.cut(l, end, 4);
    const c = x.c;
    const flags = c.u16(o);
    const proto = c.u16(o + 2);
    const ver = flags & 7;
    l.etherType = proto;
    let hlen = 4;
    if (flags & 0x8000 || flags & 0x4000) hlen += 4;
    const keyOff = o + hlen;
    if (flags & 0x2000) hlen += 4;
    if (flags & 0x1000) hlen += 4;
    if (ver === 1 && flags & 0x0080) hlen += 4;
    l.end = end;
    l.claimedEnd = end;
    if (end - o < hlen) {
      l.truncated = true;
      l.hdrEnd = end;
      return true;
    }
    if (flags & 0x2000) l.tunnelId = c.u32(keyOff);
    l.hdrEnd = o + hlen;
    const p = o + hlen;
    if (ver === 1) {
      if (end > p) x.nextWith(PPP, p, end, depth + 1, quoted);
    } else if (proto === 0x0000) {
      if (end > p && c.u8(p) >> 4 === 4) x.nextWith(IP_ANY, p, end, depth + 1, quoted);
    } else x.next(T.greProto, proto, p, end, depth + 1, quoted);
    return true;
  },
  describe(l, _d, out) {
    out.field('gre.proto', hex(l.etherType), l.start + 2, 2);
    if (l.tunnelId >= 0) out.field('gre.key', hex(l.tunnelId, 8), l.start + 4, 4);
    return l.tunnelId >= 0 ? `key ${hex(l.tunnelId, 8)}` : hex(l.etherType);
  },
  tunnelText: () => 'GRE',
  fieldNames: { 'gre.proto': { en: 'Protocol type', zh: '协议类型' }, 'gre.key': { en: 'Key', zh: '密钥' } },
  fields: [
    { name: 'gre.proto', type: 'uint', values: (l) => (l.truncated ? [] : [l.etherType]) },
    { name: 'gre.key', type: 'uint', values: (l) => (l.tunnelId >= 0 ? [l.tunnelId] : []) },
  ],
  anonymise(l, a) {
    // Flags, type, key and sequence numbers identify the tunnel, not a person: kept.
    a.keep(l.start, l.hdrEnd - l.start);
  },
});

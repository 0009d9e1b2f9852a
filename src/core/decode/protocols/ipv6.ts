/*
 * IPv6 fixed header (40 bytes), then the extension header chain:
 *
 *   0       4               12                      24      32
 *   +-------+---------------+-----------------------+
 *   |version| traffic class |      flow label       |
 *   +-------+---------------+-------+-------+-------+
 *   |      payload length   | next  | hop limit     |
 *   +-----------------------+-------+---------------+
 *   |                 source address (16)           |
 *   |              destination address (16)         |
 *
 * Hop-by-hop (0), routing (43), destination options (60) and AH (51) are walked (bounded);
 * a fragment header (44) sets the fragment fields. With a routing header that still has segments
 * left, the transport pseudo-header uses the final destination (RFC 8200 §8.1).
 */
import { K, type Layer } from '../layers';
import { defineProtocol, T } from '../protocol';
import { ipv6String } from '../text';

const P6_HOPOPT = 0;
const P6_ROUTING = 43;
const P6_FRAGMENT = 44;
const P6_AH = 51;
const P6_NONE = 59;
const P6_DSTOPTS = 60;
/** Extension header chain guard (libpcap's test file has ~90 headers). */
const MAX_EXT_HEADERS = 256;

const has = (l: Layer) => l.srcOff > 0;

/** Length of the extension header `next` at `p`, or 0 for "not an extension header". */
function extLen(next: number, b: Uint8Array, p: number): number {
  if (next === P6_FRAGMENT) return 8;
  if (next === P6_AH) return (b[p + 1]! + 2) * 4;
  if (next === P6_HOPOPT || next === P6_ROUTING || next === P6_DSTOPTS) return (b[p + 1]! + 1) * 8;
  return 0;
}

export const IPV6 = defineProtocol({
  id: K.IPV6,
  name: 'ipv6',
  label: 'IPv6',
  decode(x, o, end, depth, quoted) {
    const l = x.push(this, o, depth, quoted);
    if (!l) return true;
    l.ipVersion = 6;
    if (end - o < 40) return x.cut(l, end, 40);
    const c = x.c;
    let plen = c.u16(o + 4);
    if (plen === 0 && !quoted) plen = end - o - 40; // jumbogram or GSO: trust the capture
    l.ttl = c.u8(o + 7);
    l.srcOff = o + 8;
    l.dstOff = o + 24;
    l.pseudoDstOff = o + 24;
    l.claimedEnd = o + 40 + plen;
    const lim = Math.min(end, l.claimedEnd);
    l.end = lim;
    if (l.claimedEnd > end) l.truncated = true;
    let next = c.u8(o + 6);
    let p = o + 40;
    for (let i = 0; i < MAX_EXT_HEADERS; i++) {
      if (next === P6_HOPOPT || next === P6_ROUTING || next === P6_DSTOPTS || next === P6_AH || next === P6_FRAGMENT) {
        if (lim - p < 8) {
          l.truncated = true;
          l.hdrEnd = lim;
          return true;
        }
        const hlen = next === P6_AH ? (c.u8(p + 1) + 2) * 4 : next === P6_FRAGMENT ? 8 : (c.u8(p + 1) + 1) * 8;
        if (lim - p < hlen) {
          l.truncated = true;
          l.hdrEnd = lim;
          return true;
        }
        if (next === P6_ROUTING) {
          // Final destination: the last address of a type 0 header, Segment List[0] of an SRH.
          const type = c.u8(p + 2);
          const n = Math.floor((hlen - 8) / 16);
          if (c.u8(p + 3) > 0 && n >= 1) {
            if (type === 0) l.pseudoDstOff = p + 8 + (n - 1) * 16;
            else if (type === 4) l.pseudoDstOff = p + 8;
          }
        } else if (next === P6_FRAGMENT) {
          const fo = c.u16(p + 2);
          l.fragOffset = fo & 0xfff8;
          l.moreFragments = (fo & 1) !== 0;
          // An "atomic fragment" (offset 0, M clear, RFC 6946) is a whole datagram.
          l.fragment = l.fragOffset > 0 || l.moreFragments;
          l.ipId = c.u32(p + 4);
        }
        next = c.u8(p);
        p += hlen;
      } else break;
    }
    l.proto = next;
    l.hdrEnd = p;
    if (l.fragOffset > 0 || next === P6_NONE) return true;
    x.next(T.ipProto, next, p, lim, depth, quoted);
    return true;
  },
  describe(l, d, out) {
    if (!has(l)) return '';
    const b = d.data;
    const o = l.start;
    const src = ipv6String(b, l.srcOff);
    const dst = ipv6String(b, l.dstOff);
    out.field('ipv6.src', src, l.srcOff, 16);
    out.field('ipv6.dst', dst, l.dstOff, 16);
    out.field('ipv6.plen', (b[o + 4]! << 8) | b[o + 5]!, o + 4, 2);
    out.field('ipv6.nxt', b[o + 6]!, o + 6, 1);
    out.field('ipv6.hlim', l.ttl, o + 7, 1);
    if (l.pseudoDstOff !== l.dstOff) out.field('ipv6.final_dst', ipv6String(b, l.pseudoDstOff), l.pseudoDstOff, 16);
    if (l.fragment)
      out.field(
        'ipv6.fragment',
        `offset ${l.fragOffset}${l.moreFragments ? ', more' : ''}, id ${l.ipId}`,
        o + 40,
        l.hdrEnd - o - 40,
      );
    return `${src} → ${dst}`;
  },
  fieldNames: {
    'ipv6.src': { en: 'Source', zh: '源地址' },
    'ipv6.dst': { en: 'Destination', zh: '目的地址' },
    'ipv6.plen': { en: 'Payload length', zh: '载荷长度' },
    'ipv6.nxt': { en: 'Next header', zh: '下一首部' },
    'ipv6.hlim': { en: 'Hop limit', zh: '跳数限制' },
    'ipv6.final_dst': { en: 'Final destination (routing header)', zh: '最终目的地址（路由首部）' },
    'ipv6.fragment': { en: 'Fragment', zh: '分片' },
  },
  fields: [
    {
      name: 'ipv6.addr',
      type: 'ipv6',
      values: (l, d) => (has(l) ? [ipv6String(d.data, l.srcOff), ipv6String(d.data, l.dstOff)] : []),
    },
    { name: 'ipv6.src', type: 'ipv6', values: (l, d) => (has(l) ? [ipv6String(d.data, l.srcOff)] : []) },
    { name: 'ipv6.dst', type: 'ipv6', values: (l, d) => (has(l) ? [ipv6String(d.data, l.dstOff)] : []) },
    { name: 'ipv6.nxt', type: 'uint', values: (l, d) => (has(l) ? [d.data[l.start + 6]!] : []) },
    { name: 'ipv6.hlim', type: 'uint', values: (l) => (has(l) ? [l.ttl] : []) },
    { name: 'ipv6.plen', type: 'uint', values: (l, d) => (has(l) ? [(d.data[l.start + 4]! << 8) | d.data[l.start + 5]!] : []) },
  ],
  anonymise(l, a) {
    if (!has(l)) return;
    // Version, class, flow label, length, next header, hop limit; addresses remapped.
    a.keep(l.start, 8);
    a.ip6(l.srcOff);
    a.ip6(l.dstOff);
    // Extension headers: keep their chain (next header, length, fragment fields, routing type and
    // segments left), remap routing addresses, blank option contents.
    const b = a.b;
    let next = b[l.start + 6]!;
    let p = l.start + 40;
    for (let i = 0; i < MAX_EXT_HEADERS && p + 8 <= l.hdrEnd; i++) {
      const hlen = extLen(next, b, p);
      if (!hlen || p + hlen > l.hdrEnd) break;
      if (next === P6_FRAGMENT) a.keep(p, 8);
      else if (next === P6_ROUTING) {
        a.keep(p, 4);
        for (let q = p + 8; q + 16 <= p + hlen; q += 16) a.ip6(q);
      } else if (next === P6_AH) a.keep(p, 12);
      else a.keep(p, 2);
      next = b[p]!;
      p += hlen;
    }
  },
});

/*
 * IPv4 header (RFC 791):
 *
 *    0       4       8              16      19             31
 *   +-------+-------+--------------+-------+---------------+
 *   |version|  IHL  |     TOS      |      total length     |
 *   +-------+-------+--------------+-------+---------------+
 *   |        identification        |flags|  fragment off   |
 *   +---------------+--------------+-------+---------------+
 *   |      TTL      |   protocol   |    header checksum    |
 *   +---------------+--------------+-----------------------+
 *   |                     source address                   |
 *   |                  destination address                 |
 *   |                options (IHL > 5) ...                 |
 *
 * The payload is looked up by protocol in the ip.proto table; later fragments carry no
 * transport header and stop here.
 */
import { K, type Layer } from '../layers';
import { defineProtocol, type ChecksumSpec, T } from '../protocol';
import { hex, ipv4String } from '../text';

export const IPV4_CHECKSUM: ChecksumSpec = { layer: 'ipv4', field: 10, cover: 'ipv4-header', pseudoProto: 0, zeroIsNone: false };

const has = (l: Layer) => l.srcOff > 0 && !l.invalid;

export const IPV4 = defineProtocol({
  id: K.IPV4,
  name: 'ip',
  label: 'IPv4',
  checksum: IPV4_CHECKSUM,
  decode(x, o, end, depth, quoted) {
    const l = x.push(this, o, depth, quoted);
    if (!l) return true;
    l.ipVersion = 4;
    if (end - o < 20) return x.cut(l, end, 20);
    const c = x.c;
    const ihl = (c.u8(o) & 0x0f) * 4;
    if (ihl < 20) {
      l.invalid = `IPv4 header length ${ihl} < 20`;
      l.hdrEnd = o;
      l.end = end;
      l.claimedEnd = end;
      return true;
    }
    let total = c.u16(o + 2);
    if (total === 0 && !quoted) {
      // TSO/GSO super-frame captured before segmentation: the kernel leaves total length 0.
      l.tso = true;
      total = end - o;
    }
    if (total < ihl) {
      l.invalid = `IPv4 total length ${total} < header length ${ihl}`;
      l.hdrEnd = o;
      l.end = end;
      l.claimedEnd = end;
      return true;
    }
    l.ipId = c.u16(o + 4);
    const ff = c.u16(o + 6);
    l.moreFragments = (ff & 0x2000) !== 0;
    l.fragOffset = (ff & 0x1fff) * 8;
    l.fragment = l.moreFragments || l.fragOffset > 0;
    l.ttl = c.u8(o + 8);
    l.proto = c.u8(o + 9);
    l.srcOff = o + 12;
    l.dstOff = o + 16;
    l.pseudoDstOff = o + 16;
    l.claimedEnd = o + total;
    const lim = Math.min(end, o + total);
    l.end = lim;
    if (lim - o < ihl) {
      l.truncated = true;
      l.hdrEnd = lim;
    } else l.hdrEnd = o + ihl;
    if (l.claimedEnd > end) l.truncated = true;
    x.check(IPV4_CHECKSUM, l);
    if (l.hdrEnd < o + ihl || l.fragOffset > 0) return true; // no transport header in later fragments
    x.next(T.ipProto, l.proto, o + ihl, lim, depth, quoted);
    return true;
  },
  describe(l, d, out) {
    if (!has(l)) return '';
    const b = d.data;
    const o = l.start;
    const src = ipv4String(b, l.srcOff);
    const dst = ipv4String(b, l.dstOff);
    out.field('ip.src', src, l.srcOff, 4);
    out.field('ip.dst', dst, l.dstOff, 4);
    out.field('ip.hdr_len', (b[o]! & 15) * 4, o, 1);
    out.field('ip.dsfield', hex(b[o + 1]!, 2), o + 1, 1);
    out.field('ip.len', l.tso ? '0 (segmentation offload super-frame)' : (b[o + 2]! << 8) | b[o + 3]!, o + 2, 2);
    out.field('ip.id', `${hex(l.ipId)} (${l.ipId})`, o + 4, 2);
    const df = (b[o + 6]! & 0x40) !== 0;
    out.field('ip.flags', `${df ? 'DF ' : ''}${l.moreFragments ? 'MF ' : ''}offset ${l.fragOffset}`, o + 6, 2);
    out.field('ip.ttl', l.ttl, o + 8, 1);
    out.field('ip.proto', l.proto, o + 9, 1);
    out.field('ip.checksum', hex((b[o + 10]! << 8) | b[o + 11]!), o + 10, 2);
    return `${src} → ${dst}`;
  },
  fieldNames: {
    'ip.src': { en: 'Source', zh: '源地址' },
    'ip.dst': { en: 'Destination', zh: '目的地址' },
    'ip.hdr_len': { en: 'Header length', zh: '首部长度' },
    'ip.dsfield': { en: 'DS field', zh: '区分服务字段' },
    'ip.len': { en: 'Total length', zh: '总长度' },
    'ip.id': { en: 'Identification', zh: '标识' },
    'ip.flags': { en: 'Flags / fragment offset', zh: '标志 / 片偏移' },
    'ip.ttl': { en: 'TTL', zh: '生存时间' },
    'ip.proto': { en: 'Protocol', zh: '协议' },
    'ip.checksum': { en: 'Header checksum', zh: '首部校验和' },
  },
  fields: [
    {
      name: 'ip.addr',
      type: 'ipv4',
      values: (l, d) => (has(l) ? [ipv4String(d.data, l.srcOff), ipv4String(d.data, l.dstOff)] : []),
    },
    { name: 'ip.src', type: 'ipv4', values: (l, d) => (has(l) ? [ipv4String(d.data, l.srcOff)] : []) },
    { name: 'ip.dst', type: 'ipv4', values: (l, d) => (has(l) ? [ipv4String(d.data, l.dstOff)] : []) },
    { name: 'ip.proto', type: 'uint', values: (l) => (has(l) ? [l.proto] : []) },
    { name: 'ip.id', type: 'uint', values: (l) => (has(l) ? [l.ipId] : []) },
    { name: 'ip.ttl', type: 'uint', values: (l) => (has(l) ? [l.ttl] : []) },
    { name: 'ip.len', type: 'uint', values: (l) => (has(l) ? [l.claimedEnd - l.start] : []) },
    { name: 'ip.hdr_len', type: 'uint', values: (l) => (has(l) ? [l.hdrEnd - l.start] : []) },
    { name: 'ip.version', type: 'uint', values: (l) => [l.ipVersion] },
    { name: 'ip.frag_offset', type: 'uint', values: (l) => (has(l) ? [l.fragOffset] : []) },
    { name: 'ip.flags.mf', type: 'bool', values: (l) => (has(l) ? [l.moreFragments ? 1 : 0] : []) },
    { name: 'ip.flags.df', type: 'bool', values: (l, d) => (has(l) ? [d.data[l.start + 6]! & 0x40 ? 1 : 0] : []) },
  ],
  anonymise(l, a) {
    if (!has(l)) return;
    a.keep(l.start, 12); // version .. checksum (options, e.g. record route, are blanked)
    a.ip4(l.srcOff);
    a.ip4(l.dstOff);
  },
});

/*
 * Teredo (RFC 4380) on UDP 3544: IPv6 carried over UDP/IPv4, optionally preceded by indicators:
 *
 *   authentication:  0x0001 | id-len(1) | auth-len(1) | client id | auth value | nonce(8) | confirmation(1)
 *   origin:          0x0000 | port(2, XOR 0xffff) | IPv4 address(4, XOR 0xffffffff)
 *
 * (authentication first when both are present). Declined unless an IPv6 header follows, so that
 * unrelated traffic on 3544 is not mistaken for it. The IPv6 packet is one tunnel level deeper;
 * a bubble is an IPv6 header with no payload (next header 59).
 */
import { defineProtocol } from '../protocol';
import { ipv4String } from '../text';
import { IPV6 } from './ipv6';

export const TEREDO = defineProtocol({
  id: 37,
  name: 'teredo',
  label: 'Teredo',
  register: [{ table: 'udp.port', keys: [3544] }],
  tunnel: true,
  decode(x, o, end, depth, quoted) {
    const c = x.c;
    let p = o;
    let auth = -1;
    let origin = -1;
    if (end - p >= 2 && c.u16(p) === 0x0001) {
      if (end - p < 4) return false;
      const n = 13 + c.u8(p + 2) + c.u8(p + 3);
      if (end - p < n) return false;
      auth = p;
      p += n;
    }
    if (end - p >= 8 && c.u16(p) === 0x0000) {
      origin = p;
      p += 8;
    }
    if (end - p < 40 || c.u8(p) >> 4 !== 6) return false;
    const l = x.push(this, o, depth, quoted);
    if (!l) return true;
    l.hdrEnd = p;
    l.end = end;
    l.claimedEnd = end;
    l.msgType = (auth >= 0 ? 1 : 0) | (origin >= 0 ? 2 : 0);
    if (origin >= 0) l.tunnelId = origin; // offset of the origin indication
    x.nextWith(IPV6, p, end, depth + 1, quoted);
    return true;
  },
  describe(l, d, out) {
    if (l.msgType & 1)
      out.field('teredo.auth', 'authentication indicator', l.start, (l.tunnelId >= 0 ? l.tunnelId : l.hdrEnd) - l.start);
    if (l.tunnelId >= 0) {
      const o = l.tunnelId;
      const port = ((d.data[o + 2]! << 8) | d.data[o + 3]!) ^ 0xffff;
      const addr = Uint8Array.from(d.data.subarray(o + 4, o + 8), (v) => v ^ 0xff);
      out.field('teredo.orig.port', port, o + 2, 2);
      out.field('teredo.orig.addr', ipv4String(addr, 0), o + 4, 4);
    }
    return l.msgType ? ['', 'authentication', 'origin', 'authentication, origin'][l.msgType]! : '';
  },
  tunnelText: () => 'Teredo',
  fieldNames: {
    'teredo.auth': { en: 'Authentication', zh: '认证' },
    'teredo.orig.port': { en: 'Origin port', zh: '源端口' },
    'teredo.orig.addr': { en: 'Origin address', zh: '源地址' },
  },
  fields: [
    {
      name: 'teredo.orig.port',
      type: 'uint',
      values: (l, d) => (l.tunnelId >= 0 ? [((d.data[l.tunnelId + 2]! << 8) | d.data[l.tunnelId + 3]!) ^ 0xffff] : []),
    },
  ],
  anonymise(l, a) {
    const b = a.b;
    if (l.msgType & 1) {
      a.keep(l.start, 4); // type and lengths; client id, authentication value and nonce blanked
      a.keep(l.start + 12 + b[l.start + 2]! + b[l.start + 3]!, 1); // confirmation byte
    }
    if (l.tunnelId >= 0) {
      const o = l.tunnelId;
      a.keep(o, 4);
      // The origin address is obfuscated: map the real address, then obfuscate the mapping.
      for (let i = 4; i < 8; i++) b[o + i] = b[o + i]! ^ 0xff;
      a.ip4(o + 4);
      for (let i = 4; i < 8; i++) b[o + i] = b[o + i]! ^ 0xff;
    }
  },
});

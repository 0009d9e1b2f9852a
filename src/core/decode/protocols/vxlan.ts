/*
 * VXLAN (RFC 7348) on UDP 4789 (IANA) and 8472 (Linux, flannel's default):
 *
 *   +--------+--------------------------+------------------------+--------+
 *   | flags  |       reserved (3)       |        VNI (3)         |reserved|
 *   +--------+--------------------------+------------------------+--------+
 *   flags: I (0x08) must be set; the inner Ethernet frame follows.
 */
import { K } from '../layers';
import { defineProtocol } from '../protocol';
import { ETHERNET } from './ethernet';

/** UDP ports always decoded as VXLAN (more with `--vxlan-port`). */
export const DEFAULT_VXLAN_PORTS = [4789, 8472];

export const VXLAN = defineProtocol({
  id: K.VXLAN,
  name: 'vxlan',
  label: 'VXLAN',
  register: [{ table: 'udp.port', keys: DEFAULT_VXLAN_PORTS }],
  tunnel: true,
  decode(x, o, end, depth, quoted) {
    if (end - o < 8 || (x.c.u8(o) & 0x08) === 0) return false;
    const l = x.push(this, o, depth, quoted);
    if (!l) return true;
    l.tunnelId = (x.c.u8(o + 4) << 16) | (x.c.u8(o + 5) << 8) | x.c.u8(o + 6);
    l.hdrEnd = o + 8;
    l.end = end;
    l.claimedEnd = end;
    x.nextWith(ETHERNET, o + 8, end, depth + 1, quoted);
    return true;
  },
  describe(l, _d, out) {
    out.field('vxlan.vni', l.tunnelId, l.start + 4, 3);
    return `VNI ${l.tunnelId}`;
  },
  tunnelText: (l) => `VXLAN vni ${l.tunnelId}`,
  fieldNames: { 'vxlan.vni': { en: 'VNI', zh: 'VNI' } },
  fields: [{ name: 'vxlan.vni', type: 'uint', values: (l) => [l.tunnelId] }],
  anonymise(l, a) {
    a.keep(l.start, 8);
  },
});

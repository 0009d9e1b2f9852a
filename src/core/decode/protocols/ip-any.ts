/*
 * IP by version nibble: the raw-IP link types, the IPv4/IPv6 ethertypes and PPP numbers, and
 * every "guess from the first nibble" payload (MPLS, GRE keepalives, ICMP quotes, GTP-U) land
 * here, as tcpdump does rather than trusting the type field. A dispatcher: it has no layer of its
 * own, except an invalid-IP marker when the nibble is neither 4 nor 6.
 */
import { defineProtocol } from '../protocol';
import { IPV4 } from './ipv4';
import { IPV6 } from './ipv6';

export const IP_ANY = defineProtocol({
  id: 90,
  name: 'ip-version',
  label: 'IP',
  dispatcher: true,
  register: [
    { table: 'link', keys: [12, 14, 101, 228, 229] },
    { table: 'ethertype', keys: [0x0800, 0x86dd] },
    { table: 'ppp.proto', keys: [0x0021, 0x0057] },
    { table: 'nextproto', keys: [1, 2] },
  ],
  decode(x, o, end, depth, quoted) {
    if (end - o < 1) return true;
    const v = x.c.u8(o) >> 4;
    if (v === 4) return IPV4.decode(x, o, end, depth, quoted);
    if (v === 6) return IPV6.decode(x, o, end, depth, quoted);
    const l = x.push(IPV4, o, depth, quoted);
    if (l) {
      l.invalid = `IP version ${v} is neither 4 nor 6`;
      l.end = end;
      l.hdrEnd = o;
      l.claimedEnd = end;
      l.ipVersion = v;
    }
    return true;
  },
});

/*
 * ICMPv6 (RFC 4443): the same layout and error quoting as ICMP (see icmp.ts), with a checksum
 * over the IPv6 pseudo-header. Type 2 "packet too big" carries the MTU in bytes 4-7.
 */
import { K } from '../layers';
import { defineProtocol, type ChecksumSpec } from '../protocol';
import { anonymiseIcmp, decodeIcmp, describeIcmp, fieldsOf, names } from './icmp';

export const ICMPV6_CHECKSUM: ChecksumSpec = {
  layer: 'icmpv6',
  field: 2,
  cover: 'ip-payload',
  pseudoProto: 58,
  zeroIsNone: false,
};

export const ICMPV6 = defineProtocol({
  id: K.ICMPV6,
  name: 'icmpv6',
  label: 'ICMPv6',
  register: [{ table: 'ip.proto', keys: [58] }],
  checksum: ICMPV6_CHECKSUM,
  decode(x, o, end, depth, quoted) {
    return decodeIcmp(this, ICMPV6_CHECKSUM, x, o, end, depth, quoted);
  },
  describe: (l, d, out) => describeIcmp(l, d, out, 'icmpv6'),
  info: (l) => `ICMPv6 type ${l.icmpType} code ${l.icmpCode}`,
  fieldNames: names('icmpv6'),
  fields: fieldsOf('icmpv6'),
  anonymise: anonymiseIcmp,
});

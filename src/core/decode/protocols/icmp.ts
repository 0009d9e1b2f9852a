/*
 * ICMP (RFC 792) and ICMPv6 (RFC 4443): type(1) code(1) checksum(2) rest-of-header(4), then for
 * errors the quoted packet, decoded one depth deeper and marked `quoted` (its checksums are
 * usually unverifiable: the quote is cut).
 *   ICMP errors:   3 unreachable (code 4: fragmentation needed, MTU in bytes 6-7), 4 source
 *                  quench, 5 redirect, 11 time exceeded, 12 parameter problem
 *   ICMPv6 errors: 1 unreachable, 2 packet too big (MTU in bytes 4-7), 3 time exceeded,
 *                  4 parameter problem
 * RFC 4884: for ICMP types 3, 11 and 12 byte 5 may give the quote's length in 32-bit words.
 */
import { K, type Layer } from '../layers';
import { defineProtocol, type ChecksumSpec, type DecodeContext, type Protocol } from '../protocol';
import { hex } from '../text';
import { IP_ANY } from './ip-any';

export const ICMP_CHECKSUM: ChecksumSpec = { layer: 'icmp', field: 2, cover: 'ip-payload', pseudoProto: 0, zeroIsNone: false };

/** Is this ICMP(v6) message an error that quotes the offending packet? */
export function isIcmpError(l: Layer): boolean {
  const t = l.icmpType;
  return l.kind === K.ICMPV6 ? t >= 1 && t <= 4 : t === 3 || t === 4 || t === 5 || t === 11 || t === 12;
}

export function decodeIcmp(
  p: Protocol,
  spec: ChecksumSpec,
  x: DecodeContext,
  o: number,
  end: number,
  depth: number,
  quoted: boolean,
): boolean {
  const l = x.push(p, o, depth, quoted);
  if (!l) return true;
  const ip = x.d.layers[x.ip];
  l.claimedEnd = ip ? ip.claimedEnd : end;
  l.end = end;
  if (l.claimedEnd > end) l.truncated = true;
  if (end - o < 4) {
    l.truncated = true;
    l.hdrEnd = end;
    return true;
  }
  const c = x.c;
  l.icmpType = c.u8(o);
  l.icmpCode = c.u8(o + 1);
  x.check(spec, l);
  l.hdrEnd = Math.min(end, o + 8);
  if (end - o < 8) return true;
  const v6 = l.kind === K.ICMPV6;
  if (!v6 && l.icmpType === 3 && l.icmpCode === 4) l.mtu = c.u16(o + 6);
  if (v6 && l.icmpType === 2) l.mtu = c.u32(o + 4);
  if (quoted || !isIcmpError(l)) return true;
  let qend = end;
  const t = l.icmpType;
  if (!v6 && (t === 3 || t === 11 || t === 12) && c.u8(o + 5) > 0) qend = Math.min(end, o + 8 + c.u8(o + 5) * 4);
  x.nextWith(IP_ANY, o + 8, qend, depth + 1, true);
  return true;
}

export function describeIcmp(
  l: Layer,
  d: { data: Uint8Array },
  out: { field(k: string, v: string | number, o: number, n: number): void },
  pre: string,
): string {
  const o = l.start;
  if (l.icmpType < 0) return '';
  out.field(`${pre}.type`, l.icmpType, o, 1);
  out.field(`${pre}.code`, l.icmpCode, o + 1, 1);
  if (o + 4 <= d.data.length) out.field(`${pre}.checksum`, hex((d.data[o + 2]! << 8) | d.data[o + 3]!), o + 2, 2);
  if (l.mtu >= 0) out.field(`${pre}.mtu`, l.mtu, pre === 'icmp' ? o + 6 : o + 4, pre === 'icmp' ? 2 : 4);
  return `type ${l.icmpType} code ${l.icmpCode}${l.mtu >= 0 ? ` mtu ${l.mtu}` : ''}`;
}

export const names = (pre: string) => ({
  [`${pre}.type`]: { en: 'Type', zh: '类型' },
  [`${pre}.code`]: { en: 'Code', zh: '代码' },
  [`${pre}.checksum`]: { en: 'Checksum', zh: '校验和' },
  [`${pre}.mtu`]: { en: 'Next-hop MTU', zh: '下一跳 MTU' },
});

export const fieldsOf = (pre: string) => [
  { name: `${pre}.type`, type: 'uint' as const, values: (l: Layer) => (l.icmpType >= 0 ? [l.icmpType] : []) },
  { name: `${pre}.code`, type: 'uint' as const, values: (l: Layer) => (l.icmpCode >= 0 ? [l.icmpCode] : []) },
  { name: `${pre}.mtu`, type: 'uint' as const, values: (l: Layer) => (l.mtu >= 0 ? [l.mtu] : []) },
];

/** Type and code are structure; echo identifiers, MTUs and pointers too. Echo data is blanked. */
export const anonymiseIcmp = (l: Layer, a: { keep(o: number, n: number): void }) => a.keep(l.start, l.hdrEnd - l.start);

export const ICMP = defineProtocol({
  id: K.ICMP,
  name: 'icmp',
  label: 'ICMP',
  register: [{ table: 'ip.proto', keys: [1] }],
  checksum: ICMP_CHECKSUM,
  decode(x, o, end, depth, quoted) {
    return decodeIcmp(this, ICMP_CHECKSUM, x, o, end, depth, quoted);
  },
  describe: (l, d, out) => describeIcmp(l, d, out, 'icmp'),
  info: (l) => `ICMP type ${l.icmpType} code ${l.icmpCode}`,
  fieldNames: names('icmp'),
  fields: fieldsOf('icmp'),
  anonymise: anonymiseIcmp,
});

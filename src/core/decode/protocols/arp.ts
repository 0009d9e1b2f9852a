/*
 * ARP / RARP (RFC 826) for Ethernet and IPv4 (anything else is kept as an opaque header):
 *
 *   htype(2) ptype(2) hlen(1) plen(1) op(2) | sender MAC | sender IP | target MAC | target IP
 */
import { K } from '../layers';
import { defineProtocol } from '../protocol';
import { ipv4String, macString } from '../text';

/** Ethernet + IPv4 ARP: 6-byte hardware and 4-byte protocol addresses. */
function isEthIpv4(b: Uint8Array, o: number): boolean {
  return b[o + 4] === 6 && b[o + 5] === 4;
}

export const ARP = defineProtocol({
  id: K.ARP,
  name: 'arp',
  label: 'ARP',
  register: [{ table: 'ethertype', keys: [0x0806, 0x8035] }],
  decode(x, o, end, depth, quoted) {
    const l = x.push(this, o, depth, quoted);
    if (!l) return true;
    if (end - o < 8) return x.cut(l, end, 28);
    const hlen = x.c.u8(o + 4);
    const plen = x.c.u8(o + 5);
    const need = 8 + 2 * (hlen + plen);
    l.msgType = x.c.u16(o + 6);
    l.hdrEnd = Math.min(end, o + need);
    l.end = end;
    l.claimedEnd = o + need;
    l.truncated = end - o < need;
    return true;
  },
  describe(l, d, out) {
    if (l.truncated || !isEthIpv4(d.data, l.start)) return OPS[l.msgType] ?? '';
    const o = l.start;
    out.field('arp.opcode', `${l.msgType} (${OPS[l.msgType] ?? '?'})`, o + 6, 2);
    out.field('arp.src.hw_mac', macString(d.data, o + 8), o + 8, 6);
    out.field('arp.src.proto_ipv4', ipv4String(d.data, o + 14), o + 14, 4);
    out.field('arp.dst.hw_mac', macString(d.data, o + 18), o + 18, 6);
    out.field('arp.dst.proto_ipv4', ipv4String(d.data, o + 24), o + 24, 4);
    return l.msgType === 1
      ? `who has ${ipv4String(d.data, o + 24)}? tell ${ipv4String(d.data, o + 14)}`
      : `${ipv4String(d.data, o + 14)} is at ${macString(d.data, o + 8)}`;
  },
  fieldNames: {
    'arp.opcode': { en: 'Opcode', zh: '操作码' },
    'arp.src.hw_mac': { en: 'Sender MAC', zh: '发送方 MAC' },
    'arp.src.proto_ipv4': { en: 'Sender IP', zh: '发送方 IP' },
    'arp.dst.hw_mac': { en: 'Target MAC', zh: '目标 MAC' },
    'arp.dst.proto_ipv4': { en: 'Target IP', zh: '目标 IP' },
  },
  fields: [
    { name: 'arp.opcode', type: 'uint', values: (l) => (l.msgType >= 0 ? [l.msgType] : []) },
    {
      name: 'arp.src.proto_ipv4',
      type: 'string',
      values: (l, d) => (l.truncated || !isEthIpv4(d.data, l.start) ? [] : [ipv4String(d.data, l.start + 14)]),
    },
    {
      name: 'arp.dst.proto_ipv4',
      type: 'string',
      values: (l, d) => (l.truncated || !isEthIpv4(d.data, l.start) ? [] : [ipv4String(d.data, l.start + 24)]),
    },
  ],
  anonymise(l, a) {
    if (l.truncated) return;
    a.keep(l.start, 8);
    if (!isEthIpv4(a.b, l.start)) return; // other address formats: blanked
    a.mac(l.start + 8);
    a.ip4(l.start + 14);
    a.mac(l.start + 18);
    a.ip4(l.start + 24);
  },
});

const OPS: Record<number, string> = { 1: 'request', 2: 'reply', 3: 'RARP request', 4: 'RARP reply' };

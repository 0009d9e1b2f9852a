/*
 * DNS over UDP 53 (RFC 1035): only the header and the first question are read.
 *
 *   id(2) flags(2) qdcount(2) ancount(2) nscount(2) arcount(2) | qname (labels) qtype(2) qclass(2)
 *
 * Quoted DNS (inside an ICMP error) is decoded too: it says which query was refused.
 */
import { K, type Layer } from '../layers';
import { defineProtocol } from '../protocol';
import { hex } from '../text';

/** DNS flag: this message is a response. */
export const DNS_QR = 0x8000;

const QTYPES: Record<number, string> = {
  1: 'A',
  2: 'NS',
  5: 'CNAME',
  6: 'SOA',
  12: 'PTR',
  15: 'MX',
  16: 'TXT',
  28: 'AAAA',
  33: 'SRV',
  65: 'HTTPS',
  255: 'ANY',
};

/** Query type name (A, AAAA ...) or its number. */
export function qtypeName(t: number): string {
  return QTYPES[t] ?? String(t);
}

export const DNS = defineProtocol({
  id: K.DNS,
  name: 'dns',
  label: 'DNS',
  register: [{ table: 'udp.port', keys: [53] }],
  decode(x, o, end, depth, quoted) {
    if (end - o < 12) return false;
    const l = x.push(this, o, depth, quoted);
    if (!l) return true;
    const c = x.c;
    l.dnsId = c.u16(o);
    l.dnsFlags = c.u16(o + 2);
    const qd = c.u16(o + 4);
    l.dnsAnswers = c.u16(o + 6);
    l.hdrEnd = o + 12;
    l.end = end;
    l.claimedEnd = end;
    if (qd < 1) return true;
    let p = o + 12;
    let name = '';
    for (let i = 0; i < 128; i++) {
      if (p >= end) {
        l.truncated = true;
        return true;
      }
      const n = c.u8(p);
      if (n === 0) {
        p++;
        break;
      }
      if (n >= 0xc0 || p + 1 + n > end) {
        l.truncated = n < 0xc0;
        return true; // no compression pointers in a first question; anything else is damage
      }
      let label = '';
      for (let j = p + 1; j < p + 1 + n; j++) {
        const ch = c.u8(j);
        label += ch > 0x20 && ch < 0x7f && ch !== 0x2e ? String.fromCharCode(ch) : `\\${ch.toString().padStart(3, '0')}`;
      }
      name += (name ? '.' : '') + label;
      p += 1 + n;
    }
    l.dnsQname = name || '.';
    if (end - p >= 2) l.dnsQtype = c.u16(p);
    return true;
  },
  describe(l, d, out) {
    const o = l.start;
    out.field('dns.id', hex(l.dnsId), o, 2);
    out.field('dns.flags', `${hex(l.dnsFlags)} ${l.dnsFlags & DNS_QR ? 'response' : 'query'}`, o + 2, 2);
    if (l.dnsQname)
      out.field(
        'dns.qry.name',
        `${l.dnsQname} ${qtypeName(l.dnsQtype)}`,
        o + 12,
        Math.max(0, Math.min(l.end, d.data.length) - o - 12),
      );
    return info(l);
  },
  info: (l) => info(l),
  fieldNames: {
    'dns.id': { en: 'Transaction ID', zh: '事务 ID' },
    'dns.flags': { en: 'Flags', zh: '标志' },
    'dns.qry.name': { en: 'Query', zh: '查询' },
  },
  fields: [
    { name: 'dns.id', type: 'uint', values: (l) => [l.dnsId] },
    { name: 'dns.qry.name', type: 'string', values: (l) => (l.dnsQname ? [l.dnsQname] : []) },
    { name: 'dns.qry.type', type: 'uint', values: (l) => (l.dnsQname ? [l.dnsQtype] : []) },
    { name: 'dns.flags.response', type: 'bool', values: (l) => [l.dnsFlags & DNS_QR ? 1 : 0] },
    { name: 'dns.flags.rcode', type: 'uint', values: (l) => [l.dnsFlags & 0xf] },
    { name: 'dns.count.answers', type: 'uint', values: (l) => [l.dnsAnswers] },
  ],
  anonymise(l, a) {
    a.keep(l.start, 12);
    a.name(l.start + 12, l.end);
  },
});

function info(l: Layer): string {
  const resp = (l.dnsFlags & DNS_QR) !== 0;
  let s = `DNS ${resp ? 'response' : 'query'} ${hex(l.dnsId)} ${l.dnsQname}`;
  if (l.dnsQname && l.dnsQtype) s += ` ${qtypeName(l.dnsQtype)}`;
  if (resp) s += ` rcode ${l.dnsFlags & 0xf} answers ${l.dnsAnswers}`;
  return s;
}

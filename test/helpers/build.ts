/**
 * Packet builder: composes Ethernet / IPv4 / IPv6 / TCP / UDP / VXLAN frames with correct
 * lengths and checksums, with hooks to corrupt or offload a checksum on purpose. Used by the
 * benchmark generator, the sample builders and byte-level test fixtures.
 */
import { concatBytes } from '../../src/core/bytes';
import { checksumFromSum, fold, pseudoSum4, pseudoSum6, sum16 } from '../../src/core/checksum';

/** What to write into a transport checksum field. */
export type ChecksumMode = 'correct' | 'zero' | 'partial' | number;

const ipv4Bytes = (a: string) => a.split('.').map((x) => Number(x) & 0xff);

function ipv6Bytes(a: string): number[] {
  const [head, tail] = a.includes('::') ? a.split('::') : [a, ''];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const words = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t].map((w) => parseInt(w || '0', 16));
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

const concat = concatBytes;

/** Ethernet II header + payload. */
export function ether(payload: Uint8Array, type = 0x0800, src = [2, 0, 0, 0, 0, 1], dst = [2, 0, 0, 0, 0, 2]): Uint8Array {
  return concat([dst, src, [type >> 8, type & 0xff], payload]);
}

/** TCP segment options. */
export interface TcpOpts {
  sport: number;
  dport: number;
  seq: number;
  ack?: number;
  flags: number;
  window?: number;
  tsVal?: number;
  tsEcr?: number;
  mss?: number;
  payload?: Uint8Array;
}

/** TCP header (+ options: mss, sackOK, TS, nop, wscale when tsVal is given) + payload, checksum 0. */
export function tcpSegment(o: TcpOpts): Uint8Array {
  const opts: number[] = [];
  if (o.mss !== undefined) opts.push(2, 4, o.mss >> 8, o.mss & 0xff);
  if (o.tsVal !== undefined) {
    if (o.mss === undefined) opts.push(1, 1);
    else opts.push(4, 2);
    const v = o.tsVal >>> 0;
    const e = (o.tsEcr ?? 0) >>> 0;
    opts.push(
      8,
      10,
      v >>> 24,
      (v >> 16) & 0xff,
      (v >> 8) & 0xff,
      v & 0xff,
      e >>> 24,
      (e >> 16) & 0xff,
      (e >> 8) & 0xff,
      e & 0xff,
    );
    opts.push(1, 3, 3, 7);
  }
  while (opts.length % 4) opts.push(1);
  const hlen = 20 + opts.length;
  const h = new Uint8Array(hlen);
  const dv = new DataView(h.buffer);
  dv.setUint16(0, o.sport);
  dv.setUint16(2, o.dport);
  dv.setUint32(4, o.seq >>> 0);
  dv.setUint32(8, (o.ack ?? 0) >>> 0);
  h[12] = (hlen / 4) << 4;
  h[13] = o.flags & 0xff;
  dv.setUint16(14, o.window ?? 64240);
  h.set(opts, 20);
  return concat([h, o.payload ?? new Uint8Array(0)]);
}

/** UDP header + payload, checksum 0. */
export function udpDatagram(sport: number, dport: number, payload: Uint8Array): Uint8Array {
  const len = 8 + payload.length;
  return concat([[sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, len >> 8, len & 0xff, 0, 0], payload]);
}

/** IPv4 packet options. */
export interface Ip4Opts {
  src: string;
  dst: string;
  proto: number;
  id?: number;
  ttl?: number;
  df?: boolean;
  /** Transport checksum handling (TCP/UDP/ICMP); default correct. */
  l4?: ChecksumMode;
  /** Header checksum: default correct. */
  hdr?: 'correct' | number;
}

const L4_FIELD: Record<number, number> = { 6: 16, 17: 6, 1: 2, 58: 2 };

/** IPv4 packet around a transport payload, with checksums per `o`. */
export function ipv4(payload: Uint8Array, o: Ip4Opts): Uint8Array {
  const total = 20 + payload.length;
  const b = concat([new Uint8Array(20), payload]);
  const dv = new DataView(b.buffer);
  b[0] = 0x45;
  dv.setUint16(2, total);
  dv.setUint16(4, o.id ?? 1);
  dv.setUint16(6, o.df ? 0x4000 : 0);
  b[8] = o.ttl ?? 64;
  b[9] = o.proto;
  b.set(ipv4Bytes(o.src), 12);
  b.set(ipv4Bytes(o.dst), 16);
  dv.setUint16(10, o.hdr === undefined || o.hdr === 'correct' ? checksumFromSum(sum16(b, 0, 20)) : o.hdr);
  setL4Checksum(b, 20, payload.length, o.proto, o.l4 ?? 'correct', 4);
  return b;
}

/** IPv6 packet around a transport payload. */
export function ipv6(
  payload: Uint8Array,
  o: { src: string; dst: string; proto: number; l4?: ChecksumMode; hop?: number },
): Uint8Array {
  const b = concat([new Uint8Array(40), payload]);
  const dv = new DataView(b.buffer);
  b[0] = 0x60;
  dv.setUint16(4, payload.length);
  b[6] = o.proto;
  b[7] = o.hop ?? 64;
  b.set(ipv6Bytes(o.src), 8);
  b.set(ipv6Bytes(o.dst), 24);
  setL4Checksum(b, 40, payload.length, o.proto, o.l4 ?? 'correct', 6);
  return b;
}

function setL4Checksum(b: Uint8Array, off: number, len: number, proto: number, mode: ChecksumMode, ver: 4 | 6): void {
  const field = L4_FIELD[proto];
  if (field === undefined || len < field + 2) return;
  const dv = new DataView(b.buffer, b.byteOffset);
  dv.setUint16(off + field, 0);
  const pseudo = proto === 1 ? 0 : ver === 4 ? pseudoSum4(b, 12, 16, proto, len) : pseudoSum6(b, 8, 24, proto, len);
  let v: number;
  if (mode === 'zero') v = 0;
  else if (mode === 'partial') v = fold(pseudo);
  else if (mode === 'correct') {
    v = checksumFromSum(pseudo + sum16(b, off, off + len));
    if (proto === 17 && v === 0) v = 0xffff;
  } else v = mode;
  dv.setUint16(off + field, v);
}

/** VXLAN header (I flag, VNI) + inner frame. */
export function vxlan(inner: Uint8Array, vni = 1): Uint8Array {
  return concat([[0x08, 0, 0, 0, (vni >> 16) & 0xff, (vni >> 8) & 0xff, vni & 0xff, 0], inner]);
}

/** DNS query (one question, type A) payload. */
export function dnsQuery(id: number, name: string, response = false): Uint8Array {
  const labels = name.split('.').flatMap((l) => [l.length, ...[...l].map((c) => c.charCodeAt(0))]);
  return concat([
    [id >> 8, id & 0xff, response ? 0x81 : 0x01, response ? 0x80 : 0x00, 0, 1, 0, response ? 1 : 0, 0, 0, 0, 0],
    labels,
    [0, 0, 1, 0, 1],
  ]);
}

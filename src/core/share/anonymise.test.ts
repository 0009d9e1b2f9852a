/**
 * Anonymisation must not leak (issue 10). Hostile frames carry distinctive addresses and payload
 * patterns in every place a whitelist can forget (tunnelled ARP, ICMP echo data, ESP, Ethernet
 * trailers, IPv4 options, DNS names, TCP payload and options, GRE, Geneve, ICMP redirects, Linux
 * cooked headers of tunnel interfaces); then every frame of the scenario captures and of the real
 * corpus is anonymised and searched for
 *   (a) every IPv4 / IPv6 / MAC address found in the input's decoded headers (anywhere in the
 *       output, not only where it was), and
 *   (b) every 8-byte run of the input that no decoded header claims (payloads, trailers, undecoded
 *       layers) and that is not all zero,
 * and must dissect to the same layers with the same checksum verdicts (status and reason).
 * Values with too few distinct bytes to be told from kept structure (00:00:00:00:00:02, a run
 * such as 00 01 00 00 06 00 01 00) are looked for where they were instead of anywhere: bytes never
 * move, so a leak of them would still be there.
 *
 * Deliberately kept, so excluded from (a): 0.0.0.0, IPv4 multicast (224.0.0.0/4) and
 * 255.255.255.255; IPv6 multicast (ff00::/8), :: and ::1; MAC addresses with the group bit
 * (broadcast, multicast) and 00:00:00:00:00:00. They name no host (multicast groups are service
 * identities, and reading a capture needs them: 224.0.0.251 is mDNS, ff02::1:2 DHCPv6).
 * Caveat: a solicited-node group ff02::1:ffXX:XXXX (and its MAC 33:33:ff:XX:XX:XX) still carries
 * the last 24 bits of the host's own address.
 */
import { describe, expect, it } from 'vitest';
import { AddressMapper, anonymiseFrame } from './anonymise';
import { readCapture } from '../capture/reader';
import { bufferChunks } from '../capture/source';
import { checksumFromSum, pseudoSum6, sum16 } from '../checksum';
import { Dissector } from '../decode/dissect';
import { K } from '../decode/layers';
import { REGISTRY } from '../decode/protocols';
import { concatBytes } from '../bytes';
import { corpusBytes, corpusFiles } from '../../../test/helpers/corpus';
import { dnsQuery, ether, ipv4, ipv6, tcpSegment, udpDatagram, vxlan } from '../../../test/helpers/build';

// ---- what a frame must not leak ------------------------------------------------------------

interface Frame {
  data: Uint8Array;
  linkType: number;
}

const hex = (b: ArrayLike<number>) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** Addresses the design keeps on purpose (see the file comment). */
function keptOnPurpose(a: Uint8Array): boolean {
  if (a.length === 4) return a.every((x) => x === 0) || (a[0]! >= 224 && a[0]! <= 239) || a.every((x) => x === 255);
  if (a.length === 16) return a[0] === 0xff || a.every((x, i) => (i < 15 ? x === 0 : x <= 1));
  return (a[0]! & 1) === 1 || a.every((x) => x === 0);
}

/** Bytes of the input, and where they were. */
interface Found {
  off: number;
  bytes: Uint8Array;
}

/**
 * Too few distinct byte values to be told from structure: 00:00:00:00:00:02 is also the tail of
 * a zero-padded field, and 00 01 00 00 06 00 01 00 (a DNS answer's type and class) also the end
 * of the question kept before it. Such values are looked for where they were, not anywhere.
 */
const lowInformation = (b: Uint8Array) => new Set(b).size < (b.length === 4 ? 3 : 4);

/** Addresses in the decoded headers of one dissected frame (read independently of anonymise.ts). */
function addressesOf(d: ReturnType<Dissector['dissect']>): Found[] {
  const b = d.data;
  const out: Found[] = [];
  const take = (off: number, n: number) => {
    if (off >= 0 && off + n <= b.length) out.push({ off, bytes: b.slice(off, off + n) });
  };
  for (let i = 0; i < d.nLayers; i++) {
    const l = d.layer(i);
    const o = l.start;
    switch (l.kind) {
      case K.ETH:
        if (l.hdrEnd - o >= 14) for (const at of [o, o + 6]) take(at, 6);
        break;
      case K.IPV4: {
        if (!l.srcOff || l.invalid) break;
        take(l.srcOff, 4);
        take(l.dstOff, 4);
        // Source-route and record-route options (7, 131, 137) list addresses after the pointer.
        const end = Math.min(l.hdrEnd, b.length);
        for (let p = o + 20; p < end;) {
          const t = b[p]!;
          if (t === 0) break;
          if (t === 1) {
            p++;
            continue;
          }
          const n = b[p + 1] ?? 0;
          if (n < 2 || p + n > end) break;
          if (t === 7 || t === 131 || t === 137) for (let q = p + 3; q + 4 <= p + n; q += 4) take(q, 4);
          p += n;
        }
        break;
      }
      case K.IPV6:
        if (!l.srcOff) break;
        take(l.srcOff, 16);
        take(l.dstOff, 16);
        if (l.pseudoDstOff !== l.dstOff) take(l.pseudoDstOff, 16);
        break;
      case K.ARP:
        if (l.truncated || b[o + 4] !== 6 || b[o + 5] !== 4) break;
        for (const at of [8, 18]) take(o + at, 6);
        for (const at of [14, 24]) take(o + at, 4);
        break;
      case K.SLL: {
        const n = ((b[o + 4] ?? 0) << 8) | (b[o + 5] ?? 0);
        if (!l.truncated && (n === 4 || n === 6)) take(o + 6, n);
        break;
      }
      case K.SLL2: {
        const n = b[o + 11] ?? 0;
        if (!l.truncated && (n === 4 || n === 6)) take(o + 12, n);
        break;
      }
      case K.ICMP:
        if (l.icmpType === 5) take(o + 4, 4); // redirect: the gateway to use
        break;
    }
  }
  return out;
}

/** Every 8-byte run of the frame outside all decoded headers that is not all zero. */
function payloadRuns(d: ReturnType<Dissector['dissect']>): Found[] {
  const b = d.data;
  const header = new Uint8Array(b.length);
  for (let i = 0; i < d.nLayers; i++) {
    const l = d.layer(i);
    header.fill(1, Math.max(0, l.start), Math.min(b.length, l.hdrEnd));
  }
  const out: Found[] = [];
  for (let i = 0; i + 8 <= b.length; i++) {
    let ok = true;
    let nonZero = false;
    for (let j = i; j < i + 8; j++) {
      if (header[j]) ok = false;
      if (b[j]) nonZero = true;
    }
    if (ok && nonZero) out.push({ off: i, bytes: b.slice(i, i + 8) });
  }
  return out;
}

/** Is `needle` still at `off` in `hay`? */
function stillAt(hay: Uint8Array, f: Found): boolean {
  return f.bytes.every((x, i) => hay[f.off + i] === x);
}

/** Is what was found in the input still in the output (anywhere, or where it was if low-information)? */
const kept = (anon: Uint8Array, f: Found) => (lowInformation(f.bytes) ? stillAt(anon, f) : contains(anon, f.bytes));

/** Does `hay` contain `needle` anywhere? */
function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  const n = needle.length;
  outer: for (let i = 0; i + n <= hay.length; i++) {
    for (let j = 0; j < n; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Layer names, then checksum verdicts with their reasons, of a frame. */
function shape(dis: Dissector, f: Frame): { layers: string[]; checks: string[] } {
  const d = dis.dissect(f.data, f.linkType);
  return {
    layers: Array.from({ length: d.nLayers }, (_, i) => `${REGISTRY.byId.get(d.layer(i).kind)?.name ?? '?'}@${d.layer(i).depth}`),
    checks: Array.from({ length: d.nChecks }, (_, i) => {
      const c = d.check(i);
      return `${c.layer}@${c.depth}:${c.status}/${c.why}`;
    }),
  };
}

/** Anonymise `frames` with one mapper and return every problem found (empty when none). */
function audit(name: string, frames: Frame[], secrets: Uint8Array[] = []): string[] {
  const problems: string[] = [];
  const map = new AddressMapper();
  const dis = new Dissector();
  frames.forEach((f, n) => {
    const where = `${name} #${n + 1}`;
    const before = shape(dis, f);
    const d = dis.dissect(f.data, f.linkType);
    const addrs = d.unsupportedLink ? [] : addressesOf(d);
    const runs = d.unsupportedLink ? [] : payloadRuns(d);
    const anon = anonymiseFrame(f.data, f.linkType, map, dis);
    if (anon.length !== f.data.length) problems.push(`${where}: length ${anon.length} != ${f.data.length}`);
    if (d.unsupportedLink && anon.some((x) => x !== 0))
      problems.push(`${where}: link type ${f.linkType} not decoded, yet not blank`);
    for (const a of addrs) if (!keptOnPurpose(a.bytes) && kept(anon, a)) problems.push(`${where}: address ${hex(a.bytes)} kept`);
    for (const r of runs) if (kept(anon, r)) problems.push(`${where}: payload run ${hex(r.bytes)} at ${r.off} kept`);
    for (const s of secrets) if (contains(anon, s)) problems.push(`${where}: secret ${hex(s)} kept`);
    const after = shape(dis, { data: anon, linkType: f.linkType });
    if (after.layers.join() !== before.layers.join()) problems.push(`${where}: layers ${after.layers} != ${before.layers}`);
    if (after.checks.join() !== before.checks.join()) problems.push(`${where}: checks ${after.checks} != ${before.checks}`);
  });
  return problems;
}

async function captureFrames(rel: string, max = Infinity): Promise<Frame[]> {
  const out: Frame[] = [];
  try {
    await readCapture(
      bufferChunks(corpusBytes(rel)),
      (r) => {
        if (out.length < max) out.push({ data: r.data.slice(), linkType: r.linkType });
      },
      () => out.length >= max,
    );
  } catch {
    // Not a readable capture (the corpus has deliberately broken files): nothing to share.
  }
  return out;
}

// ---- hostile frames ------------------------------------------------------------------------

/** A byte pattern no header field produces: `n` bytes counting up from `seed`. */
const pattern = (seed: number, n: number) => Uint8Array.from({ length: n }, (_, i) => (seed + i * 7) & 0xff || 0x5a);
const ip = (s: string) => Uint8Array.from(s.split('.').map(Number));
const MAC_A = [0x0a, 0xbb, 0xcc, 0x11, 0x22, 0x33];
const MAC_B = [0x0a, 0xbb, 0xcc, 0x44, 0x55, 0x66];
const BCAST = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

/** Set the IPv4 header checksum of the packet at `o` right. */
function fixIpv4(b: Uint8Array, o = 0): Uint8Array {
  const hl = (b[o]! & 15) * 4;
  b[o + 10] = 0;
  b[o + 11] = 0;
  const c = checksumFromSum(sum16(b, o, o + hl));
  b[o + 10] = c >> 8;
  b[o + 11] = c & 0xff;
  return b;
}

/** Insert IPv4 options (a multiple of 4 bytes) into a built IPv4 packet. */
function withIpv4Options(pkt: Uint8Array, opts: number[]): Uint8Array {
  const b = concatBytes([pkt.subarray(0, 20), opts, pkt.subarray(20)]);
  b[0] = 0x40 | ((20 + opts.length) / 4);
  b[2] = b.length >> 8;
  b[3] = b.length & 0xff;
  return fixIpv4(b);
}

/** Ethernet + IPv6 (next header 0: hop-by-hop with one option) + ICMPv6 echo request. */
function ipv6HopByHopEcho(): Uint8Array {
  const hbh = [58, 1, 0x3e, 12, ...pattern(0x31, 12)]; // unknown option type 0x3e, skipped by receivers
  const icmp = concatBytes([[128, 0, 0, 0, 0x12, 0x34, 0, 1], pattern(0x61, 24)]);
  const pkt = ipv6(concatBytes([hbh, icmp]), { src: 'fd00:1234:5678::9', dst: 'fd00:1234:5678::10', proto: 0 });
  const o = 40 + hbh.length;
  const c = checksumFromSum(pseudoSum6(pkt, 8, 24, 58, icmp.length) + sum16(pkt, o, pkt.length));
  pkt[o + 2] = c >> 8;
  pkt[o + 3] = c & 0xff;
  return ether(pkt, 0x86dd, MAC_A, MAC_B);
}

/** TCP SYN whose options carry an MPTCP ADD_ADDR (with an IPv4 address) and a Fast Open cookie. */
function tcpWithIdentityOptions(): { frame: Uint8Array; secrets: Uint8Array[] } {
  const addr = ip('198.51.100.23');
  const cookie = pattern(0xc1, 8);
  const opts = [2, 4, 0x05, 0xb4, 30, 8, 0x30, 1, ...addr, 34, 10, ...cookie, 1, 1]; // MSS, ADD_ADDR, TFO, NOP NOP
  const seg = tcpSegment({ sport: 40000, dport: 443, seq: 1, flags: 0x02 });
  const t = concatBytes([seg.subarray(0, 20), opts]);
  t[12] = (t.length / 4) << 4;
  return { frame: ether(ipv4(t, { src: '10.1.1.1', dst: '10.1.1.2', proto: 6 })), secrets: [addr, cookie] };
}

const HOSTILE: { name: string; frames: Uint8Array[]; linkType?: number; secrets?: Uint8Array[] }[] = [
  {
    name: 'ARP inside VXLAN',
    frames: [
      ether(
        ipv4(
          udpDatagram(
            51000,
            4789,
            vxlan(
              ether(
                concatBytes([[0, 1, 8, 0, 6, 4, 0, 1], MAC_A, ip('10.9.8.7'), [0, 0, 0, 0, 0, 0], ip('10.9.8.6')]),
                0x0806,
                MAC_A,
                BCAST,
              ),
            ),
          ),
          { src: '192.0.2.10', dst: '192.0.2.11', proto: 17 },
        ),
      ),
      ether(
        ipv4(
          udpDatagram(
            51000,
            4789,
            vxlan(
              ether(concatBytes([[0, 1, 8, 0, 6, 4, 0, 2], MAC_B, ip('10.9.8.6'), MAC_A, ip('10.9.8.7')]), 0x0806, MAC_B, MAC_A),
            ),
          ),
          { src: '192.0.2.11', dst: '192.0.2.10', proto: 17 },
        ),
      ),
    ],
    secrets: [Uint8Array.from(MAC_A), Uint8Array.from(MAC_B), ip('10.9.8.7'), ip('10.9.8.6')],
  },
  {
    name: 'ICMP echo data',
    frames: [
      ether(
        ipv4(concatBytes([[8, 0, 0, 0, 0x43, 0x21, 0, 7], pattern(0x20, 32)]), { src: '10.0.0.1', dst: '10.0.0.2', proto: 1 }),
      ),
    ],
    secrets: [pattern(0x20, 32).subarray(0, 8), pattern(0x20, 32).subarray(24)],
  },
  {
    name: 'ESP payload',
    frames: [
      ether(
        ipv4(concatBytes([[0x5e, 0xc2, 0xe7, 0x01, 0, 0, 0, 9], pattern(0x90, 48)]), {
          src: '10.0.0.1',
          dst: '10.0.0.2',
          proto: 50,
        }),
      ),
    ],
    secrets: [pattern(0x90, 48).subarray(0, 8), pattern(0x90, 48).subarray(40)],
  },
  {
    name: 'Ethernet trailer after a short IPv4 packet',
    frames: [
      concatBytes([
        ether(ipv4(udpDatagram(5000, 6000, Uint8Array.of(1, 2)), { src: '10.0.0.1', dst: '10.0.0.2', proto: 17 })),
        pattern(0xd0, 16),
      ]),
    ],
    secrets: [pattern(0xd0, 16).subarray(0, 8), pattern(0xd0, 16).subarray(8)],
  },
  {
    name: 'IPv4 record-route option',
    frames: [
      ether(
        withIpv4Options(
          ipv4(tcpSegment({ sport: 1234, dport: 80, seq: 99, flags: 0x18, payload: pattern(0x40, 20) }), {
            src: '10.0.0.1',
            dst: '10.0.0.2',
            proto: 6,
          }),
          [7, 11, 12, ...ip('198.51.100.77'), ...ip('203.0.113.88'), 0],
        ),
      ),
    ],
    secrets: [ip('198.51.100.77'), ip('203.0.113.88'), pattern(0x40, 20).subarray(0, 8)],
  },
  {
    name: 'DNS query name',
    frames: [
      ether(
        ipv4(udpDatagram(33333, 53, dnsQuery(0x1234, 'payroll-db.secret-corp.example')), {
          src: '10.0.0.1',
          dst: '10.0.0.53',
          proto: 17,
        }),
      ),
    ],
    secrets: [new TextEncoder().encode('payroll'), new TextEncoder().encode('secret')],
  },
  {
    name: 'TCP payload',
    frames: [
      ether(
        ipv4(
          tcpSegment({
            sport: 40000,
            dport: 80,
            seq: 5,
            ack: 9,
            flags: 0x18,
            payload: new TextEncoder().encode('GET /salary?id=42 HTTP/1.1\r\n'),
          }),
          {
            src: '10.0.0.1',
            dst: '10.0.0.2',
            proto: 6,
          },
        ),
      ),
    ],
    secrets: [new TextEncoder().encode('salary')],
  },
  {
    name: 'GRE (transparent Ethernet bridging) with a key',
    frames: [
      ether(
        ipv4(
          concatBytes([
            [0x20, 0, 0x65, 0x58, 0, 0, 0, 42],
            ether(
              ipv4(udpDatagram(7000, 7001, pattern(0x70, 24)), { src: '172.16.5.5', dst: '172.16.5.6', proto: 17 }),
              0x0800,
              MAC_A,
              MAC_B,
            ),
          ]),
          { src: '10.0.0.1', dst: '10.0.0.2', proto: 47 },
        ),
      ),
    ],
    secrets: [pattern(0x70, 24).subarray(0, 8), ip('172.16.5.5'), Uint8Array.from(MAC_A)],
  },
  {
    name: 'Geneve with an option',
    frames: [
      ether(
        ipv4(
          udpDatagram(
            12345,
            6081,
            concatBytes([
              [0x02, 0, 0x65, 0x58, 0, 0, 7, 0], // 2 words of options
              [0x01, 0x02, 0x03, 0x01, ...pattern(0xa0, 4)],
              ether(
                ipv4(tcpSegment({ sport: 1, dport: 2, seq: 3, flags: 0x18, payload: pattern(0xb0, 16) }), {
                  src: '172.16.9.9',
                  dst: '172.16.9.10',
                  proto: 6,
                }),
                0x0800,
                MAC_B,
                MAC_A,
              ),
            ]),
          ),
          { src: '10.0.0.1', dst: '10.0.0.2', proto: 17 },
        ),
      ),
    ],
    secrets: [pattern(0xa0, 4), pattern(0xb0, 16).subarray(0, 8), ip('172.16.9.9')],
  },
  {
    name: 'ICMP redirect (gateway address) quoting a DNS query',
    frames: [
      ether(
        ipv4(
          concatBytes([
            [5, 1, 0, 0, ...ip('198.51.100.254')],
            ipv4(udpDatagram(33333, 53, dnsQuery(7, 'intranet.secret-corp.example')), {
              src: '10.0.0.1',
              dst: '10.0.0.53',
              proto: 17,
            }),
          ]),
          { src: '10.0.0.254', dst: '10.0.0.1', proto: 1 },
        ),
      ),
    ],
    secrets: [ip('198.51.100.254'), new TextEncoder().encode('intranet')],
  },
  {
    name: 'Linux cooked capture of a tunnel interface (4-byte link-layer address)',
    linkType: 113,
    frames: [
      concatBytes([
        [0, 4, 0x03, 0x00, 0, 4, ...ip('203.0.113.9'), 0, 0, 0x08, 0x00], // sent by us, ARPHRD_TUNNEL
        ipv4(udpDatagram(1, 2, pattern(0x11, 12)), { src: '10.0.0.1', dst: '10.0.0.2', proto: 17 }),
      ]),
    ],
    secrets: [ip('203.0.113.9')],
  },
  {
    name: 'TCP options with identities (MPTCP ADD_ADDR, Fast Open cookie)',
    frames: [tcpWithIdentityOptions().frame],
    secrets: tcpWithIdentityOptions().secrets,
  },
  {
    name: 'IPv6 hop-by-hop option and ICMPv6 echo data',
    frames: [ipv6HopByHopEcho()],
    secrets: [pattern(0x31, 12).subarray(0, 8), pattern(0x61, 24).subarray(0, 8)],
  },
  {
    name: 'Linux cooked v2 capture of a tunnel interface',
    linkType: 276,
    frames: [
      concatBytes([
        [0x08, 0x00, 0, 0, 0, 0, 0, 7, 0x03, 0x0a, 4, 4, ...ip('203.0.113.19'), 0, 0, 0, 0], // ARPHRD_IPGRE
        ipv4(udpDatagram(1, 2, pattern(0x15, 12)), { src: '10.0.0.1', dst: '10.0.0.2', proto: 17 }),
      ]),
    ],
    secrets: [ip('203.0.113.19')],
  },
  {
    name: 'ICMP of an unassigned type (bytes 4-7 unknown) and a later IPv4 fragment',
    frames: [
      ether(
        ipv4(concatBytes([[42, 0, 0, 0], ip('198.51.100.42'), pattern(0x17, 16)]), {
          src: '10.0.0.1',
          dst: '10.0.0.2',
          proto: 1,
        }),
      ),
      ether(
        fixIpv4(
          ipv4(pattern(0x19, 40), { src: '10.0.0.1', dst: '10.0.0.2', proto: 17, l4: 0x1234 }).map((x, i) =>
            i === 6 ? 0x00 : i === 7 ? 0xb9 : x,
          ),
        ),
      ),
    ],
    secrets: [ip('198.51.100.42'), pattern(0x19, 40).subarray(8, 16)], // bytes 6-7 hold the UDP checksum
  },
  {
    name: 'class E source address and an unknown ethertype',
    frames: [
      ether(ipv4(udpDatagram(1, 2, pattern(0x12, 10)), { src: '240.12.34.56', dst: '10.0.0.2', proto: 17 })),
      ether(pattern(0x13, 40), 0x88b5),
    ],
    secrets: [ip('240.12.34.56'), pattern(0x13, 40).subarray(0, 8)],
  },
];

describe('anonymisation leaks nothing', () => {
  for (const h of HOSTILE) {
    it(`hostile: ${h.name}`, () => {
      const frames = h.frames.map((data) => ({ data, linkType: h.linkType ?? 1 }));
      // The secrets must be there to begin with, or the test proves nothing.
      for (const s of h.secrets ?? [])
        expect(
          frames.some((f) => contains(f.data, s)),
          hex(s),
        ).toBe(true);
      expect(audit(h.name, frames, h.secrets)).toEqual([]);
    });
  }

  it('remaps ARP addresses as the IP and Ethernet headers are remapped (one mapper)', () => {
    const arp = ether(
      concatBytes([[0, 1, 8, 0, 6, 4, 0, 1], MAC_A, ip('10.9.8.7'), [0, 0, 0, 0, 0, 0], ip('10.9.8.6')]),
      0x0806,
      MAC_A,
      BCAST,
    );
    const udp = ether(
      ipv4(udpDatagram(1000, 2000, pattern(1, 8)), { src: '10.9.8.7', dst: '10.9.8.6', proto: 17 }),
      0x0800,
      MAC_A,
      MAC_B,
    );
    const outer = (inner: Uint8Array) =>
      ether(ipv4(udpDatagram(51000, 4789, vxlan(inner)), { src: '192.0.2.10', dst: '192.0.2.11', proto: 17 }));
    const map = new AddressMapper();
    const off = 14 + 20 + 8 + 8; // inner Ethernet inside VXLAN
    const a = anonymiseFrame(outer(arp), 1, map).subarray(off);
    const u = anonymiseFrame(outer(udp), 1, map).subarray(off);
    expect(hex(a.subarray(14 + 8, 14 + 14)), 'ARP sender MAC = Ethernet source').toBe(hex(u.subarray(6, 12)));
    expect(hex(a.subarray(6, 12))).toBe(hex(u.subarray(6, 12)));
    expect(hex(a.subarray(14 + 14, 14 + 18)), 'ARP sender IP = IP source').toBe(hex(u.subarray(14 + 12, 14 + 16)));
    expect(hex(a.subarray(14 + 24, 14 + 28)), 'ARP target IP = IP destination').toBe(hex(u.subarray(14 + 16, 14 + 20)));
    expect(hex(a.subarray(14 + 14, 14 + 18))).not.toBe(hex(ip('10.9.8.7')));
  });

  it('keeps IPv4 option types, lengths and route pointers (the header still parses), blanks their contents', () => {
    const pkt = withIpv4Options(ipv4(udpDatagram(1, 2, pattern(3, 8)), { src: '10.0.0.1', dst: '10.0.0.2', proto: 17 }), [
      1, // no-operation
      7,
      11,
      8,
      ...ip('198.51.100.77'),
      ...ip('203.0.113.88'), // record route, one hop recorded
      148,
      4,
      0x12,
      0x34, // router alert (value blanked)
      0, // end of options
      0x55,
      0x66,
      0x77, // garbage after the end: blanked
    ]);
    const anon = anonymiseFrame(ether(pkt), 1, new AddressMapper()).subarray(14);
    expect(hex(anon.subarray(20, 40))).toBe(hex([1, 7, 11, 8, 0, 0, 0, 0, 0, 0, 0, 0, 148, 4, 0, 0, 0, 0, 0, 0]));
    expect(shape(new Dissector(), { data: anon, linkType: 101 })).toEqual(shape(new Dissector(), { data: pkt, linkType: 101 }));
  });

  it('AddressMapper: consistent, prefix-preserving, never hands out an original it was given', () => {
    const m = new AddressMapper();
    const v6 = (last: number) => [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last];
    const given: string[] = [];
    const outs: string[] = [];
    for (const last of [1, 2, 3]) {
      given.push(v6(last).join());
      outs.push(m.ip6(v6(last)).join());
    }
    expect(m.ip6(v6(2)).join()).toBe(outs[1]);
    for (const o of outs) expect(given).not.toContain(o);
    expect(new Set(outs).size).toBe(3);
    // One /24 stays one /24, hosts keep their octet; first octet kept (private stays private).
    const a = m.ip4([192, 168, 7, 1]);
    const b = m.ip4([192, 168, 7, 2]);
    expect(a.slice(0, 3)).toEqual(b.slice(0, 3));
    expect([a[0], a[3], b[3]]).toEqual([192, 1, 2]);
    expect(a).not.toEqual([192, 168, 7, 1]);
    // A prefix that is itself an original is not handed out as a replacement.
    const m2 = new AddressMapper();
    expect(m2.ip4([10, 200, 1, 5])).not.toEqual([10, 200, 1, 5]); // its own prefix is the first candidate
    expect(m2.ip4([10, 0, 0, 5])).not.toEqual([10, 200, 1, 5]);
    // Kept on purpose: they name no host.
    for (const k of [
      [0, 0, 0, 0],
      [224, 0, 0, 251],
      [239, 1, 2, 3],
      [255, 255, 255, 255],
    ])
      expect(m.ip4(k)).toEqual(k);
    for (const k of [
      [240, 1, 2, 3],
      [0, 1, 2, 3],
      [255, 1, 2, 3],
    ])
      expect(m.ip4(k)).not.toEqual(k);
    expect(m.macAddr([0xff, 0xff, 0xff, 0xff, 0xff, 0xff])).toEqual([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(new AddressMapper().macAddr([0x02, 0x00, 0x5e, 0, 0, 1])).not.toEqual([0x02, 0x00, 0x5e, 0, 0, 1]);
    const scheme = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0x5e, 0, 0, 1]; // the first replacement it would make
    expect(new AddressMapper().ip6(scheme)).not.toEqual(scheme);
  });

  it('every scenario capture', async () => {
    const files = corpusFiles().filter((f) => f.startsWith('scenarios/'));
    expect(files.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const f of files) problems.push(...audit(f, await captureFrames(f)));
    expect(problems).toEqual([]);
  });

  it('the real corpus (the first 200 frames of each capture)', async () => {
    const files = corpusFiles().filter((f) => f.startsWith('real/'));
    expect(files.length).toBeGreaterThan(0);
    const problems: string[] = [];
    let frames = 0;
    for (const f of files) {
      const fr = await captureFrames(f, 200);
      frames += fr.length;
      problems.push(...audit(f, fr));
    }
    expect(frames).toBeGreaterThan(500);
    expect(problems.slice(0, 40)).toEqual([]);
  }, 60_000);
});

/** Synthetic captures of floods, for the tests of what the page receives and draws. */
import { writeCapture } from '../../src/core/capture/writer';
import { dnsQuery, ether, ipv4, tcpSegment, udpDatagram, vxlan } from './build';

/**
 * A flood (for what the page draws of one): with `extras`, one connection's SYN sent `n` times through a VXLAN tunnel (every other one with the
 * bug's 0xffff outer checksum), the server answering each with a SYN-ACK that never arrives, and
 * one DNS query asked `n` times without an answer. Every per-attempt list is `n` long.
 */
export function flood(n = 300, extras = true): Uint8Array {
  const packets = [];
  const wrap = (inner: Uint8Array, l4: 'zero' | number, sport: number) =>
    ether(ipv4(udpDatagram(sport, 8472, vxlan(ether(inner))), { src: '192.168.0.1', dst: '192.168.0.2', proto: 17, l4 }));
  for (let i = 0; i < n; i++) {
    const ts = 1000 + i;
    const syn = ipv4(tcpSegment({ sport: 40000, dport: 9153, seq: 1000, flags: 0x02, mss: 1410 }), {
      src: '10.244.0.5',
      dst: '10.244.1.9',
      proto: 6,
      id: i,
    });
    const sa = ipv4(tcpSegment({ sport: 9153, dport: 40000, seq: 7000, ack: 1001, flags: 0x12, mss: 1410 }), {
      src: '10.244.1.9',
      dst: '10.244.0.5',
      proto: 6,
      id: i,
    });
    const q = ipv4(udpDatagram(5353, 53, dnsQuery(7, 'svc.cluster.local')), {
      src: '10.244.0.5',
      dst: '10.96.0.10',
      proto: 17,
      id: 10000 + i,
    });
    for (const [t, data] of [
      [ts, wrap(syn, i % 2 ? 'zero' : 0xffff, 41000 + i)],
      ...(extras
        ? ([
            [ts + 0.001, wrap(sa, 'zero', 42000 + i)],
            [ts + 0.5, wrap(q, 'zero', 43000 + i)],
          ] as const)
        : []),
    ] as const)
      packets.push({ ts: t, data, origLen: data.length, linkType: 1 });
  }
  return writeCapture(packets).bytes;
}

/**
 * Many retried connections at once (a SYN flood from many ports): `conns` connections whose SYN is
 * sent `n` times each, never answered. Each is its own finding with `n` attempts.
 */
export function manyLadders(conns = 12, n = 40): Uint8Array {
  const packets = [];
  for (let i = 0; i < n; i++)
    for (let c = 0; c < conns; c++) {
      const syn = ipv4(tcpSegment({ sport: 50000 + c, dport: 80, seq: 1000 + c, flags: 0x02, mss: 1460 }), {
        src: '10.1.0.1',
        dst: '10.2.0.2',
        proto: 6,
        id: i * conns + c,
      });
      const data = ether(syn);
      packets.push({ ts: 1000 + i + c / 1000, data, origLen: data.length, linkType: 1 });
    }
  return writeCapture(packets).bytes;
}

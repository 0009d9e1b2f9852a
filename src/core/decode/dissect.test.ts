import { describe, expect, it } from 'vitest';
import { fold, pseudoSum4 } from '../checksum';
import { dnsQuery, ether, ipv4, ipv6, tcpSegment, udpDatagram, vxlan, type ChecksumMode } from '../../../test/helpers/build';
import { readCapture } from '../capture/reader';
import { bufferChunks } from '../capture/source';
import { corpusBytes } from '../../../test/helpers/corpus';
import { Dissector } from './dissect';
import { summarize } from './format';

const LT_ETHERNET = 1;
import { K, TCP_SYN } from './layers';

const syn = (l4: ChecksumMode = 'correct') =>
  ipv4(tcpSegment({ sport: 40233, dport: 9153, seq: 1769165320, flags: TCP_SYN, tsVal: 19658463, mss: 65495 }), {
    src: '172.29.0.0',
    dst: '172.29.2.3',
    proto: 6,
    id: 42199,
    df: true,
    l4,
  });

const overVxlan = (inner: Uint8Array, outerL4: ChecksumMode, port = 8472) =>
  ether(
    ipv4(udpDatagram(60142, port, vxlan(ether(inner))), {
      src: '10.0.0.11',
      dst: '10.0.0.13',
      proto: 17,
      id: 43516,
      l4: outerL4,
    }),
  );

function checks(frame: Uint8Array, lt = LT_ETHERNET) {
  const d = new Dissector().dissect(frame, lt);
  return Array.from({ length: d.nChecks }, (_, i) => {
    const c = d.check(i);
    return {
      layer: c.layer,
      depth: c.depth,
      status: c.status,
      stored: c.stored,
      computed: c.computed,
      reason: c.reason,
      tunnel: c.tunnelOuter,
    };
  });
}

describe('dissector checksums', () => {
  it('verifies outer and inner checksums of a VXLAN packet', () => {
    const c = checks(overVxlan(syn(), 'correct'));
    expect(c.map((x) => `${x.layer}@${x.depth}:${x.status}`)).toEqual(['ipv4@0:good', 'udp@0:good', 'ipv4@1:good', 'tcp@1:good']);
    expect(c[1]!.tunnel).toBe(true);
  });

  it('calls a wrong outer UDP checksum bad and reports the right value (the 0xffff incident)', () => {
    const good = checks(overVxlan(syn(), 'correct'))[1]!.stored;
    const c = checks(overVxlan(syn(), 0xffff));
    expect(c[1]).toMatchObject({ layer: 'udp', status: 'bad', stored: 0xffff, computed: good, tunnel: true });
    expect(c[3]!.status).toBe('good');
  });

  it('treats UDP checksum 0 as zero, never bad', () => {
    expect(checks(overVxlan(syn(), 'zero'))[1]).toMatchObject({ status: 'zero', stored: 0 });
  });

  it('recognises a pseudo-header-only field as partial (transmit offload)', () => {
    const c = checks(ether(syn('partial')));
    expect(c[1]).toMatchObject({ layer: 'tcp', status: 'partial', stored: 0x5a6c });
    expect(c[1]!.reason).toMatch(/pseudo-header/);
  });

  it('recognises local checksum offload: the outer verifies once the inner partial is completed', () => {
    // Build the packet with every checksum correct, then put the inner TCP field back to its
    // partial value, exactly what a veth/NIC capture shows with LCO.
    const frame = overVxlan(syn(), 'correct');
    const innerTcp = 14 + 20 + 8 + 8 + 14 + 20;
    const partial = fold(pseudoSum4(frame, innerTcp - 20 + 12, innerTcp - 20 + 16, 6, frame.length - innerTcp));
    frame[innerTcp + 16] = partial >> 8;
    frame[innerTcp + 17] = partial & 0xff;
    const c = checks(frame);
    expect(c[3]).toMatchObject({ layer: 'tcp', depth: 1, status: 'partial', stored: partial });
    expect(c[1]).toMatchObject({ layer: 'udp', depth: 0, status: 'partial' });
    expect(c[1]!.reason).toMatch(/local checksum offload/);
    // ...and a genuinely bad outer on the same packet is still bad.
    frame[14 + 20 + 6] = frame[14 + 20 + 6]! ^ 0x10;
    expect(checks(frame)[1]!.status).toBe('bad');
  });

  it('honours extra VXLAN ports', () => {
    const frame = overVxlan(syn(), 'correct', 9999);
    expect(checks(frame).length).toBe(2);
    const d = new Dissector({ vxlanPorts: [9999] }).dissect(frame, LT_ETHERNET);
    expect(d.nChecks).toBe(4);
  });

  it('verifies IPv6 UDP with the IPv6 pseudo-header, and zero over IPv6 is zero with a reason', () => {
    const good = ipv6(udpDatagram(5353, 53, dnsQuery(7, 'example.com')), { src: '2001:db8::1', dst: '2001:db8::2', proto: 17 });
    expect(checks(ether(good, 0x86dd))[0]).toMatchObject({ layer: 'udp', status: 'good' });
    const zero = ipv6(udpDatagram(5353, 53, dnsQuery(7, 'example.com')), {
      src: '2001:db8::1',
      dst: '2001:db8::2',
      proto: 17,
      l4: 'zero',
    });
    expect(checks(ether(zero, 0x86dd))[0]).toMatchObject({ status: 'zero', reason: 'zero over IPv6' });
  });

  it('reports snaplen-truncated transport checksums as unverified and keeps the layer with a flag', () => {
    const frame = overVxlan(syn(), 'correct').subarray(0, 80);
    const d = new Dissector().dissect(frame, LT_ETHERNET);
    const udp = Array.from({ length: d.nLayers }, (_, i) => d.layer(i)).find((l) => l.kind === K.UDP)!;
    expect(udp.truncated).toBe(true);
    expect(checks(frame)[1]).toMatchObject({ layer: 'udp', status: 'unverified', reason: 'truncated' });
  });

  it('reports fragments as unverified', () => {
    const pkt = syn();
    pkt[6] = 0x20; // MF
    pkt[10] = 0;
    pkt[11] = 0;
    const c = checks(ether(pkt));
    expect(c.find((x) => x.layer === 'tcp')).toMatchObject({ status: 'unverified', reason: 'IP fragment' });
  });

  it('decodes stacked VLAN tags and Linux cooked v2', async () => {
    const d = new Dissector();
    let kinds: number[] = [];
    await readCapture(bufferChunks(corpusBytes('real/zeek__vlan-qinqinq.pcap')), (r) => {
      const x = d.dissect(r.data, r.linkType);
      if (!kinds.length) kinds = Array.from({ length: x.nLayers }, (_, i) => x.layer(i).kind);
    });
    expect(kinds.slice(0, 5)).toEqual([K.ETH, K.VLAN, K.VLAN, K.VLAN, K.IPV4]);
    kinds = [];
    await readCapture(bufferChunks(corpusBytes('real/zeek__linux_dlt_sll2.pcap')), (r) => {
      const x = d.dissect(r.data, r.linkType);
      if (!kinds.length) kinds = Array.from({ length: x.nLayers }, (_, i) => x.layer(i).kind);
    });
    expect(kinds[0]).toBe(K.SLL2);
  });
});

describe('layers of earlier frames', () => {
  it('are never read as this frame\'s (a later fragment after a UDP datagram is a fragment, not "UDP")', async () => {
    // tcpdump's afs.pcap: frame 126 is the second fragment of a UDP datagram. The layer pool
    // still held frame 125's UDP layer one past the IP layer; the summary used to read it.
    const dis = new Dissector();
    const summaries: string[] = [];
    await readCapture(bufferChunks(corpusBytes('real/tcpdump__afs.pcap')), (r) =>
      summaries.push(summarize(dis.dissect(r.data, r.linkType, r.origLen))),
    );
    expect(summaries[124]).toMatch(/UDP len 1472/);
    expect(summaries[125]).toBe('131.151.1.146 > 131.151.32.21: proto 17 fragment offset 1480+');
    const d = dis.dissect(new Uint8Array(10), 1);
    expect(d.nLayers).toBe(1);
    expect(d.layers.length).toBeGreaterThan(3);
    expect(d.at(1)).toBeUndefined();
    expect(d.at(-1)).toBeUndefined();
  });
});

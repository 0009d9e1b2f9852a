/**
 * Generate a large capture of mixed plain and VXLAN traffic (valid, bad, zero and offload
 * checksums, SYN retries, DNS), streamed to disk. Used by `npm run bench` and the e2e tests.
 *
 *   npx tsx bench/generate.ts OUT.pcap SIZE_MIB
 */
import { createWriteStream } from 'node:fs';
import { dnsQuery, ether, ipv4, tcpSegment, udpDatagram, vxlan, type ChecksumMode } from '../test/helpers/build';
import { writePcapHeader, writeRecord } from '../src/core/capture/writer';
import { fold, neg16 } from '../src/core/checksum';
import { TCP_ACK, TCP_PSH, TCP_SYN } from '../src/core/decode/layers';

const FLOWS = 512;

interface Template {
  data: Uint8Array;
  /** Offset of a plain TCP segment's seq field and checksum, to advance seq per copy. */
  seqOff: number;
  ckOff: number;
  step: number;
}

function templates(): Template[] {
  const out: Template[] = [];
  const payload = new Uint8Array(900).map((_, i) => (i * 7) & 0xff);
  for (let f = 0; f < FLOWS; f++) {
    const c = `10.1.${(f >> 8) & 255}.${f & 255}`;
    const sport = 30000 + f;
    // Plain data segment, correct checksum: seq advanced per copy (incremental update, RFC 1624).
    const seg = ether(
      ipv4(tcpSegment({ sport, dport: 443, seq: 1000, ack: 1, flags: TCP_ACK | TCP_PSH, tsVal: 1, tsEcr: 1, payload }), {
        src: c,
        dst: '10.2.0.1',
        proto: 6,
        id: f,
      }),
    );
    out.push({ data: seg, seqOff: 14 + 20 + 4, ckOff: 14 + 20 + 16, step: payload.length });
    // Plain ACK, partial checksum (captured on the sender).
    out.push({
      data: ether(
        ipv4(tcpSegment({ sport: 443, dport: sport, seq: 1, ack: 1000, flags: TCP_ACK, tsVal: 2, tsEcr: 1 }), {
          src: '10.2.0.1',
          dst: c,
          proto: 6,
          id: f,
          l4: 'partial',
        }),
      ),
      seqOff: -1,
      ckOff: -1,
      step: 0,
    });
    // VXLAN-wrapped data with outer checksum zero, bad, or correct.
    const outer: ChecksumMode = f % 3 === 0 ? 'zero' : f % 3 === 1 ? 0xffff : 'correct';
    const inner = ipv4(
      tcpSegment({
        sport: sport + 10000,
        dport: 9153,
        seq: 5,
        ack: 1,
        flags: TCP_ACK,
        tsVal: 3,
        tsEcr: 1,
        payload: payload.subarray(0, 200),
      }),
      {
        src: `172.29.${f & 255}.1`,
        dst: '172.29.2.3',
        proto: 6,
        id: f,
      },
    );
    out.push({
      data: ether(
        ipv4(udpDatagram(40000 + f, 8472, vxlan(ether(inner))), {
          src: '192.168.0.1',
          dst: '192.168.0.2',
          proto: 17,
          id: f,
          l4: outer,
        }),
      ),
      seqOff: -1,
      ckOff: -1,
      step: 0,
    });
    if (f % 8 === 0) {
      out.push({
        data: ether(
          ipv4(udpDatagram(33000 + f, 53, dnsQuery(f, `svc-${f}.cluster.local`)), { src: c, dst: '10.96.0.10', proto: 17 }),
        ),
        seqOff: -1,
        ckOff: -1,
        step: 0,
      });
      out.push({
        data: ether(
          ipv4(tcpSegment({ sport: sport + 20000, dport: 80, seq: 77, flags: TCP_SYN, tsVal: 9, mss: 1460 }), {
            src: c,
            dst: '10.2.0.2',
            proto: 6,
            id: f,
          }),
        ),
        seqOff: -1,
        ckOff: -1,
        step: 0,
      });
    }
  }
  return out;
}

/** Write about `bytes` of capture to `path`; resolves with the packet count. */
export async function generateCapture(path: string, bytes: number): Promise<number> {
  const ts = templates();
  const ws = createWriteStream(path);
  const head = new Uint8Array(24);
  writePcapHeader(new DataView(head.buffer), 1);
  ws.write(head);
  const BUF = 4 * 1024 * 1024;
  let buf = new Uint8Array(BUF);
  let dv = new DataView(buf.buffer);
  let o = 0;
  let written = 24;
  let n = 0;
  let t = 1_700_000_000;
  const seqs = new Uint32Array(ts.length);
  while (written < bytes) {
    for (let i = 0; i < ts.length && written < bytes; i++) {
      const tp = ts[i]!;
      if (tp.seqOff >= 0) {
        // Advance the sequence number and patch the checksum: HC' = ~(~HC + ~m + m').
        const d = tp.data;
        const old = seqs[i]!;
        const nu = (old + tp.step) >>> 0;
        seqs[i] = nu;
        const v = new DataView(d.buffer, d.byteOffset);
        const prev = v.getUint32(tp.seqOff);
        const next = (prev + tp.step) >>> 0;
        v.setUint32(tp.seqOff, next);
        const hc = v.getUint16(tp.ckOff);
        const sum = neg16(hc) + neg16(prev >>> 16) + neg16(prev & 0xffff) + (next >>> 16) + (next & 0xffff);
        v.setUint16(tp.ckOff, neg16(fold(sum)));
      }
      if (o + 16 + tp.data.length > BUF) {
        if (!ws.write(buf.subarray(0, o))) await new Promise<void>((r) => ws.once('drain', () => r()));
        buf = new Uint8Array(BUF);
        dv = new DataView(buf.buffer);
        o = 0;
      }
      t += 0.0001;
      o = writeRecord(buf, dv, o, { ts: t, data: tp.data }, false);
      written += 16 + tp.data.length;
      n++;
    }
  }
  ws.write(buf.subarray(0, o));
  await new Promise<void>((r, j) => ws.end((e?: Error | null) => (e ? j(e) : r())));
  return n;
}

if (process.argv[1] && /generate\.ts$/.test(process.argv[1])) {
  const [out, mib] = process.argv.slice(2);
  if (!out || !mib) {
    process.stderr.write('usage: tsx bench/generate.ts OUT.pcap SIZE_MIB\n');
    process.exit(2);
  }
  void generateCapture(out, Number(mib) * 1048576).then((n) => process.stdout.write(`${out}: ${n} packets\n`));
}

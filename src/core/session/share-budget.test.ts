/**
 * What a link carries: every link fits the 2,000-character budget when it can (evidence beyond it
 * is cut, first and last pieces kept, and the preview says how many packets were left out), and
 * the packets it keeps re-analyse to the sender's cause: a DNS query travels with its answer, an
 * `-i any` attempt with its tunnelled copy.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAPTURES, REPO } from '../../../test/helpers/corpus';
import { ether, ipv4, udpDatagram, vxlan } from '../../../test/helpers/build';
import { writeCapture } from '../capture/writer';
import { INCIDENT_BUDGET } from '../share/permalink';
import { Session } from '.';

/** 120 tunnelled datagrams of distinct flows, each with a different wrong outer UDP checksum. */
function corrupted(): Uint8Array {
  const packets = [];
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16;
  for (let i = 0; i < 120; i++) {
    const payload = Uint8Array.from({ length: 64 }, () => rnd() & 0xff);
    const inner = ether(ipv4(udpDatagram(20000 + i, 7000, payload), { src: '10.244.0.5', dst: '10.244.1.9', proto: 17, id: i }));
    const outer = ether(
      ipv4(udpDatagram(40000 + i, 8472, vxlan(inner)), {
        src: '192.168.0.1',
        dst: '192.168.0.2',
        proto: 17,
        l4: 1 + (rnd() % 60000),
      }),
    );
    packets.push({ ts: 1000 + i * 0.01, data: outer, origLen: outer.length, linkType: 1 });
  }
  return writeCapture(packets).bytes;
}

describe('share budget', () => {
  for (const anonymise of [false, true])
    it(`a capture with 120 pieces of evidence is cut to fit${anonymise ? ' (anonymised)' : ''}`, async () => {
      const a = new Session();
      const res = await a.analyze([{ kind: 'bytes', name: 'corrupt.pcap', bytes: corrupted() }], {});
      if (!res.ok) throw new Error('analysis failed');
      const sent = res.reports.en.diagnosis;
      expect(sent.evidence.length).toBeGreaterThan(20);
      const link = await a.share(anonymise);
      if (!('value' in link)) throw new Error('share failed');
      expect(`https://pcap-doctor.example/#r=${link.value}`.length).toBeLessThanOrEqual(INCIDENT_BUDGET);
      // Random payloads do not compress: the plain link must drop evidence. Anonymised payloads
      // are zeroed and the whole evidence fits.
      expect(link.truncated).toBe(!anonymise);
      expect(link.omitted > 0).toBe(!anonymise);
      expect(link.packets.length + link.omitted).toBe(sent.evidence.length);
      const back = await new Session().openShared(link.value);
      if (!back.ok) throw new Error(back.error.message);
      expect(back.reports.en.diagnosis.cause).toBe(sent.cause);
      expect(back.shared!.truncated).toBe(!anonymise);
    });
});

describe('answers travel with their queries', () => {
  for (const anonymise of [false, true])
    it(`21 DNS queries with bad checksums, all answered: the recipient sees them answered${anonymise ? ' (anonymised)' : ''}`, async () => {
      const bytes = new Uint8Array(readFileSync(`${CAPTURES}/real/tcpdump__edns-opts.pcap`));
      const a = new Session();
      const res = await a.analyze([{ kind: 'bytes', name: 'edns.pcap', bytes }], {});
      if (!res.ok) throw new Error('analysis failed');
      expect(res.reports.en.diagnosis.cause).toBe('checksum-errors');
      const link = await a.share(anonymise);
      if (!('value' in link)) throw new Error('share failed');
      // Every query shared comes with its answer (the frame after it), or the pair is left out whole.
      const shared = new Set(link.packets.map((p) => p.frame));
      for (const n of shared) expect(shared.has(n % 2 ? n + 1 : n - 1), `frame ${n}'s partner`).toBe(true);
      const back = await new Session().openShared(link.value);
      if (!back.ok) throw new Error(back.error.message);
      // Without the answers this came back as dns-unanswered.
      expect(back.reports.en.diagnosis.cause).toBe('checksum-errors');
    });
});

describe('-i any: the tunnelled copy is the evidence', () => {
  for (const anonymise of [false, true])
    it(`exp-csum-sender-any${anonymise ? ' (anonymised)' : ''}: the recipient sees the bad outer checksums too`, async () => {
      const bytes = new Uint8Array(readFileSync(`${REPO}/test/captures/netns/exp-csum-sender-any.pcap`));
      const a = new Session();
      const res = await a.analyze([{ kind: 'bytes', name: 'any.pcap', bytes }], {});
      if (!res.ok) throw new Error('analysis failed');
      const r = res.reports.en;
      expect(r.diagnosis.cause).toBe('vxlan-checksum-drop');
      // Each SYN is seen inside the tunnel first and outside it second: the evidence names the
      // outer copy, where the bad checksum is.
      const retry = r.findings[r.diagnosis.primaryFinding];
      if (retry?.kind !== 'syn-retry') throw new Error('no syn-retry');
      const outer = retry.attemptList.map((x) => x.outerFrame);
      expect(outer.every((n) => n !== undefined)).toBe(true);
      expect(r.diagnosis.evidence.slice(0, outer.length)).toEqual(outer);
      const link = await a.share(anonymise);
      if (!('value' in link)) throw new Error('share failed');
      const back = await new Session().openShared(link.value);
      if (!back.ok) throw new Error(back.error.message);
      // Before: only the inner copies travelled, and the recipient saw plain SYNs (syn-dropped).
      expect(back.reports.en.diagnosis.cause).toBe('vxlan-checksum-drop');
      expect(back.shared!.claim.outer).toEqual(retry.attemptList.map((x) => x.outerChecksum));
    });
});

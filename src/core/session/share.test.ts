/**
 * Permalinks carry every cause and the evidence that proves it: each fault capture (and a pair)
 * is shared, plain and anonymised, opened in a fresh session and re-analysed to the same cause.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../../test/helpers/corpus';
import { CAUSES } from '../analysis/rules/causes';
import { Session, type CaptureSource } from '.';

const F = `${REPO}/test/captures/netns/faults/`;
const src = (name: string): CaptureSource => ({ kind: 'bytes', name, bytes: new Uint8Array(readFileSync(F + name)) });

async function roundTrip(files: string[], anonymise: boolean) {
  const a = new Session();
  const res = await a.analyze(files.map(src), {});
  if (!res.ok) throw new Error('analysis failed');
  const link = await a.share(anonymise);
  if (!('value' in link)) throw new Error('share failed');
  const b = new Session();
  const back = await b.openShared(link.value);
  if (!back.ok) throw new Error(`open failed: ${back.error.message}`);
  return { sent: res.reports.en.diagnosis, got: back.reports.en.diagnosis, claim: back.shared!.claim, link };
}

describe('permalinks of every cause', () => {
  const cases: [string[], string][] = [
    [['refused-rst-client-eth0.pcap'], 'connection-refused'],
    [['refused-icmp-server-eth0.pcap'], 'connection-refused'],
    [['synack-lost-server-eth0.pcap'], 'synack-lost'],
    [['mtu-blackhole-server-eth0.pcap'], 'mtu-blackhole'],
    [['mtu-blackhole-client-eth0.pcap'], 'transfer-stalled'],
    [['dns-delay-client-eth0.pcap'], 'dns-delayed'],
    [['synack-lost-client-eth0.pcap'], 'syn-dropped'],
    [['synack-lost-server-flannel1.pcap', 'synack-lost-client-eth0.pcap'], 'synack-lost'],
  ];
  for (const [files, cause] of cases)
    for (const anonymise of [false, true])
      it(`${files.join(' + ')}${anonymise ? ' (anonymised)' : ''}: ${cause} on both ends`, async () => {
        const { sent, got, claim, link } = await roundTrip(files, anonymise);
        expect(sent.cause).toBe(cause);
        // The claim travels with its own wire code; the evidence re-analysed says the same.
        expect(claim.cause).toBe(cause);
        expect(got.cause).toBe(cause);
        expect(link.omitted).toBe(0);
        // The sender's frame numbers are kept, so the evidence is the same list.
        expect(got.evidence).toEqual(sent.evidence);
      });

  it('every cause has a distinct wire code', () => {
    const codes = CAUSES.map((c) => c.wire);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

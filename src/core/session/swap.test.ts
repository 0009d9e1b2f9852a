/**
 * Two capture points located the wrong way round can be swapped by the user: sides and the
 * upstream point trade places, the diagnosis is rebuilt from them, and swapping again restores
 * exactly the inferred result.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../../test/helpers/corpus';
import { Session, type CaptureSource } from '.';

const F = `${REPO}/test/captures/netns/faults/`;
const src = (name: string): CaptureSource => ({ kind: 'bytes', name, bytes: new Uint8Array(readFileSync(F + name)) });

describe('swapSides', () => {
  it('trades the two points and diagnoses again; twice is the original', async () => {
    const s = new Session();
    const res = await s.analyze([src('synack-lost-client-eth0.pcap'), src('synack-lost-server-eth0.pcap')], {});
    if (!res.ok) throw new Error('analysis failed');
    const before = res.reports.en;
    expect(before.captures.map((c) => c.side)).toEqual(['client', 'server']);
    expect(before.diagnosis.cause).toBe('synack-lost');
    expect(before.sidesSwapped).toBeUndefined();

    const swapped = s.swapSides()!.reports;
    expect(swapped.en.sidesSwapped).toBe(true);
    expect(swapped.en.captures.map((c) => c.side)).toEqual(['server', 'client']);
    expect(swapped.zh.captures.map((c) => c.side)).toEqual(['server', 'client']);
    // The loss point follows the sides: with the client's file now called the server's, the
    // story changes (and the diagnosis says so rather than repeating the inferred one).
    expect(JSON.stringify(swapped.en.diagnosis)).not.toBe(JSON.stringify(before.diagnosis));

    const back = s.swapSides()!;
    expect(back.reports.en).toEqual(before);
    expect(back.shared).toBeUndefined();
  });

  it("a shared result's claim is checked again after a swap", async () => {
    const s = new Session();
    const res = await s.analyze([src('synack-lost-client-eth0.pcap'), src('synack-lost-server-eth0.pcap')], {});
    if (!res.ok) throw new Error('analysis failed');
    const link = await s.share(false);
    if (!('value' in link)) throw new Error(link.error.message);
    const r = new Session();
    const opened = await r.openShared(link.value);
    if (!opened.ok) throw new Error(opened.error.message);
    expect(opened.shared!.matches).toBe(true);
    const swapped = r.swapSides()!;
    expect(swapped.shared).toMatchObject({ claim: opened.shared!.claim, packets: opened.shared!.packets });
    // Swapped, the loss point moves but the cause stays synack-lost: the claim (cause and
    // attempts) still holds. (claimHolds' own tests cover a claim that fails.)
    expect(swapped.reports.en.diagnosis.cause).toBe('synack-lost');
    expect(swapped.shared!.matches).toBe(true);
    expect(r.swapSides()!.shared!.matches).toBe(true);
  });

  it('one capture: nothing to swap', async () => {
    const s = new Session();
    await s.analyze([src('synack-lost-client-eth0.pcap')], {});
    expect(s.swapSides()).toBeNull();
  });
});

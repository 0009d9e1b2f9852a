import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressMapper, anonymiseFrame } from './anonymise';
import { readCapture } from '../capture/reader';
import { bufferChunks } from '../capture/source';
import { writePcap } from '../capture/writer';
import { Dissector } from '../decode/dissect';
import { decodePermalink, encodePermalink, fromBase64Url, INCIDENT_BUDGET, toBase64Url, type SharedPacket } from './permalink';
import { analyzeBytes, analyzeFiles, corpusBytes, REPO } from '../../../test/helpers/corpus';

async function frames(bytes: Uint8Array) {
  const out: { ts: number; data: Uint8Array; linkType: number; origLen: number }[] = [];
  await readCapture(bufferChunks(bytes), (r) =>
    out.push({ ts: r.ts, data: r.data.slice(), linkType: r.linkType, origLen: r.origLen }),
  );
  return out;
}

function verdicts(data: Uint8Array, lt: number) {
  const d = new Dissector().dissect(data, lt);
  return Array.from({ length: d.nChecks }, (_, i) => `${d.check(i).layer}@${d.check(i).depth}:${d.check(i).status}`);
}

async function incidentLink(anonymise: boolean) {
  const r = await analyzeFiles(['scenarios/tke-63s-sender-eth0.pcap']);
  const fr = await frames(corpusBytes('scenarios/tke-63s-sender-eth0.pcap'));
  const map = new AddressMapper();
  const packets: SharedPacket[] = r.diagnosis.evidence.map((n) => {
    const f = fr[n - 1]!;
    return {
      capture: 0,
      frame: n,
      linkType: f.linkType,
      origLen: f.origLen,
      ts: f.ts,
      bytes: anonymise ? anonymiseFrame(f.data, f.linkType, map) : f.data,
    };
  });
  const value = await encodePermalink({
    anonymised: anonymise,
    truncated: false,
    captures: ['tke-63s-sender-eth0.pcap'],
    claim: { cause: r.diagnosis.cause, attempts: 7, outer: ['bad', 'bad', 'bad', 'bad', 'bad', 'bad', 'zero'], delaySec: 63.137 },
    packets,
  });
  return { value, packets, report: r };
}

describe('permalink codec', () => {
  it('round-trips the 63-second incident within the 2,000-character budget', async () => {
    const { value, packets } = await incidentLink(false);
    const url = `http://localhost:4173/#r=${value}`;
    expect(url.length).toBeLessThan(INCIDENT_BUDGET);
    const d = await decodePermalink(value);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.result.claim).toEqual({
      cause: 'vxlan-checksum-drop',
      attempts: 7,
      outer: ['bad', 'bad', 'bad', 'bad', 'bad', 'bad', 'zero'],
      delaySec: 63.137,
    });
    expect(d.result.packets.map((p) => p.frame)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    d.result.packets.forEach((p, i) => {
      expect(p.bytes).toEqual(packets[i]!.bytes);
      expect(p.ts).toBeCloseTo(packets[i]!.ts, 6);
    });
    // Re-analysing the shared packets gives the same diagnosis and ladder.
    const pcap = writePcap(
      d.result.packets.map((p) => ({ ts: p.ts, data: p.bytes, origLen: p.origLen })),
      1,
    );
    const again = await analyzeBytes(pcap);
    expect(again.diagnosis.cause).toBe('vxlan-checksum-drop');
    const syn = again.findings.find((f) => f.kind === 'syn-retry')!;
    expect(syn.kind === 'syn-retry' && syn.attemptList.map((a) => a.outerChecksum)).toEqual([
      'bad',
      'bad',
      'bad',
      'bad',
      'bad',
      'bad',
      'zero',
    ]);
  });

  it('rejects garbage, truncated, tampered and future-version links with a clear message', async () => {
    const { value } = await incidentLink(false);
    const cases: [string, RegExp][] = [
      ['', /no shared result/],
      ['%%%not base64%%%', /not valid base64url/],
      [value.slice(0, value.length >> 1), /damaged|truncated|invalid/],
      [toBase64Url(new TextEncoder().encode('hello')), /damaged|invalid/],
    ];
    for (const [v, re] of cases) {
      const d = await decodePermalink(v);
      expect(d.ok, v.slice(0, 20)).toBe(false);
      if (!d.ok) expect(d.error.message).toMatch(re);
    }
    // A link from a future version.
    const raw = new Uint8Array([0x50, 0x44, 9, 0]);
    const cs = new CompressionStream('deflate-raw');
    const w = cs.writable.getWriter();
    void w.write(raw).then(() => w.close());
    const z = new Uint8Array(await new Response(cs.readable).arrayBuffer());
    const fut = await decodePermalink(toBase64Url(z));
    expect(!fut.ok && fut.error.key).toBe('link:future-version');
  });

  it('decodes anything to a valid result or one clear error, never a throw (fast-check)', async () => {
    const { value } = await incidentLink(false);
    const bytes = fromBase64Url(value)!;
    const valid = (r: Awaited<ReturnType<typeof decodePermalink>>) =>
      r.ok
        ? r.result.packets.length <= 512 &&
          r.result.captures.length >= 1 &&
          r.result.packets.every((p) => p.capture < r.result.captures.length && p.bytes.length <= 65535 && Number.isFinite(p.ts))
        : /^link:/.test(r.error.key) && r.error.message.length > 10 && r.error.code === 'link';
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        fc.option(fc.nat(), { nil: undefined }),
        async (edits, cut) => {
          const b = bytes.slice(0, cut === undefined ? bytes.length : cut % bytes.length);
          for (const [at, v] of edits) if (b.length) b[at % b.length] = v;
          return valid(await decodePermalink(toBase64Url(b)));
        },
      ),
      { numRuns: 300, seed: 3 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (s) => valid(await decodePermalink(s))),
      { numRuns: 300, seed: 4 },
    );
  });

  it('round-trips any shared result (fast-check)', async () => {
    const packet = fc.record({
      capture: fc.constantFrom(0, 1),
      frame: fc.integer({ min: 1, max: 1e9 }),
      linkType: fc.integer({ min: 0, max: 300 }),
      origLen: fc.integer({ min: 0, max: 65535 }),
      ts: fc.integer({ min: 0, max: 4e9 }).map((x) => x + 0.5),
      bytes: fc.uint8Array({ maxLength: 200 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(packet, { maxLength: 20 }), fc.boolean(), async (packets, anonymised) => {
        const r = {
          anonymised,
          truncated: false,
          captures: ['a.pcap', 'b.pcap'],
          claim: { cause: null, attempts: 0, outer: [], delaySec: null },
          packets,
        };
        const d = await decodePermalink(await encodePermalink(r));
        return (
          d.ok &&
          d.result.packets.length === packets.length &&
          d.result.packets.every(
            (p, i) =>
              p.frame === packets[i]!.frame &&
              p.bytes.join() === packets[i]!.bytes.join() &&
              Math.abs(p.ts - packets[i]!.ts) < 1e-6,
          )
        );
      }),
      { numRuns: 100, seed: 5 },
    );
  });
});

describe('anonymisation', () => {
  it('remaps addresses consistently and preserves every checksum verdict', async () => {
    const files = [
      'scenarios/tke-63s-sender-eth0.pcap',
      'scenarios/tke-63s-sender-flannel1.pcap',
      'scenarios/dns-vxlan-bad-outer.pcap',
      'real/zeek__localhost-bad-chksum.pcap',
      'real/tcpdump__gso-ipv4-vxlan-ipv4.pcap',
      'real/zeek__ip6-udp-bad-chksum.pcap',
      'real/tcpdump__vxlan.pcap',
      'real/zeek__ip4-bad-chksum.pcap',
    ];
    for (const f of files) {
      const map = new AddressMapper();
      for (const fr of await frames(corpusBytes(f))) {
        const anon = anonymiseFrame(fr.data, fr.linkType, map);
        expect(verdicts(anon, fr.linkType), f).toEqual(verdicts(fr.data, fr.linkType));
      }
    }
    // Real LCO captures from network namespaces.
    const { readFileSync } = await import('node:fs');
    const lco = new Uint8Array(readFileSync(`${REPO}/test/captures/netns/lin-drop-sender-phys.pcap`));
    const map = new AddressMapper();
    for (const fr of await frames(lco))
      expect(verdicts(anonymiseFrame(fr.data, fr.linkType, map), fr.linkType)).toEqual(verdicts(fr.data, fr.linkType));
  });

  it('keeps the same error on bad checksums, hides addresses and payloads', async () => {
    const fr = (await frames(corpusBytes('scenarios/tke-63s-sender-eth0.pcap')))[0]!;
    const anon = anonymiseFrame(fr.data, 1, new AddressMapper());
    const d0 = new Dissector().dissect(fr.data, 1);
    const before = { stored: d0.check(1).stored, computed: d0.check(1).computed };
    const d1 = new Dissector().dissect(anon, 1);
    expect(d1.check(1).status).toBe('bad');
    // stored - computed preserved in one's complement arithmetic.
    const diff = (s: number, c: number) => (s + (~c & 0xffff)) % 0xffff;
    expect(diff(d1.check(1).stored, d1.check(1).computed)).toBe(diff(before.stored, before.computed));
    const text = Array.from(anon, (x) => x.toString(16).padStart(2, '0')).join('');
    expect(text).not.toContain('0a00000b'); // 10.0.0.11
    expect(text).not.toContain('ac1d0000'); // 172.29.0.0
    const a = await analyzeBytes(writePcap([{ ts: 1, data: anon }], 1), { frames: true });
    expect(a.frames![0]!.summary).toMatch(/^\[VXLAN vni 1\] 172\.200\.\d+\.0:40233 > 172\.200\.\d+\.3:9153/);
  });
});

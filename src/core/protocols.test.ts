/**
 * The encapsulation captures made for the protocol modules (test/captures/protocols, see its
 * README): frame counts and every checksum verdict against tshark 4.0 (snapshot in
 * test/oracles/tshark-protocols.json), the layers each protocol module decodes, and the verdicts
 * tshark cannot make (partial: offload artefacts it calls bad).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeFiles, REPO } from '../../test/helpers/corpus';
import { readCapture } from './capture/reader';
import { bufferChunks } from './capture/source';
import { describeLayers } from './decode/detail';
import { Dissector } from './decode/dissect';
import type { FrameReport } from './report';

const DIR = `${REPO}/test/captures/protocols`;
const oracle = JSON.parse(readFileSync(`${REPO}/test/oracles/tshark-protocols.json`, 'utf8')) as Record<
  string,
  { frames: { n: number; ipv4: string; udp: string; tcp: string; icmp: string; icmpv6: string; malformed: boolean }[] }
>;
const files = readdirSync(DIR).filter((f) => /\.pcap(ng)?$/.test(f));

/** tshark status -> ours: good; bad or partial (tshark has no partial); zero (3 not present, 4 illegal over IPv6). */
const MAP: Record<string, string[]> = { '1': ['good'], '0': ['bad', 'partial'], '3': ['zero'], '4': ['zero'] };

async function frames(f: string): Promise<FrameReport[]> {
  return (await analyzeFiles([`${DIR}/${f}`], { frames: true })).frames!;
}

/** Layer names of every frame, as the packet detail shows them. */
async function layerNames(f: string): Promise<string[][]> {
  const d = new Dissector();
  const out: string[][] = [];
  await readCapture(bufferChunks(new Uint8Array(readFileSync(`${DIR}/${f}`))), (r) =>
    out.push(describeLayers(d.dissect(r.data, r.linkType)).map((l) => l.name)),
  );
  return out;
}

const status = (fr: FrameReport[], n: number, layer: string, depth: number) =>
  fr.find((x) => x.n === n)!.checks.find((c) => c.layer === layer && c.depth === depth)?.status;

describe('encapsulation captures against tshark', () => {
  it('has them all', () => expect(files.length).toBeGreaterThanOrEqual(10));

  for (const f of files) {
    it(f, async () => {
      const o = oracle[`protocols/${f}`];
      expect(o, 'oracle has the file').toBeDefined();
      const fr = await frames(f);
      expect(fr.length).toBe(o!.frames.length);
      const diffs: string[] = [];
      let total = 0;
      for (const tf of o!.frames) {
        const ours = fr.find((x) => x.n === tf.n)!.checks.filter((c) => !c.quoted);
        for (const layer of ['ipv4', 'udp', 'tcp', 'icmp', 'icmpv6'] as const) {
          const got = ours.filter((c) => c.layer === layer).sort((a, b) => a.depth - b.depth);
          tf[layer]
            .split(',')
            .filter(Boolean)
            .forEach((w, i) => {
              total++;
              if (!MAP[w]?.includes(got[i]?.status ?? ''))
                diffs.push(`frame ${tf.n} ${layer}[${i}] tshark=${w} ours=${got[i]?.status}`);
            });
        }
      }
      expect(total).toBeGreaterThan(0);
      expect(diffs, diffs.join('; ')).toEqual([]);
    });
  }
});

describe('protocol modules decode their layers', () => {
  it('PPPoE discovery and session, PPP inside', async () => {
    const l = await layerNames('pppoe.pcap');
    expect(l[0]).toEqual(['Ethernet', 'PPPoE']);
    expect(l[5]).toEqual(['Ethernet', 'PPPoE', 'PPP', 'IPv4', 'TCP']);
    expect(l[11]).toEqual(['Ethernet', 'PPPoE', 'PPP', 'IPv6', 'TCP']);
  });

  it('GTP-U with extension header chains: the user packet one tunnel level deeper', async () => {
    const l = await layerNames('gtpu.pcap');
    expect(l[0]).toEqual(['Ethernet', 'IPv4', 'UDP', 'GTP-U']);
    expect(l[6]).toEqual(['Ethernet', 'IPv4', 'UDP', 'GTP-U', 'IPv6', 'TCP']);
    const fr = await frames('gtpu.pcap');
    expect(fr[4]!.checks.map((c) => `${c.layer}@${c.depth}`)).toEqual(['ipv4@0', 'udp@0', 'ipv4@1', 'tcp@1']);
    expect(fr[4]!.summary).toMatch(/^\[GTP-U teid 0x/);
  });

  it('Teredo with authentication and origin indicators; bubbles', async () => {
    const l = await layerNames('teredo.pcap');
    expect(l[1]).toEqual(['Ethernet', 'IPv4', 'UDP', 'Teredo', 'IPv6', 'ICMPv6']);
    expect(l[2]).toEqual(['Ethernet', 'IPv4', 'UDP', 'Teredo', 'IPv6']);
    expect(l[13]).toEqual(['Ethernet', 'IPv4', 'UDP', 'Teredo', 'IPv6']);
  });

  it('WireGuard on 51820 and 51871, and Cisco HDLC', async () => {
    const wg = await layerNames('wireguard.pcap');
    expect(wg.every((x) => x.at(-1) === 'WireGuard')).toBe(true);
    const real = await layerNames('wireguard-real-51871-offload.pcap');
    expect(real.every((x) => x.at(-1) === 'WireGuard')).toBe(true);
    const ch = await layerNames('chdlc.pcap');
    expect(ch[0]).toEqual(['Cisco HDLC']);
    expect(ch[3]).toEqual(['Cisco HDLC', 'IPv4', 'TCP']);
  });
});

describe('what tshark calls bad and is not', () => {
  it('IPv4 header checksum offload: 0 beside a partial transport checksum is partial; 0 alone is bad', async () => {
    const fr = await frames('ipv4-csum-offload.pcap');
    for (const n of [1, 3, 4, 5, 10]) expect(status(fr, n, 'ipv4', 0), `frame ${n}`).toBe('partial');
    for (const n of [6, 11]) expect(status(fr, n, 'ipv4', 0), `frame ${n}`).toBe('bad');
    expect(status(fr, 7, 'tcp', 0)).toBe('partial');
    expect(status(fr, 7, 'ipv4', 0)).toBe('good');
    const r = await analyzeFiles([`${DIR}/ipv4-csum-offload.pcap`]);
    expect(r.findings.find((x) => x.kind === 'checksum-bad')).toMatchObject({ layer: 'ipv4', count: 2, frames: [6, 11] });
  });

  it('tunnel outer checksums left by offload, and local checksum offload inside GTP-U', async () => {
    const gtp = await frames('gtpu.pcap');
    expect(status(gtp, 13, 'udp', 0)).toBe('partial');
    expect(status(gtp, 14, 'tcp', 1)).toBe('partial');
    expect(status(gtp, 14, 'udp', 0)).toBe('partial');
    expect(gtp.find((x) => x.n === 14)!.checks.find((c) => c.layer === 'udp')!.reason).toMatch(/local checksum offload/);
    const wg = await frames('wireguard-real-51871-offload.pcap');
    expect(wg.every((x) => x.checks.find((c) => c.layer === 'udp')!.status === 'partial')).toBe(true);
    const r = await analyzeFiles([`${DIR}/wireguard-real-51871-offload.pcap`]);
    expect(r.findings.map((x) => x.kind)).toEqual(['checksum-offload']);
  });
});

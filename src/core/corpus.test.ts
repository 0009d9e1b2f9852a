/**
 * Round trips over every capture in ../shared/captures: packet counts, formats and link types
 * against tshark (snapshot in test/oracles/tshark.json, made by scripts/make-tshark-oracle.py),
 * checksum verdicts against tshark, and exact checksum values against tcpdump's -vv output.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFiles, CAPTURES, corpusFiles } from '../../test/helpers/corpus';
import type { CheckReport, FrameReport } from './report';

const oracle = JSON.parse(readFileSync(new URL('../../test/oracles/tshark.json', import.meta.url), 'utf8')) as Record<
  string,
  { tsharkError: boolean; frames: { n: number; ipv4: string; udp: string; tcp: string; icmp: string; malformed: boolean }[] }
>;

/** Files that cannot be analysed at all (exit 1), with the message we must give. */
const FATAL: Record<string, RegExp> = {
  'real/libpcap__pcap-invalid-version-1.pcap': /unsupported pcap version 1\.4/,
  'real/libpcap__pcapng-invalid-vers-1.pcapng': /unsupported pcapng section version 0\.1/,
  'real/libpcap__shb-option-too-long.pcapng': /trailer/,
};

const files = corpusFiles();

describe('corpus round trip', () => {
  it('finds the corpus', () => {
    expect(files.length).toBeGreaterThanOrEqual(80);
  });

  for (const f of files) {
    it(`${f}`, async () => {
      if (FATAL[f]) {
        await expect(analyzeFiles([f])).rejects.toThrow(FATAL[f]);
        return;
      }
      const r = await analyzeFiles([f], { frames: true });
      const c = r.captures[0]!;
      expect(['pcap', 'pcapng']).toContain(c.format);
      const o = oracle[f];
      expect(o, 'tshark oracle has this file').toBeDefined();
      if (!o!.tsharkError) {
        expect(c.packets).toBe(o!.frames.length);
        expect(
          c.errors.filter((e) => e.code !== 'unsupported-link-type' && e.code !== 'bad-timestamp' && e.code !== 'odd-version'),
        ).toEqual([]);
      }
      expect(r.frames!.length).toBe(c.packets);
      // tshark agreement, mapping Good=good, Bad=bad|partial, Not present=zero.
      const MAP: Record<string, string[]> = { '1': ['good'], '0': ['bad', 'partial'], '3': ['zero'] };
      const byN = new Map<number, FrameReport>(r.frames!.map((x) => [x.n, x]));
      let total = 0;
      let agree = 0;
      const diffs: string[] = [];
      for (const tf of o!.frames) {
        if (tf.malformed) continue;
        const ours = byN.get(tf.n)?.checks ?? [];
        for (const layer of ['ipv4', 'udp', 'tcp', 'icmp'] as const) {
          const want = tf[layer].split(',').filter(Boolean);
          const got = ours.filter((x: CheckReport) => x.layer === layer).sort((a, b) => a.depth - b.depth);
          want.forEach((w, i) => {
            if (!MAP[w]) return;
            total++;
            if (got[i] && MAP[w]!.includes(got[i]!.status)) agree++;
            else diffs.push(`frame ${tf.n} ${layer}[${i}] tshark=${w} ours=${got[i]?.status}`);
          });
        }
      }
      // Every verdict agrees (fragments are reassembled like tshark does, see decode/reassembly.ts).
      expect(total - agree, diffs.slice(0, 5).join('; ')).toBe(0);
    });
  }
});

/** tcpdump -vv checksum words, per frame, in print order. */
function tcpdumpVerdicts(out: string): Map<number, { kind: string; stored?: number; computed?: number }[]> {
  const m = new Map<number, { kind: string; stored?: number; computed?: number }[]>();
  let cur: { kind: string; stored?: number; computed?: number }[] | null = null;
  for (const line of out.split('\n')) {
    const start = /^\s*(\d+)\s+\d{4}-\d\d-\d\d /.exec(line);
    if (start) {
      cur = [];
      m.set(Number(start[1]), cur);
    }
    if (!cur) continue;
    const re =
      /\[bad udp cksum 0x([0-9a-f]+) -> 0x([0-9a-f]+)!\]|\[udp sum ok\]|\[no cksum\]|(?<![a-z])cksum 0x([0-9a-f]+) \(correct\)|(?<![a-z])cksum 0x([0-9a-f]+) \(incorrect -> 0x([0-9a-f]+)\)|bad cksum ([0-9a-f]+) \(->([0-9a-f]+)\)!/g;
    for (let x = re.exec(line); x; x = re.exec(line)) {
      if (x[1]) cur.push({ kind: 'udp-bad', stored: parseInt(x[1], 16), computed: parseInt(x[2]!, 16) });
      else if (x[0] === '[udp sum ok]') cur.push({ kind: 'udp-ok' });
      else if (x[0] === '[no cksum]') cur.push({ kind: 'udp-zero' });
      else if (x[3]) cur.push({ kind: 'ok', stored: parseInt(x[3], 16) });
      else if (x[4]) cur.push({ kind: 'bad', stored: parseInt(x[4], 16), computed: parseInt(x[5]!, 16) });
      else if (x[6]) cur.push({ kind: 'ip-bad', stored: parseInt(x[6], 16), computed: parseInt(x[7]!, 16) });
    }
  }
  return m;
}

describe('agreement with tcpdump -vv checksum verdicts', () => {
  const testlist = existsSync(join(CAPTURES, 'real/TESTLIST-tcpdump.txt'))
    ? readFileSync(join(CAPTURES, 'real/TESTLIST-tcpdump.txt'), 'utf8')
    : '';
  const rows = testlist
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.trim().split(/\s+/))
    .filter((c) => c.length >= 3 && existsSync(join(CAPTURES, 'real', `tcpdump__${c[2]}`)));
  const withSums = rows.filter((c) =>
    [...tcpdumpVerdicts(readFileSync(join(CAPTURES, 'real', `tcpdump__${c[2]}`), 'utf8')).values()].some((v) => v.length),
  );

  it('has expected outputs with checksum words', () => {
    expect(withSums.length).toBeGreaterThanOrEqual(10);
  });

  for (const c of withSums) {
    const pcap = `real/tcpdump__${c[1]}`;
    it(`${c[2]} (${c.slice(3).join(' ')})`, async () => {
      const out = readFileSync(join(CAPTURES, 'real', `tcpdump__${c[2]}`), 'utf8');
      const want = tcpdumpVerdicts(out);
      const r = await analyzeFiles([pcap], { frames: true });
      let checked = 0;
      for (const [n, verdicts] of want) {
        const ours = (r.frames!.find((f) => f.n === n)?.checks ?? []).slice();
        for (const v of verdicts) {
          // Match by stored value where tcpdump prints it, else the next UDP check.
          const idx =
            v.stored !== undefined
              ? ours.findIndex((x) => x.stored === v.stored && (v.kind === 'ip-bad' ? x.layer === 'ipv4' : x.layer !== 'ipv4'))
              : ours.findIndex((x) => x.layer === 'udp');
          expect(idx, `frame ${n}: no checksum matching ${JSON.stringify(v)}`).toBeGreaterThanOrEqual(0);
          const x = ours.splice(idx, 1)[0]!;
          if (v.kind === 'ok' || v.kind === 'udp-ok') expect(x.status, `frame ${n} ${x.layer}`).toBe('good');
          else if (v.kind === 'udp-zero') expect(x.status).toBe('zero');
          else {
            // tcpdump says "bad"; we may say partial (offload), never good.
            expect(['bad', 'partial'], `frame ${n} ${x.layer}`).toContain(x.status);
            expect(x.computed, `frame ${n} ${x.layer} computed`).toBe(v.computed);
          }
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(0);
    });
  }
});

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CAPTURES } from '../../test/helpers/corpus';

const ROOT = new URL('../..', import.meta.url).pathname;
const TSX = join(ROOT, 'node_modules/.bin/tsx');

function run(...args: string[]) {
  const p = spawnSync(TSX, [join(ROOT, 'src/cli/main.ts'), ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: p.status, out: p.stdout, err: p.stderr };
}

const tmp = mkdtempSync(join(tmpdir(), 'pcap-doctor-'));
const eth0 = join(CAPTURES, 'scenarios/tke-63s-sender-eth0.pcap');

describe('analyze CLI', () => {
  it('ships as a bundle (the package bin) that gives the same report as the source', async () => {
    const { ensureCli } = (await import('../../scripts/build-cli.mjs')) as { ensureCli: () => Promise<string> };
    const bin = await ensureCli();
    const p = spawnSync(process.execPath, [bin, '--json', eth0], { encoding: 'utf8' });
    expect(p.status).toBe(0);
    const fromSource = JSON.parse(run('--json', eth0).out);
    expect(JSON.parse(p.stdout)).toEqual(fromSource);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(join(ROOT, pkg.bin['pcap-doctor'])).toBe(bin);
  });

  it('the bin reads a named pipe (process substitution) as the source does', async () => {
    // The bin runs the bundle in a vm.Script, where a dynamic import() throws: a pipe's stream
    // support must be loaded without one.
    const { ensureCli } = (await import('../../scripts/build-cli.mjs')) as { ensureCli: () => Promise<string> };
    const bin = await ensureCli();
    const fifo = join(tmp, 'bin-pipe.pcap');
    spawnSync('mkfifo', [fifo]);
    const child = spawn(process.execPath, [bin, '--json', fifo], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    // The writer is a process of its own (a blocking open would hang the test if the bin never
    // opened the pipe); it is killed once the bin is done.
    const writer = spawn('sh', ['-c', `cat '${eth0}' > '${fifo}'`], { stdio: 'ignore' });
    const code = await new Promise<number | null>((r) => child.on('close', r));
    writer.kill();
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(out).diagnosis.cause).toBe('vxlan-checksum-drop');
  });

  it('starts from a V8 code cache that this Node accepts (no compile at start-up)', async () => {
    const { ensureCli } = (await import('../../scripts/build-cli.mjs')) as { ensureCli: () => Promise<string> };
    const dir = dirname(await ensureCli());
    const code = join(dir, 'cli.cjs');
    const cachedData = readFileSync(join(dir, 'cli.cache'));
    // The loader's wrapper, byte for byte: V8 rejects a cache made for other source text.
    const loader = readFileSync(join(ROOT, 'scripts/cli-loader.cjs'), 'utf8');
    expect(loader).toContain(
      "`(function (exports, require, module, __filename, __dirname) {${fs.readFileSync(code, 'utf8')}\\n})`",
    );
    const script = new Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(code, 'utf8')}\n})`, {
      filename: code,
      cachedData,
    });
    expect(script.cachedDataRejected).toBe(false);
    // Made after a run: it holds the analysis path's compiled functions, not only the top level.
    expect(cachedData.length).toBeGreaterThan(readFileSync(code).length / 2);
  });

  it('Ctrl-C stops reading, prints the report of what was read, exits 130', async () => {
    // A FIFO that delivers half a capture and then stalls, as a slow or endless source would.
    const fifo = join(tmp, 'slow.pcap');
    spawnSync('mkfifo', [fifo]);
    // node itself (not the tsx wrapper), so that the signal reaches the CLI's process.
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), '--json', fifo], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    const fd = openSync(fifo, 'w');
    const bytes = readFileSync(eth0);
    // Header and the first four records.
    let end = 24;
    const dv = new DataView(bytes.buffer, bytes.byteOffset);
    for (let i = 0; i < 4; i++) end += 16 + dv.getUint32(end + 8, true);
    writeSync(fd, bytes.subarray(0, end));
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    closeSync(fd);
    expect(code).toBe(130);
    const rep = JSON.parse(out);
    expect(rep.captures[0].packets).toBe(4);
    expect(rep.captures[0].errors.map((e: { code: string }) => e.code)).toContain('interrupted');
  });

  it('--json prints only the version-1 report on stdout', () => {
    const r = run('--json', eth0);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out);
    expect(rep.version).toBe(1);
    expect(rep.captures[0]).toMatchObject({ file: 'tke-63s-sender-eth0.pcap', format: 'pcap', linkTypes: [1], packets: 16 });
    expect(rep.frames).toBeUndefined();
    expect(rep.diagnosis.cause).toBe('vxlan-checksum-drop');
    expect(Object.keys(rep.checksums).sort()).toEqual(['icmp', 'icmpv6', 'ipv4', 'tcp', 'udp']);
  });

  it('--frames adds per-frame checks, outermost first', () => {
    const rep = JSON.parse(run('--json', '--frames', eth0).out);
    expect(rep.frames[0]).toMatchObject({ capture: 0, n: 1 });
    expect(
      rep.frames[0].checks.map((c: { layer: string; depth: number; status: string }) => `${c.layer}@${c.depth}:${c.status}`),
    ).toEqual(['ipv4@0:good', 'udp@0:bad', 'ipv4@1:good', 'tcp@1:good']);
    expect(rep.frames[0].checks[1]).toMatchObject({ stored: 65535, computed: 0xd553 });
  });

  it('human output leads with the diagnosis and the timeline', () => {
    const r = run(eth0);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(/^== Diagnosis: vxlan-checksum-drop/);
    // The headline sentence comes before the evidence.
    expect(r.out.split('\n')[1]).toMatch(/^SYNs to 172\.29\.2\.3:9153 are dropped by the receiving kernel/);
    expect(r.out).toMatch(/Timeline:/);
    expect(r.out).toMatch(/63\.137\s+zero \(no checksum\)/);
  });

  it('--lang zh', () => {
    const out = run('--lang', 'zh', eth0).out;
    expect(out).toMatch(/诊断/);
    expect(out.split('\n')[1]).toMatch(/^发往 172\.29\.2\.3:9153 的 SYN 因 VXLAN/);
  });

  it('reads gzip-compressed captures', () => {
    const gz = join(tmp, 'eth0.pcap.gz');
    writeFileSync(gz, gzipSync(readFileSync(eth0)));
    const rep = JSON.parse(run('--json', gz).out);
    expect(rep.captures[0]).toMatchObject({ compressed: true, packets: 16 });
  });

  it('two captures', () => {
    const rep = JSON.parse(run('--json', eth0, join(CAPTURES, 'scenarios/tke-63s-sender-flannel1.pcap')).out);
    expect(rep.captures).toHaveLength(2);
    expect(rep.findings.find((f: { kind: string; capture: number }) => f.kind === 'syn-retry' && f.capture === 0).delivered).toBe(
      7,
    );
  });

  it('exit 1 with one clear line for input that cannot be analysed', () => {
    const junk = join(tmp, 'junk.pcap');
    writeFileSync(junk, 'this is not a capture at all');
    for (const [file, msg] of [
      [junk, /not a pcap or pcapng file \(magic 0x74686973 at byte 0\)/],
      [join(tmp, 'missing.pcap'), /no such file/],
      [join(CAPTURES, 'real/libpcap__pcap-invalid-version-1.pcap'), /unsupported pcap version/],
    ] as const) {
      const r = run('--json', file);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      // Streaming --frames output must not start before the input is known to be readable.
      expect(run('--json', '--frames', file).out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(msg);
      expect(r.err).not.toMatch(/ at .*\.ts:\d+/);
    }
  });

  it('exit 0 with errors for a damaged but partly readable file', () => {
    const cut = join(tmp, 'cut.pcap');
    const b = readFileSync(eth0);
    writeFileSync(cut, b.subarray(0, b.length - 7));
    const r = run('--json', cut);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out);
    expect(rep.captures[0].packets).toBe(15);
    expect(rep.captures[0].errors[0].message).toMatch(/capture ends inside a record at byte \d+/);
  });

  it('--fail-on CAUSE[,CAUSE...]|any: exit 3 when the diagnosis is one of them, for CI jobs', () => {
    const F = join(ROOT, 'test/captures/netns/faults');
    expect(run('--fail-on', 'any', eth0).code).toBe(3);
    expect(run('--fail-on=vxlan-checksum-drop', eth0).code).toBe(3);
    expect(run('--fail-on', 'synack-lost,connection-refused', eth0).code).toBe(0);
    expect(run('--fail-on', 'synack-lost,connection-refused', join(F, 'refused-rst-client-eth0.pcap')).code).toBe(3);
    // A healthy capture never fails, whatever the list.
    expect(run('--fail-on', 'any', join(F, 'healthy-client-eth0.pcap')).code).toBe(0);
    const bad = run('--fail-on', 'vxlan', eth0);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown cause vxlan .*vxlan-checksum-drop/);
  });

  it('text: the story of the cause, what to confirm first, where each capture point is', () => {
    const F = join(ROOT, 'test/captures/netns/faults');
    const out = run(join(F, 'mtu-blackhole-client-eth0.pcap'), join(F, 'mtu-blackhole-server-eth0.pcap')).out;
    expect(out).toMatch(/== Diagnosis: mtu-blackhole \(confidence: high\) ==/);
    expect(out).toMatch(/retransmission 1398 B/);
    expect(out).toMatch(/Confirm first:\n- .*ping -M do -s/);
    expect(out).toMatch(
      /Where they were lost: between the two capture points \(closer to the client: mtu-blackhole-client-eth0\.pcap\)/,
    );
    expect(out).toMatch(/mtu-blackhole-server-eth0\.pcap: .*\[server's end, tunnel headers seen\]/);
    const zh = run('--lang', 'zh', join(F, 'dns-delay-client-eth0.pcap')).out;
    expect(zh).toMatch(/先确认/);
    expect(zh).toMatch(/发送 AAAA/);
  });

  it('--filter EXPR: frames limited to matches, the count in the report; a bad filter is a usage error', () => {
    const rep = JSON.parse(run('--json', '--frames', '--filter', 'tcp.flags.syn==1 && !checksum.bad', eth0).out) as {
      frames: { n: number }[];
      filter: { expression: string; matched: number };
      diagnosis: { cause: string };
    };
    expect(rep.frames.map((f) => f.n)).toEqual([7, 8]);
    expect(rep.filter).toEqual({ expression: 'tcp.flags.syn==1 && !checksum.bad', matched: 2 });
    // The diagnosis still sees every frame.
    expect(rep.diagnosis.cause).toBe('vxlan-checksum-drop');
    const bad = run('--filter', 'ip.addr == 999.1.1.1', eth0);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--filter: .*999\.1\.1\.1/);
  });

  it('exit 2 for usage errors', () => {
    expect(run().code).toBe(2);
    expect(run('--bogus', eth0).code).toBe(2);
    expect(run('--lang', 'fr', eth0).code).toBe(2);
    expect(run('--vxlan-port', 'x', eth0).code).toBe(2);
    expect(run('a', 'b', 'c').code).toBe(2);
  });
});

describe('analyze CLI reading a file into two buffers in turn', () => {
  it('gives the report of a stream read, for a multi-MiB file, its gzip and two captures in turn', () => {
    // ~2.3 MiB of VXLAN and plain records (bad outer, partial and good checksums), so the two
    // 1 MiB buffers take turns and records are cut by every read boundary.
    const head = readFileSync(eth0).subarray(0, 24);
    const recs = ['scenarios/dns-vxlan-bad-outer.pcap', 'scenarios/tke-63s-sender-eth0.pcap'].map((f) =>
      readFileSync(join(CAPTURES, f)).subarray(24),
    );
    const parts: Uint8Array[] = [head];
    for (let k = 0, size = 24; size < 2.3 * (1 << 20); k++) {
      parts.push(recs[k % 2]!);
      size += recs[k % 2]!.length;
    }
    const big = join(tmp, 'big.pcap');
    writeFileSync(big, Buffer.concat(parts));
    const bigGz = join(tmp, 'big.pcap.gz');
    writeFileSync(bigGz, gzipSync(readFileSync(big)));
    const report = (files: string[], input?: Buffer) => {
      const p = spawnSync(TSX, [join(ROOT, 'src/cli/main.ts'), '--json', '--frames', ...files], {
        encoding: 'utf8',
        timeout: 120_000,
        maxBuffer: 1 << 30,
        input,
      });
      expect(p.status).toBe(0);
      return p.stdout;
    };
    // Standard input is read as a stream (fresh chunks of its own sizes): the reference.
    const streamed = (f: string) => report(['-'], readFileSync(f)).replaceAll('"file": "stdin"', `"file": "${basename(f)}"`);
    for (const f of [big, bigGz]) {
      const fromFile = report([f]);
      expect(fromFile, f).toBe(streamed(f));
      const rep = JSON.parse(fromFile);
      expect(rep.captures[0].packets).toBeGreaterThan(15_000);
      expect(rep.captures[0].checksums.udp.bad).toBeGreaterThan(0);
    }
    // Two captures read one after the other, each with its own buffers.
    const one = JSON.parse(report([big])).captures[0].packets;
    const two = JSON.parse(report([big, big]));
    expect(two.captures.map((c: { packets: number }) => c.packets)).toEqual([one, one]);
  }, 240_000);
});

describe('analyze CLI in a pipeline', () => {
  it('stops quietly when the reader closes the pipe early', () => {
    const p = spawnSync(
      'sh',
      [
        '-c',
        `'${TSX}' '${join(ROOT, 'src/cli/main.ts')}' --json --frames '${eth0}' '${join(CAPTURES, 'real/zeek__ssh.pcap')}' | head -c 10 >/dev/null; echo "rc=$?"`,
      ],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(p.stderr).not.toMatch(/throw|Error|at /);
  });
});

describe('analyze CLI with an unknown link type', () => {
  it('counts the frames, reports the link type once, and exits 0', async () => {
    const { writePcap } = await import('../core/capture/writer');
    const f = join(tmp, 'wifi.pcap');
    writeFileSync(
      f,
      writePcap(
        [1, 2, 3].map((i) => ({ ts: i, data: new Uint8Array(40).fill(i) })),
        105,
      ),
    );
    const r = run('--json', f);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out);
    expect(rep.captures[0]).toMatchObject({ packets: 3, linkTypes: [105], undecoded: 3 });
    expect(rep.captures[0].errors).toHaveLength(1);
    expect(rep.captures[0].errors[0].message).toMatch(/link type 105 is not decoded \(first seen at frame 1\)/);
    expect(rep.diagnosis.cause).toBeNull();
  });
});

describe('analyze CLI with two captures, one unreadable', () => {
  it('analyses the readable one and reports the other in its errors (exit 0); none readable: exit 1', () => {
    const junk = join(tmp, 'junk2.pcap');
    writeFileSync(junk, 'this is not a capture at all');
    const r = run('--json', eth0, junk);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out);
    expect(rep.diagnosis.cause).toBe('vxlan-checksum-drop');
    // No two-point conclusions from a capture that could not be read.
    expect(rep.diagnosis.summary).not.toMatch(/second capture point/);
    expect(rep.findings.find((f: { kind: string }) => f.kind === 'syn-retry').delivered).toBeUndefined();
    expect(rep.captures[1]).toMatchObject({ file: 'junk2.pcap', format: 'unknown', packets: 0 });
    expect(rep.captures[1].errors[0].message).toMatch(/junk2\.pcap: not a pcap or pcapng file/);
    const both = run('--json', junk, junk);
    expect(both.code).toBe(1);
    expect(both.err.trim().split('\n')).toHaveLength(1);
  });

  it('a gzip file damaged before any packet says so, not "file is empty"', () => {
    const gz = join(tmp, 'bad.pcap.gz');
    const z = gzipSync(readFileSync(eth0));
    writeFileSync(gz, Buffer.concat([z.subarray(0, 10), Buffer.alloc(40, 0xff)]));
    const r = run('--json', gz);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/the gzip file (ends early \(cut short\)|is damaged) after/);
  });
});

describe('analyze CLI in Chinese', () => {
  it('translates the timeline and aligns columns by display width', () => {
    const out = run('--lang', 'zh', eth0).out;
    expect(out).toMatch(/错误 0xffff（应为 0xd553）/);
    expect(out).toMatch(/零（未计算）/);
    const rows = out.split('\n').filter((l) => /^\s+\d\s+\d\s/.test(l));
    expect(rows).toHaveLength(7);
    // Display width of everything before the outer-checksum cell is the same on every row.
    const width = (t: string) => [...t].reduce((n, ch) => n + (/[\u4e00-\u9fff\uff00-\uff60]/.test(ch) ? 2 : 1), 0);
    expect(new Set(rows.map((l) => width(l.slice(0, l.search(/错误|零/)))))).toEqual(
      new Set([width(rows[0]!.slice(0, rows[0]!.search(/错误/)))]),
    );
  });
});

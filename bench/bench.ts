/**
 * `npm run bench`: throughput and memory of the analysis on a generated capture of mixed plain
 * and VXLAN traffic (>= 256 MiB), beside `tcpdump -nn -vv -r` on the same file (tcpdump also
 * validates checksums at -vv). Speed targets are checked here, not by timed unit tests.
 *
 *   npm run bench [-- --mib 256] [--gib 4] [--keep] [--no-browser]
 *                                              the CLI beside tcpdump and the one-pass limit, then
 *                                              the app in Chromium on a 4 GiB capture (bench/browser.ts)
 *   npm run bench -- --browser [--gib 4]       the browser part alone
 *   npm run bench -- --hostile [--only NAME]   the worst cases of bench/hostile.ts, full size:
 *                                              time, peak memory and what each report says
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { generateCapture } from './generate';
import { onePassSum, startup } from './limits';

const args = process.argv.slice(2);
if (args.includes('--browser')) {
  await (await import('./browser')).runBrowser(args);
  process.exit(0);
}
if (args.includes('--hostile')) {
  await (await import('./hostile-run')).runHostile(args);
  process.exit(0);
}
const mib = Number(args[args.indexOf('--mib') + 1] ?? 256) || 256;
const keep = args.includes('--keep');
const dir = join(new URL('.', import.meta.url).pathname, 'out');
mkdirSync(dir, { recursive: true });
const file = join(dir, `mixed-${mib}mib.pcap`);

if (!existsSync(file) || statSync(file).size < mib * 1048576) {
  process.stdout.write(`generating ${mib} MiB of mixed plain + VXLAN traffic...\n`);
  await generateCapture(file, mib * 1048576);
}
const size = statSync(file).size;

function timed(cmd: string, argv: string[]): { secs: number; rssMiB: number; out: string; code: number | null } {
  // GNU time's %M gives the peak resident set size in KiB.
  const hasTime = existsSync('/usr/bin/time');
  const t0 = process.hrtime.bigint();
  const p = hasTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...argv], {
        encoding: 'utf8',
        maxBuffer: 1 << 30,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const rss = hasTime ? Number(p.stderr.trim().split('\n').pop()) / 1024 : NaN;
  return { secs, rssMiB: rss, out: p.stdout ?? '', code: p.status };
}

const root = join(new URL('..', import.meta.url).pathname);
// The shipped CLI: the bundle (rebuilt when a source changed), as `npx pcap-doctor` runs it.
const { ensureCli } = (await import(join(root, 'scripts/build-cli.mjs'))) as { ensureCli: () => Promise<string> };
const cli = await ensureCli();
// Start-up first, on a quiet machine: right after the big runs the same median reads ~40 ms higher.
const small = join(root, '../shared/captures/scenarios/tke-63s-sender-eth0.pcap');
const start = existsSync(small) ? startup(cli, small) : NaN;
const ours = timed(process.execPath, [cli, '--json', file]);
if (ours.code !== 0) throw new Error('analyze failed');
const packets = (JSON.parse(ours.out) as { captures: { packets: number }[] }).captures[0]!.packets;

const rows: string[][] = [['tool', 'seconds', 'MB/s', 'packets/s', 'peak RSS (MiB)']];
const fmt = (s: number, rss: number, name: string) => [
  name,
  s.toFixed(2),
  (size / 1e6 / s).toFixed(1),
  Math.round(packets / s).toLocaleString('en'),
  Number.isNaN(rss) ? '-' : rss.toFixed(0),
];
rows.push(fmt(ours.secs, ours.rssMiB, 'pcap-doctor analyze --json'));
const td = spawnSync('sh', ['-c', 'command -v tcpdump'], { encoding: 'utf8' }).stdout.trim();
if (td) {
  const t = timed('sh', ['-c', `${td} -nn -vv -r '${file}' > /dev/null 2>&1`]);
  rows.push(fmt(t.secs, t.rssMiB, 'tcpdump -nn -vv -r'));
} else rows.push(['tcpdump -nn -vv -r', 'not installed (apt-get install tcpdump)', '', '', '']);

const sum = onePassSum(file);
rows.push(fmt(sum.secs, NaN, 'one pass of a 16-bit sum (limit)'));

const w = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
process.stdout.write(`\n${file}: ${(size / 1048576).toFixed(0)} MiB, ${packets.toLocaleString('en')} packets\n`);
for (const r of rows)
  process.stdout.write(r.map((x, c) => (c ? (x ?? '').padStart(w[c]!) : (x ?? '').padEnd(w[c]!))).join('  ') + '\n');
process.stdout.write(
  `(pcap-doctor time includes Node start-up: ${start.toFixed(3)} s, the median of 7 runs on the 16-packet sample)\n`,
);

// Issue 12's targets, checked side by side in this one run.
const tdRow = rows.find((r) => r[0] === 'tcpdump -nn -vv -r');
const tdSecs = tdRow ? Number(tdRow[1]) : NaN;
const check = (ok: boolean, what: string) => process.stdout.write(`${ok ? 'PASS' : 'MISS'}  ${what}\n`);
process.stdout.write('\ntargets (issue 12):\n');
if (Number.isFinite(tdSecs))
  check(tdSecs / ours.secs >= 10, `>= 10x faster than tcpdump -nn -vv: ${(tdSecs / ours.secs).toFixed(1)}x`);
check(sum.secs / ours.secs >= 0.4, `>= 40 % of the one-pass sum: ${((100 * sum.secs) / ours.secs).toFixed(0)} %`);
if (Number.isFinite(ours.rssMiB)) check(ours.rssMiB <= 256, `peak RSS <= 256 MiB: ${ours.rssMiB.toFixed(0)} MiB`);
if (Number.isFinite(start)) check(start <= 0.15, `start-up on a small capture <= 0.15 s: ${start.toFixed(3)} s`);
if (!keep) unlinkSync(file);

// The browser's targets, in the same run (Chromium from Debian; --no-browser skips them).
if (!args.includes('--no-browser')) {
  if (existsSync('/usr/bin/chromium')) await (await import('./browser')).runBrowser(args);
  else process.stdout.write('\nbrowser targets: skipped (no /usr/bin/chromium)\n');
}

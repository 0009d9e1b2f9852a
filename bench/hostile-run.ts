/**
 * `npm run bench -- --hostile`: every case of bench/hostile.ts at full size through the shipped
 * CLI, one process each, with its time, peak RSS (GNU time) and what the report says. A case
 * fails when it takes over TIME_LIMIT, exceeds RSS_LIMIT, crashes or exits silently.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HOSTILE } from './hostile';

const RSS_LIMIT_MIB = 512;
const TIME_LIMIT_SEC = 180;

export async function runHostile(args: string[]): Promise<void> {
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  const root = join(new URL('..', import.meta.url).pathname);
  const dir = join(root, 'bench', 'out', 'hostile');
  mkdirSync(dir, { recursive: true });
  const { ensureCli } = (await import(join(root, 'scripts/build-cli.mjs'))) as { ensureCli: () => Promise<string> };
  const cli = await ensureCli();
  const rows: string[][] = [['case', 'file MiB', 'seconds', 'peak RSS MiB', 'exit', 'packets', 'says', 'verdict']];
  let failed = 0;
  for (const c of HOSTILE) {
    if (only && c.name !== only) continue;
    const file = join(dir, c.name + c.ext);
    if (!existsSync(file)) {
      process.stdout.write(`generating ${c.name}: ${c.what}...\n`);
      await c.make(file, 'bench');
    }
    const t0 = process.hrtime.bigint();
    const p = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, '--json', file], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      timeout: TIME_LIMIT_SEC * 1000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const errLines = (p.stderr ?? '').trim().split('\n');
    const rss = Number(errLines.pop()) / 1024;
    let packets = '-';
    let says = errLines.find((l) => l.startsWith('analyze:')) ?? '';
    try {
      const r = JSON.parse(p.stdout) as {
        captures: { packets: number; errors: { code: string }[]; limits?: Record<string, number> }[];
        diagnosis: { cause: string | null };
      };
      const cap = r.captures[0]!;
      packets = cap.packets.toLocaleString('en');
      const codes = [...new Set(cap.errors.map((e) => e.code))].join(',');
      const lim = cap.limits
        ? Object.entries(cap.limits)
            .map(([k, v]) => `${k}=${v}`)
            .join(',')
        : '';
      says = [r.diagnosis.cause ?? 'no cause', codes, lim].filter(Boolean).join('; ');
    } catch {
      /* no report: `says` keeps the stderr line */
    }
    const ok =
      p.status !== null && (p.status === 0 || (p.status === 1 && says !== '')) && rss <= RSS_LIMIT_MIB && secs <= TIME_LIMIT_SEC;
    if (!ok) failed++;
    rows.push([
      c.name,
      (statSync(file).size / 1048576).toFixed(1),
      secs.toFixed(2),
      Number.isNaN(rss) ? '-' : rss.toFixed(0),
      String(p.status ?? p.signal),
      packets,
      says.slice(0, 90),
      ok ? 'ok' : 'FAIL',
    ]);
    process.stdout.write(`${rows[rows.length - 1]!.join('  ')}\n`);
  }
  const w = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  process.stdout.write('\n' + rows.map((r) => r.map((x, c) => x.padEnd(w[c]!)).join('  ')).join('\n') + '\n');
  process.stdout.write(
    `limits: ${RSS_LIMIT_MIB} MiB peak RSS, ${TIME_LIMIT_SEC} s per case; ${failed ? `${failed} FAILED` : 'all within'}\n`,
  );
  if (failed) process.exitCode = 1;
}

/**
 * Reference points for `npm run bench` (issue 12): the single-thread limit (one pass of a 16-bit
 * one's-complement sum over the file, read as the CLI reads it, in 8 MiB chunks) and the CLI's
 * start-up on a small capture (the median of several runs of the shipped bundle).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';

/** Seconds for one pass of a 16-bit sum over `file` (and the sum, so the work is not elided). */
export function onePassSum(file: string): { secs: number; sum: number } {
  const buf = Buffer.allocUnsafe(8 << 20);
  const fd = openSync(file, 'r');
  const t0 = process.hrtime.bigint();
  let acc = 0;
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      // 32-bit words of the chunk, folded every word: as fast as a plain loop in V8 gets.
      const words = new Uint32Array(buf.buffer, buf.byteOffset, n >>> 2);
      for (let i = 0; i < words.length; i++) {
        const w = words[i]!;
        acc += (w & 0xffff) + (w >>> 16);
        if (acc > 0x7fffffff) acc = (acc & 0xffff) + (acc >>> 16);
      }
    }
  } finally {
    closeSync(fd);
  }
  while (acc >> 16) acc = (acc & 0xffff) + (acc >>> 16);
  return { secs: Number(process.hrtime.bigint() - t0) / 1e9, sum: acc };
}

/** Median wall time of `runs` runs of `node cli --json small` (start-up dominated). */
export function startup(cli: string, small: string, runs = 7): number {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const p = spawnSync(process.execPath, [cli, '--json', small], { stdio: ['ignore', 'ignore', 'ignore'] });
    if (p.status !== 0) throw new Error(`start-up run failed (${p.status})`);
    t.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  t.sort((a, b) => a - b);
  return t[t.length >> 1]!;
}

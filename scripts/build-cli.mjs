#!/usr/bin/env node
/**
 * Bundle the command line into one CommonJS file for Node (dist-cli/cli.cjs), beside the package's
 * `bin` (dist-cli/pcap-doctor.cjs, scripts/cli-loader.cjs) which runs it through a V8 code cache
 * (dist-cli/cli.cache, made here by one run over the sample capture): no TypeScript compiler and
 * no JavaScript compile at run time, so the command starts in a few tens of milliseconds over
 * Node's own start-up.
 *
 *   node scripts/build-cli.mjs            build
 *   ensureCli()                           build only when a source file is newer (npm run analyze)
 */
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'dist-cli');
/** The package's bin: the loader. */
export const CLI_BUNDLE = join(OUT, 'pcap-doctor.cjs');
const SAMPLE = join(ROOT, 'public/samples/tke-63s-sender-eth0.pcap');

/** Bundle the CLI. */
export async function buildCli() {
  await build({
    entryPoints: [join(ROOT, 'src/cli/main.ts')],
    outfile: join(OUT, 'cli.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    legalComments: 'none',
    minify: true,
    logLevel: 'warning',
  });
  copyFileSync(join(ROOT, 'scripts/cli-loader.cjs'), CLI_BUNDLE);
  // The loader has no source map (the bundle has its own); one left by an older build would
  // describe code that is no longer there.
  rmSync(`${CLI_BUNDLE}.map`, { force: true });
  chmodSync(CLI_BUNDLE, 0o755);
  // A stale cache would be rejected anyway; make the new one from a run that compiles the
  // analysis path (reader, decoders, rules, report) as a real run does.
  rmSync(join(OUT, 'cli.cache'), { force: true });
  if (existsSync(SAMPLE)) {
    spawnSync(process.execPath, [CLI_BUNDLE, '--json', SAMPLE], {
      stdio: 'ignore',
      env: { ...process.env, PCAP_DOCTOR_WRITE_CACHE: '1' },
    });
  }
}

/** Newest modification time of the sources the bundle is made from. */
function newestSource(dir = join(ROOT, 'src')) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestSource(p));
    else if (/\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** Build the bundle when it is missing or older than a source file. */
export async function ensureCli() {
  let built = 0;
  try {
    built = Math.min(statSync(CLI_BUNDLE).mtimeMs, statSync(join(OUT, 'cli.cjs')).mtimeMs);
  } catch {
    /* not built yet */
  }
  if (built < Math.max(newestSource(), statSync(join(ROOT, 'scripts/cli-loader.cjs')).mtimeMs)) await buildCli();
  return CLI_BUNDLE;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildCli();

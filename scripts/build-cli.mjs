#!/usr/bin/env node
/**
 * Bundle the command line into one CommonJS file for Node (dist-cli/pcap-doctor.cjs, the package's
 * `bin`): no TypeScript compiler at run time, so it starts in a few tens of milliseconds.
 *
 *   node scripts/build-cli.mjs            build
 *   ensureCli()                           build only when a source file is newer (npm run analyze)
 */
import { build } from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_BUNDLE = join(ROOT, 'dist-cli', 'pcap-doctor.cjs');

/** Bundle the CLI. */
export async function buildCli() {
  await build({
    entryPoints: [join(ROOT, 'src/cli/main.ts')],
    outfile: CLI_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    legalComments: 'none',
    minify: true,
    logLevel: 'warning',
    banner: { js: '#!/usr/bin/env node' },
  });
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
    built = statSync(CLI_BUNDLE).mtimeMs;
  } catch {
    /* not built yet */
  }
  if (built < newestSource()) await buildCli();
  return CLI_BUNDLE;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildCli();

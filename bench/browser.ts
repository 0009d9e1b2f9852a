/**
 * `npm run bench -- --browser [--gib 4] [--keep]`: the app in Chromium on a generated capture of
 * mixed plain and VXLAN traffic (issue 12's browser targets), measured as a user meets it:
 *
 *   - drop to diagnosis: from setting the file on the page's input to the diagnosis on screen;
 *   - drop to a full result: diagnosis, packet list and IO graph all rendered;
 *   - main-thread long tasks (a `longtask` PerformanceObserver) from the drop to the full result,
 *     split into those while the worker decodes and those while the result renders;
 *   - peak browser memory: the proportional set size (PSS, shared pages counted once) of every
 *     Chromium process, sampled every 250 ms;
 *   - the sample's first result on a freshly loaded page, `--loads N` times (default 10): the
 *     main-thread tasks over 50 ms from the drop to the rendered result.
 *
 * Nothing polls the page while it renders: Playwright's `waitFor` checks visibility, which forces
 * a layout of whatever the app has just added, inside a task of its own. A MutationObserver
 * notes when the result's parts appear, and Node reads those notes.
 *
 * It builds the app when dist/ is missing, serves it with `vite preview` on port 4179, and
 * deletes the capture afterwards unless --keep.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { generateCapture } from './generate';

const PORT = 4179;

/**
 * PSS in KiB of every process below `root`, except `root` itself and the `skip` subtree:
 * Chromium (browser, renderers, GPU, utility) below this process, the preview server skipped.
 */
function treePssKiB(root: number, skip: number): number {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      // /proc/PID/stat: "pid (comm) state ppid ...": comm may hold spaces, so split after ")".
      const st = readFileSync(`/proc/${d}/stat`, 'utf8');
      parent.set(Number(d), Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* exited meanwhile */
    }
  }
  const inTree = (p: number): boolean => {
    if (p === root) return false;
    for (let x = p, hops = 0; x > 1 && hops < 64; x = parent.get(x) ?? 0, hops++) {
      if (x === skip) return false;
      if (x === root) return true;
    }
    return false;
  };
  let kib = 0;
  for (const p of parent.keys()) {
    if (!inTree(p)) continue;
    try {
      const m = /^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'));
      if (m) kib += Number(m[1]);
    } catch {
      /* exited meanwhile */
    }
  }
  return kib;
}

type Browser = Awaited<ReturnType<typeof chromium.launch>>;
type Page = Awaited<ReturnType<Browser['newPage']>>;

/** The test ids whose first appearance is noted, in the order a result renders them. */
const PARTS = ['diagnosis', 'io-graph', 'packet-row'] as const;

/**
 * Start watching `page`: long tasks and the first appearance of each of {@link PARTS}, as
 * `performance.now()` times in `window.bench`.
 */
async function watch(page: Page): Promise<number> {
  return page.evaluate((parts) => {
    const w = window as unknown as { bench: { lt: [number, number][]; seen: Record<string, number> } };
    w.bench = { lt: [], seen: {} };
    new PerformanceObserver((l) => l.getEntries().forEach((e) => w.bench.lt.push([e.startTime, e.duration]))).observe({
      type: 'longtask',
    });
    new MutationObserver(() => {
      for (const id of parts)
        if (!(id in w.bench.seen) && document.querySelector(`[data-testid="${id}"]`)) w.bench.seen[id] = performance.now();
    }).observe(document.body, { childList: true, subtree: true });
    return performance.now();
  }, PARTS);
}

/** Wait (reading a variable once per `every` ms, no layout) until every part has appeared; their times. */
async function rendered(
  page: Page,
  timeout: number,
  every: number,
): Promise<{ lt: [number, number][]; seen: Record<string, number> }> {
  await page.waitForFunction(
    (parts) => {
      const seen = (window as unknown as { bench: { seen: Record<string, number> } }).bench.seen;
      return parts.every((id) => id in seen);
    },
    PARTS,
    { timeout, polling: every },
  );
  // The result's last stages and their layout, then read the notes.
  await new Promise((r) => setTimeout(r, 1500));
  return page.evaluate(() => (window as unknown as { bench: { lt: [number, number][]; seen: Record<string, number> } }).bench);
}

/** The sample's first result on `loads` freshly loaded pages: the tasks over 50 ms in each. */
async function sampleRuns(browser: Browser, loads: number): Promise<number[][]> {
  const sample = join(new URL('..', import.meta.url).pathname, 'public/samples/tke-63s-sender-eth0.pcap');
  const runs: number[][] = [];
  for (let i = 0; i < loads; i++) {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto(`http://127.0.0.1:${PORT}/`);
    await page.getByTestId('sample').waitFor();
    await page.waitForTimeout(2500);
    await watch(page);
    await page.getByTestId('file-input').setInputFiles(sample);
    const { lt } = await rendered(page, 30_000, 500);
    runs.push(lt.map(([, d]) => Math.round(d)).filter((d) => d > 50));
    await page.close();
  }
  return runs;
}

export async function runBrowser(args: string[]): Promise<void> {
  const gib = Number(args[args.indexOf('--gib') + 1] ?? 4) || 4;
  const keep = args.includes('--keep');
  const loads = Number(args[args.indexOf('--loads') + 1] ?? 10) || 10;
  const root = join(new URL('..', import.meta.url).pathname);
  const file = join(root, 'bench/out', `mixed-${gib}gib.pcap`);
  if (!existsSync(file) || statSync(file).size < gib * 2 ** 30) {
    process.stdout.write(`generating ${gib} GiB of mixed plain + VXLAN traffic...\n`);
    await generateCapture(file, gib * 2 ** 30);
  }
  if (!existsSync(join(root, 'dist/index.html'))) {
    process.stdout.write('building the app...\n');
    if (spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) throw new Error('build failed');
  }
  const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'], {
    cwd: root,
    stdio: 'ignore',
    detached: true,
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  let peakKiB = 0;
  const browserKiB = () => treePssKiB(process.pid, server.pid ?? -1);
  const sampler = setInterval(() => (peakKiB = Math.max(peakKiB, browserKiB())), 250);
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    for (let i = 0; ; i++) {
      try {
        await page.goto(`http://127.0.0.1:${PORT}/`);
        break;
      } catch (e) {
        if (i > 40) throw e;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    await page.getByTestId('sample').waitFor();
    // Let the landing page settle (fonts, service worker, Intl warm-up) before the clock starts.
    await page.waitForTimeout(2000);
    const baseKiB = browserKiB();
    peakKiB = baseKiB;
    const t0 = await watch(page);
    await page.getByTestId('file-input').setInputFiles(file);
    const { lt, seen } = await rendered(page, 600_000, 100);
    const tDiag = seen.diagnosis!;
    const max = (x: [number, number][]) => Math.max(0, ...x.map(([, d]) => d));
    const over = lt.filter(([, d]) => d > 50).map(([st, d]) => `${d.toFixed(0)} ms at +${((st - t0) / 1000).toFixed(1)} s`);
    // From the page's clock: the drop (setting the input) to the diagnosis in the DOM.
    const toDiag = (tDiag - t0) / 1000;
    const size = statSync(file).size;
    const peakMiB = peakKiB / 1024;
    process.stdout.write(
      `\nChromium, ${(size / 2 ** 30).toFixed(2)} GiB capture (${file}):\n` +
        `  drop to diagnosis            ${toDiag.toFixed(1)} s (${(size / 1e6 / toDiag).toFixed(0)} MB/s)\n` +
        `  peak browser memory (PSS)    ${peakMiB.toFixed(0)} MiB (${(baseKiB / 1024).toFixed(0)} MiB before the drop)\n` +
        `  main-thread long tasks       ${lt.length} from the drop to the full result (diagnosis at +${((tDiag - t0) / 1000).toFixed(1)} s)\n` +
        `  over 50 ms                   ${over.length ? over.join('; ') : 'none'}\n`,
    );
    await page.close();
    const sample = await sampleRuns(browser, loads);
    const worst = Math.max(0, ...sample.flat());
    process.stdout.write(
      `\nChromium, the 16-packet sample, first result on a fresh page, ${loads} loads:\n` +
        `  loads with a task over 50 ms ${sample.filter((r) => r.length).length} of ${loads}` +
        `${worst ? ` (${sample.flat().join(', ')} ms)` : ''}\n`,
    );
    const check = (ok: boolean, what: string) => process.stdout.write(`${ok ? 'PASS' : 'MISS'}  ${what}\n`);
    process.stdout.write('\ntargets (issue 12, browser):\n');
    check(toDiag <= 10, `drop to diagnosis <= 10 s: ${toDiag.toFixed(1)} s`);
    check(peakMiB <= 1024, `peak browser memory <= 1 GiB: ${peakMiB.toFixed(0)} MiB`);
    check(
      max(lt) <= 50,
      `no main-thread task over 50 ms (${(size / 2 ** 30).toFixed(0)} GiB): longest ${max(lt) ? max(lt).toFixed(0) : 'under 50'} ms`,
    );
    check(worst <= 50, `no main-thread task over 50 ms (sample, ${loads} loads): longest ${worst || 'under 50'} ms`);
  } finally {
    clearInterval(sampler);
    await browser.close();
    try {
      process.kill(-server.pid!, 'SIGTERM');
    } catch {
      /* already gone */
    }
    if (!keep) unlinkSync(file);
  }
}

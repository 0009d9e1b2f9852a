/**
 * End-to-end: the app in Debian's Chromium against the production build. Screenshots land in
 * e2e-artifacts/ (look at them).
 */
import { expect, test, type Page } from '@playwright/test';
import { createReadStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateCapture } from '../bench/generate';
import { analyzeCaptures } from '../src/core/pipeline';
import { bufferChunks } from '../src/core/capture/source';
import { renderText } from '../src/core/text';
import type { Report } from '../src/core/report';

const SCEN = resolve('../shared/captures/scenarios');
const ART = resolve('e2e-artifacts');
mkdirSync(ART, { recursive: true });
const TMP = join(tmpdir(), 'pcap-doctor-e2e');
mkdirSync(TMP, { recursive: true });

/** Fail the test if any request leaves the page's origin. */
function guardOrigin(page: Page): string[] {
  const foreign: string[] = [];
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('http://127.0.0.1:4173/') && !u.startsWith('data:') && !u.startsWith('blob:')) foreign.push(u);
  });
  return foreign;
}

async function markers(page: Page) {
  const els = page.getByTestId('syn-attempt');
  await expect(els.first()).toBeVisible();
  const n = await els.count();
  const out: { offset: number; outer: string }[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      offset: Number(await els.nth(i).getAttribute('data-offset-sec')),
      outer: (await els.nth(i).getAttribute('data-outer-checksum'))!,
    });
  }
  return out.sort((a, b) => a.offset - b.offset);
}

const SCENARIOS = [
  {
    file: 'tke-63s-sender-eth0.pcap',
    cause: 'vxlan-checksum-drop',
    count: 7,
    last: 63.137,
    outer: ['bad', 'bad', 'bad', 'bad', 'bad', 'bad', 'zero'],
  },
  { file: 'tke-63s-sender-flannel1.pcap', cause: 'syn-dropped', count: 7, last: 63.137, outer: Array(7).fill('none') },
  { file: 'dns-vxlan-bad-outer.pcap', cause: 'vxlan-checksum-drop', count: 3, last: 10.004, outer: ['bad', 'bad', 'bad'] },
];

test.describe('scenarios through the file input', () => {
  for (const s of SCENARIOS) {
    test(s.file, async ({ page }) => {
      const foreign = guardOrigin(page);
      await page.goto('/');
      // Record how many markers exist at the very moment the diagnosis appears: a checker that
      // waits for the diagnosis and then counts without waiting must see them all.
      await page.evaluate(() => {
        const w = window as unknown as { seen: number | null };
        w.seen = null;
        new MutationObserver(() => {
          if (w.seen === null && document.querySelector('[data-testid="diagnosis"]'))
            w.seen = document.querySelectorAll('[data-testid="syn-attempt"]').length;
        }).observe(document.body, { childList: true, subtree: true });
      });
      await page.getByTestId('file-input').setInputFiles(join(SCEN, s.file));
      const diag = page.getByTestId('diagnosis');
      await expect(diag).toBeVisible();
      expect(await page.evaluate(() => (window as unknown as { seen: number }).seen)).toBe(s.count);
      await expect(diag).toHaveAttribute('data-cause', s.cause);
      await expect(page.getByTestId('syn-attempt')).toHaveCount(s.count);
      const m = await markers(page);
      expect(m[m.length - 1]!.offset).toBeCloseTo(s.last, 2);
      expect(m.map((x) => x.outer)).toEqual(s.outer);
      expect(foreign).toEqual([]);
    });
  }
});

test('the sample button, the evidence, the packet detail and the filter', async ({ page }) => {
  const foreign = guardOrigin(page);
  await page.goto('/');
  await page.getByTestId('sample').click();
  await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'vxlan-checksum-drop');
  await expect(page.getByTestId('syn-attempt')).toHaveCount(7);
  const m = await markers(page);
  expect(m[6]!.offset).toBeCloseTo(63.137, 2);
  await expect(page.getByTestId('answer-marker')).toHaveCount(1);
  // The evidence (7 attempts and the SYN-ACK) is marked in the packet list.
  await expect(page.locator('[data-testid="packet-row"].evidence')).toHaveCount(8);
  // Click evidence frame 1: the detail shows the bad outer UDP checksum with the right value.
  await page.getByTestId('evidence-frame').first().click();
  const detail = page.getByTestId('packet-detail');
  await expect(detail).toContainText('Frame 1');
  await expect(detail.locator('[data-testid="check-verdict"][data-status="bad"]')).toContainText('0xd553');
  // Filter.
  await page.getByTestId('filter').fill('checksum.bad');
  await page.getByTestId('filter').press('Enter');
  await expect(page.getByTestId('packet-row')).toHaveCount(6);
  await page.getByTestId('filter').fill('tcp.port==');
  await page.getByTestId('filter').press('Enter');
  await expect(page.getByTestId('filter-error')).toBeVisible();
  expect(foreign).toEqual([]);
});

/** The sample's report as `npm run analyze -- [--json] [--lang zh] tke-63s-sender-eth0.pcap` prints it. */
async function cliReport(lang: 'en' | 'zh'): Promise<{ text: string; json: string }> {
  const name = 'tke-63s-sender-eth0.pcap';
  const bytes = new Uint8Array(readFileSync(`public/samples/${name}`));
  const r = await analyzeCaptures([{ name, source: bufferChunks(bytes) }], { lang });
  return { text: renderText(r, lang, false, 0), json: JSON.stringify(r, null, 1) + '\n' };
}

test('the report copies as text and downloads as JSON, as the command line prints them, in the page language', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const foreign = guardOrigin(page);
  await page.goto('/');
  await page.getByTestId('sample').click();
  await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'vxlan-checksum-drop');
  const en = await cliReport('en');
  await page.getByTestId('copy-report').click();
  await expect(page.getByTestId('report-status')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(en.text);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-json').click()]);
  expect(dl.suggestedFilename()).toBe('tke-63s-sender-eth0-report.json');
  expect(readFileSync((await dl.path())!, 'utf8')).toBe(en.json);
  await expect(page.getByTestId('report-status')).toHaveText('JSON report saved');
  await page.getByTestId('lang').click();
  const zh = await cliReport('zh');
  await page.getByTestId('copy-report').click();
  await expect(page.getByTestId('report-status')).toHaveText('已复制');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(zh.text);
  expect(foreign).toEqual([]);
});

test('without a clipboard (plain http from another machine) the text report is saved as a file', async ({ page }) => {
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }));
  await page.goto('/');
  await page.getByTestId('sample').click();
  await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'vxlan-checksum-drop');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('copy-report').click()]);
  expect(dl.suggestedFilename()).toBe('tke-63s-sender-eth0-report.txt');
  expect(readFileSync((await dl.path())!, 'utf8')).toBe((await cliReport('en')).text);
  await expect(page.getByTestId('report-status')).toHaveText('Saved as a text file');
});

test('layout: every connections column fits at 1440 px; file names keep their case; focus is visible on a column handle', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/');
  await page.getByTestId('sample-two').click();
  await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'vxlan-checksum-drop');
  const scroll = page.getByTestId('connections').locator('.table-scroll');
  await expect(scroll).toBeVisible();
  const fits = await scroll.evaluate((e) => e.scrollWidth <= e.clientWidth + 1);
  expect(fits, 'the connections table needs no sideways scrolling at 1440 px').toBe(true);
  const name = page.getByTestId('connections').locator('.file-name');
  await expect(name).toContainText('tke-63s-sender-eth0.pcap');
  expect(await name.evaluate((e) => getComputedStyle(e).textTransform)).toBe('none');
  const handle = page.locator('.col-resize').first();
  await handle.focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  expect(await handle.evaluate((e) => getComputedStyle(e).boxShadow)).not.toBe('none');
});

test('two capture points show two lanes', async ({ page }) => {
  await page.goto('/');
  await page
    .getByTestId('file-input')
    .setInputFiles([join(SCEN, 'tke-63s-sender-eth0.pcap'), join(SCEN, 'tke-63s-sender-flannel1.pcap')]);
  await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'vxlan-checksum-drop');
  await expect(page.getByTestId('syn-attempt')).toHaveCount(7);
  await expect(page.getByTestId('other-lane-marker')).toHaveCount(7);
  await page.screenshot({ path: join(ART, 'two-lanes.png'), fullPage: true });
});

test('a corrupt file shows its error; a truncated one keeps partial results', async ({ page }) => {
  const junk = join(TMP, 'junk.pcap');
  writeFileSync(junk, 'definitely not a packet capture');
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(junk);
  await expect(page.getByTestId('error')).toContainText('not a pcap or pcapng file (magic 0x64656669 at byte 0)');
  const cut = join(TMP, 'cut.pcap');
  const b = readFileSync(join(SCEN, 'tke-63s-sender-eth0.pcap'));
  writeFileSync(cut, b.subarray(0, b.length - 7));
  await page.getByTestId('file-input').setInputFiles(cut);
  await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'vxlan-checksum-drop');
  await expect(page.getByTestId('file-errors')).toContainText('capture ends inside a record');
});

test.describe('large captures', () => {
  const big = join(TMP, 'big.pcap');
  let total = 0;
  test.beforeAll(async () => {
    // Big enough that decoding is still running when Cancel is clicked, on any machine.
    total = await generateCapture(big, 500 * 1048576);
  });
  test.afterAll(() => {
    rmSync(big, { force: true });
  });

  test('cancel mid-way terminates the worker; the next analysis starts a fresh one', async ({ page }) => {
    await page.goto('/');
    await page.evaluate(() => {
      (window as unknown as { longTasks: number[] }).longTasks = [];
      new PerformanceObserver((l) =>
        l.getEntries().forEach((e) => (window as unknown as { longTasks: number[] }).longTasks.push(e.duration)),
      ).observe({ type: 'longtask' });
    });
    await page.getByTestId('file-input').setInputFiles(big);
    await expect(page.getByTestId('progress')).toBeVisible();
    await expect(page.getByTestId('progress')).toContainText(/MiB \/ 500\.0 MiB/);
    // Only the steady state counts: starting an analysis (picking the file, first render of the
    // progress bar, compiling the worker chunk) is one-off work, and on a 2-core CI machine busy
    // with the worker itself it once took 54 ms. What must stay responsive is the page *while*
    // the worker decodes.
    await page.evaluate(() => ((window as unknown as { longTasks: number[] }).longTasks = []));
    await page.waitForTimeout(2000);
    const during = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    // Decoding on the main thread would fill it (long tasks most of the 2 s). What is left is
    // progress rendering, which on a 2-core machine shared with the worker and the test runner
    // can be stretched past 50 ms now and then (CI saw one of 54 ms): allow a little of that.
    expect(
      during.reduce((a, b) => a + b, 0),
      'main thread time in long tasks while decoding (ms of 2000)',
    ).toBeLessThan(200);
    expect(Math.max(0, ...during), 'longest main thread task while decoding (ms)').toBeLessThan(150);
    // The next worker is started while the page is idle, before another file is dropped (it
    // takes ~75 ms off the next result: the worker's code is loaded and compiled by then).
    const next = page.waitForEvent('worker');
    await page.getByTestId('cancel').click();
    await expect(page.getByTestId('progress')).toHaveCount(0);
    await expect(page.getByTestId('notice')).toBeVisible();
    await next;
    await page.getByTestId('sample').click();
    await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'vxlan-checksum-drop');
  });

  test('opening another file cancels the current one', async ({ page }) => {
    await page.goto('/');
    await page.getByTestId('file-input').setInputFiles(big);
    await expect(page.getByTestId('progress')).toBeVisible();
    await page.getByTestId('file-input').setInputFiles(join(SCEN, 'dns-vxlan-bad-outer.pcap'));
    await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'vxlan-checksum-drop');
    await expect(page.getByTestId('syn-attempt')).toHaveCount(3);
  });

  test('a big result lays out the rows below the fold only when scrolled near, then in full', async ({ page }) => {
    // Their first style and layout (the connections table: ~24 ms at 1 GiB, twice that with both
    // cores busy) would otherwise land in the frames that render the result.
    await page.setViewportSize({ width: 1280, height: 400 });
    await page.goto('/');
    await page.getByTestId('file-input').setInputFiles(big);
    await expect(page.getByTestId('packet-list')).toBeAttached({ timeout: 90_000 });
    expect(await belowFold(page)).toEqual([
      { far: true, rendered: false },
      { far: true, rendered: false },
    ]);
    await page.getByTestId('connections').scrollIntoViewIfNeeded();
    await expect.poll(async () => (await belowFold(page))[0]!.rendered).toBe(true);
    await expect(page.getByTestId('connections').locator('tbody tr').first()).toBeVisible();
    await page.getByTestId('packet-list').scrollIntoViewIfNeeded();
    await expect.poll(async () => (await belowFold(page))[1]!.rendered).toBe(true);
    await expect(page.getByTestId('packet-row').first()).toBeVisible();
    // Its real height once shown, not the 420 px placeholder.
    const h = await page.locator('.col-wide.packets-area').evaluate((e) => e.getBoundingClientRect().height);
    expect(h).toBeGreaterThan(420);
  });

  test('the packet list is virtualised: over a million rows, few in the DOM, the end reached at once', async ({ page }) => {
    await page.goto('/');
    await page.getByTestId('file-input').setInputFiles(big);
    await expect(page.getByTestId('diagnosis')).toBeVisible({ timeout: 90_000 });
    const rows = page.getByTestId('packet-row');
    await expect(rows.first()).toContainText('1');
    expect(await rows.count()).toBeLessThan(150);
    await page.getByTestId('packet-list').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect(rows.last()).not.toContainText('…');
    const lastN = Number(await rows.last().locator('.c-no').textContent());
    expect(lastN).toBeGreaterThan(1_000_000);
    // Every record read once through the browser's reused read buffers: the count the file was
    // written with, and the checksum verdicts the core gives in Node (fs stream) for the same file.
    expect(lastN).toBe(total);
    const node: Report = await analyzeCaptures([{ name: 'big.pcap', source: createReadStream(big, { highWaterMark: 1 << 20 }) }]);
    const cells = await page
      .getByTestId('checksum-table')
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.textContent!.replace(/\D/g, '') || 0))),
      );
    const sum = (st: 'good' | 'bad' | 'zero' | 'partial' | 'unverified') =>
      cells.reduce((a, r) => a + r[['good', 'bad', 'zero', 'partial', 'unverified'].indexOf(st)]!, 0);
    const all = Object.values(node.checksums);
    for (const st of ['good', 'bad', 'zero', 'partial', 'unverified'] as const)
      expect(sum(st), st).toBe(all.reduce((a, c) => a + c[st], 0));
    expect(sum('bad')).toBeGreaterThan(0);
    // The middle of the list, too (pages are fetched from the worker on demand).
    await page.getByTestId('packet-list').evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await expect(rows.first()).not.toContainText('…');
    expect(Number(await rows.first().locator('.c-no').textContent())).toBeGreaterThan(500_000);
  });
});

/** Per row below the diagnosis column: far below the viewport, and laid out (not skipped). */
function belowFold(page: Page) {
  return page.locator('.results > .col-wide').evaluateAll((els) =>
    els.map((e) => ({
      // Chromium renders content-visibility: auto within 150 % of the viewport's height beyond it.
      far: e.getBoundingClientRect().top > 2.5 * innerHeight,
      // The row's children are what is skipped (the row itself keeps a box).
      rendered: e.firstElementChild!.checkVisibility({ contentVisibilityAuto: true }),
    })),
  );
}

test('a small result lays out every row at once (full-page screenshots and printing show them)', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 400 });
  await page.goto('/');
  await page.getByTestId('sample').click();
  await expect(page.getByTestId('packet-list')).toBeAttached();
  expect(await belowFold(page)).toEqual([
    { far: true, rendered: true },
    { far: true, rendered: true },
  ]);
});

test('screenshots of the result view in both themes and languages', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('sample').click();
  await expect(page.getByTestId('diagnosis')).toBeVisible();
  await page.getByTestId('evidence-frame').first().click();
  await page.screenshot({ path: join(ART, 'result-light.png'), fullPage: true });
  const before = await page.locator('html').getAttribute('data-theme');
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const lightBg = await bg();
  await page.getByTestId('theme').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', before === 'dark' ? 'light' : 'dark');
  expect(await bg()).not.toBe(lightBg);
  await page.screenshot({ path: join(ART, 'result-dark.png'), fullPage: true });
  await page.getByTestId('lang').click();
  await expect(page.getByTestId('diagnosis')).toContainText('诊断');
  await page.screenshot({ path: join(ART, 'result-zh.png'), fullPage: true });
  await page.goto('/');
  await page.screenshot({ path: join(ART, 'landing.png') });
});

test('keyboard: open the picker with Enter, move through packets with the arrow keys', async ({ page }) => {
  await page.goto('/');
  // Listen first: Playwright turns on file-chooser interception asynchronously when a listener
  // is added, and a keypress right after could otherwise beat it.
  const chooserEvent = page.waitForEvent('filechooser');
  await page.getByTestId('choose').focus();
  await page.waitForTimeout(200);
  await page.keyboard.press('Enter');
  const chooser = await chooserEvent;
  await chooser.setFiles(join(SCEN, 'tke-63s-sender-eth0.pcap'));
  await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'vxlan-checksum-drop');
  await page.getByTestId('evidence-frame').first().click();
  await expect(page.getByTestId('packet-detail')).toContainText('Frame 1');
  await page.getByTestId('packet-list').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('packet-detail')).toContainText('Frame 2');
  // Timeline markers are focusable and say what they are.
  const last = page.getByTestId('syn-attempt').last();
  await expect(last).toHaveAttribute('aria-label', /Attempt 7: \+63\.137 s/);
  await last.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('packet-detail')).toContainText('Frame 7');
});

test('drag and drop, and paste, open captures too', async ({ page }) => {
  const bytes = Array.from(readFileSync(join(SCEN, 'dns-vxlan-bad-outer.pcap')));
  await page.goto('/');
  // Drop a file on the drop zone.
  const dt = await page.evaluateHandle((b) => {
    const d = new DataTransfer();
    d.items.add(new File([new Uint8Array(b)], 'dropped.pcap'));
    return d;
  }, bytes);
  await page.getByTestId('dropzone').dispatchEvent('dragover', { dataTransfer: dt });
  await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer: dt });
  await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'vxlan-checksum-drop');
  await expect(page.getByTestId('syn-attempt')).toHaveCount(3);
  // Paste a file anywhere on the page.
  await page.getByTestId('new-file').click();
  const eth0 = Array.from(readFileSync(join(SCEN, 'tke-63s-sender-eth0.pcap')));
  await page.evaluate((b) => {
    const d = new DataTransfer();
    d.items.add(new File([new Uint8Array(b)], 'pasted.pcap'));
    window.dispatchEvent(new ClipboardEvent('paste', { clipboardData: d }));
  }, eth0);
  await expect(page.getByTestId('syn-attempt')).toHaveCount(7);
});

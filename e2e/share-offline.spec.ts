/** Permalinks (share, open, anonymise, corrupt links, download) and offline use as a PWA. */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const SCEN = resolve('../shared/captures/scenarios');
const ORIGIN = 'http://127.0.0.1:4173';

async function analyseSample(page: Page) {
  await page.goto('/');
  await page.getByTestId('sample').click();
  await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'vxlan-checksum-drop');
}

async function shareLink(page: Page, anonymise = false): Promise<string> {
  await page.getByTestId('share').click();
  const box = page.getByTestId('anonymise');
  if (anonymise) await box.check();
  const link = page.getByTestId('permalink');
  await expect(link).toHaveValue(/#r=/);
  if (anonymise) await expect(page.getByTestId('share-preview')).toContainText('172.200.');
  const url = await link.inputValue();
  await page.keyboard.press('Escape');
  return url;
}

async function outerStates(page: Page) {
  const els = page.getByTestId('syn-attempt');
  await expect(els.first()).toBeVisible();
  const out: { o: number; s: string }[] = [];
  for (let i = 0; i < (await els.count()); i++) {
    out.push({
      o: Number(await els.nth(i).getAttribute('data-offset-sec')),
      s: (await els.nth(i).getAttribute('data-outer-checksum'))!,
    });
  }
  return out.sort((a, b) => a.o - b.o);
}

test('share the 63-second incident and open the link elsewhere: same diagnosis, same attempts', async ({ page, context }) => {
  await analyseSample(page);
  const url = await shareLink(page);
  expect(url.startsWith(`${ORIGIN}/#r=`)).toBe(true);
  expect(url.length).toBeLessThan(2000);
  const other = await context.newPage();
  await other.goto(url);
  await expect(other.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'vxlan-checksum-drop');
  await expect(other.getByTestId('syn-attempt')).toHaveCount(7);
  expect(await outerStates(other)).toEqual(await outerStates(page));
  await expect(other.getByTestId('shared-banner')).toHaveAttribute('data-matches', 'true');
  expect(other.url()).not.toContain('#r=');
  // Frame numbers are the sender's: evidence frame 8 is the SYN-ACK.
  await other.getByTestId('evidence-frame').last().click();
  await expect(other.getByTestId('packet-detail')).toContainText('Frame 8');
  // "Download as pcap" rebuilds a capture file from the shared packets.
  const [dl] = await Promise.all([other.waitForEvent('download'), other.getByTestId('download-pcap').click()]);
  const bytes = readFileSync((await dl.path())!);
  expect(bytes.readUInt32LE(0)).toBe(0xa1b2c3d4);
  expect(bytes.length).toBe(24 + 8 * (16 + 124));
});

test('anonymised links keep every verdict', async ({ page, context }) => {
  await analyseSample(page);
  const url = await shareLink(page, true);
  const other = await context.newPage();
  await other.goto(url);
  await expect(other.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'vxlan-checksum-drop');
  expect(await outerStates(other)).toEqual(await outerStates(page));
  await other.getByTestId('evidence-frame').first().click();
  const detail = other.getByTestId('packet-detail');
  await expect(detail.locator('[data-testid="check-verdict"][data-status="bad"]')).toHaveCount(1);
  await expect(detail).not.toContainText('10.0.0.11');
});

test('garbage, truncated and future-version links show a clear message, never a crash', async ({ page }) => {
  await analyseSample(page);
  const url = await shareLink(page);
  const value = url.split('#r=')[1]!;
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  for (const [frag, re] of [
    ['#r=%%%garbage%%%', /not valid base64url|damaged/],
    [`#r=${value.slice(0, value.length - 40)}`, /damaged|truncated|invalid/],
    ['#r=', /no shared result/],
    ['#r=C3DhZAAA', /made by a newer pcap-doctor \(format 9/],
    ['#r=C0jNSwEA', /damaged|invalid|not a pcap-doctor/],
  ] as const) {
    await page.goto(`/${frag}`);
    await expect(page.getByTestId('error')).toContainText(re);
    expect(page.url()).not.toContain('#r=');
  }
  expect(errors).toEqual([]);
});

test('after one visit the app works offline: reload, analyse a file, open a permalink', async ({ page, context }) => {
  await analyseSample(page);
  const url = await shareLink(page);
  // Wait until the service worker controls the page (precache complete).
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.reload();
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('sample')).toBeVisible();
  await page.getByTestId('file-input').setInputFiles(join(SCEN, 'dns-vxlan-bad-outer.pcap'));
  await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'vxlan-checksum-drop');
  const other = await context.newPage();
  await other.goto(url);
  await expect(other.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'vxlan-checksum-drop');
  await expect(other.getByTestId('syn-attempt')).toHaveCount(7);
  await other.reload();
  await expect(other.getByTestId('dropzone')).toBeVisible();
  await other.getByTestId('sample').click();
  await expect(other.getByTestId('syn-attempt')).toHaveCount(7);
  await context.setOffline(false);
});

test('the manifest makes it installable and handles capture files', async ({ request }) => {
  const m = await (await request.get('/manifest.webmanifest')).json();
  expect(m.display).toBe('standalone');
  expect(m.icons.some((i: { sizes: string }) => i.sizes === '512x512')).toBe(true);
  expect(JSON.stringify(m.file_handlers)).toContain('.pcapng');
});

test('a new version is offered with a prompt; a loaded capture is never lost to a silent reload', async ({ page }) => {
  const { appendFileSync, readFileSync: read, writeFileSync: write } = await import('node:fs');
  const sw = resolve('dist/sw.js');
  const original = read(sw, 'utf8');
  try {
    await analyseSample(page);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    await page.getByTestId('sample').click();
    await expect(page.getByTestId('diagnosis')).toBeVisible();
    // Publish a "new version" of the service worker and let the page find it.
    appendFileSync(sw, `\n// new build ${Date.now()}\n`);
    await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      await reg?.update();
    });
    await expect(page.getByTestId('update-prompt')).toBeVisible();
    // Nothing reloaded by itself: the analysis is still on screen.
    await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'vxlan-checksum-drop');
    await page.getByTestId('update-prompt').getByRole('button', { name: 'Reload' }).click();
    await expect(page.getByTestId('dropzone')).toBeVisible();
    await expect(page.getByTestId('update-prompt')).toHaveCount(0);
  } finally {
    write(sw, original);
  }
});

test('a healthy result shares only its claim, and the recipient is told so, not "the capture is empty"', async ({
  page,
  context,
}) => {
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(resolve('test/captures/netns/faults/healthy-client-eth0.pcap'));
  await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', '');
  const url = await shareLink(page);
  expect(url.length).toBeLessThan(200);
  const other = await context.newPage();
  await other.goto(url);
  await expect(other.getByTestId('shared-banner')).toContainText('nothing here to re-check');
  await expect(other.getByTestId('summary')).toContainText('found no problem');
  await expect(other.getByTestId('summary')).not.toContainText('empty');
});

test('the language and theme chosen survive a reload', async ({ page }) => {
  await page.goto('/');
  const theme = await page.locator('html').getAttribute('data-theme');
  await page.getByTestId('lang').click();
  await page.getByTestId('theme').click();
  await page.reload();
  await expect(page.getByTestId('lang')).toHaveText('English');
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme === 'dark' ? 'light' : 'dark');
});

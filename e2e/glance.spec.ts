/**
 * The result at a glance (issue 11): at 1440 x 900 the first screen holds the headline, the
 * confidence, the timeline with every marker visible and apart, and "confirm first"; the
 * remedies follow, collapsible. A frame reference (evidence chip, timeline marker, finding)
 * brings the packet list and the detail into view with the line it is about highlighted. The
 * packet list has Wireshark's columns, resizable, three time formats, interface and direction
 * for `-i any`. Two captures can be swapped; a third file is named, not dropped silently.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const SCEN = resolve('../shared/captures/scenarios');
const NETNS = resolve('test/captures/netns');
const FAULTS = join(NETNS, 'faults');
const ART = resolve('e2e-artifacts');
mkdirSync(ART, { recursive: true });

test.use({ colorScheme: 'light', viewport: { width: 1440, height: 900 } });

async function open(page: Page, files: string[], cause: string) {
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(files);
  await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', cause);
  await expect(page.getByTestId('packet-row').first()).toBeVisible();
}

/** The element's box lies wholly inside the first screen (page not scrolled). */
async function onFirstScreen(page: Page, sel: ReturnType<Page['locator']>, what: string) {
  const b = await sel.boundingBox();
  expect(b, `${what} is laid out`).not.toBeNull();
  const vp = page.viewportSize()!;
  expect(b!.y, `${what} starts on screen`).toBeGreaterThanOrEqual(0);
  expect(b!.y + b!.height, `${what} ends above the fold`).toBeLessThanOrEqual(vp.height);
}

test.describe('first screen at 1440 x 900', () => {
  for (const theme of ['light', 'dark'] as const)
    for (const lang of ['en', 'zh'] as const)
      test(`headline, confidence, timeline and confirm-first (${lang}, ${theme})`, async ({ page }) => {
        await page.goto('/');
        if (lang === 'zh') await page.getByTestId('lang').click();
        if (theme === 'dark') await page.getByTestId('theme').click();
        await page.getByTestId('sample').click();
        await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'vxlan-checksum-drop');
        await expect(page.getByTestId('packet-row').first()).toBeVisible();
        await page.evaluate(() => window.scrollTo(0, 0));
        const headline = page.getByTestId('headline');
        await expect(headline).toContainText(lang === 'en' ? 'connected only after 63.1 s' : '63.1 秒后才连上');
        // The code is a small tag, the sentence is the heading.
        const size = async (l: ReturnType<Page['locator']>) => l.evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
        expect(await size(page.getByTestId('cause'))).toBeLessThan((await size(headline)) * 0.75);
        await onFirstScreen(page, headline, 'headline');
        await onFirstScreen(page, page.getByTestId('confidence'), 'confidence');
        await onFirstScreen(page, page.getByTestId('timeline-chart'), 'timeline chart');
        await onFirstScreen(page, page.getByTestId('confirm'), 'confirm first');
        // Every marker on screen, apart from each other and off the axis line.
        const marks = page.getByTestId('syn-attempt');
        await expect(marks).toHaveCount(7);
        const xs: number[] = [];
        for (let i = 0; i < 7; i++) {
          await onFirstScreen(page, marks.nth(i), `marker ${i + 1}`);
          const b = (await marks.nth(i).boundingBox())!;
          xs.push(b.x + b.width / 2);
        }
        const axis = (await page.getByTestId('timeline-chart').locator('.y-axis').boundingBox())!;
        expect(xs[0]! - 8, 'the 0 s marker clears the y axis').toBeGreaterThan(axis.x + axis.width);
        for (let i = 1; i < 7; i++) expect(xs[i]! - xs[i - 1]!, `markers ${i} and ${i + 1} apart`).toBeGreaterThanOrEqual(18);
        // The remedies follow, collapsible.
        const fixes = page.getByTestId('remedies');
        await expect(fixes.locator('details').first()).toHaveAttribute('open', '');
        await fixes.locator('summary').first().click();
        await expect(fixes.locator('details').first()).not.toHaveAttribute('open', '');
        await fixes.locator('summary').first().click();
        await page.screenshot({ path: join(ART, `glance-${lang}-${theme}.png`) });
      });
});

test.describe('frame references jump', () => {
  test('an evidence chip brings the list and the detail into view, the bad checksum highlighted', async ({ page }) => {
    await open(page, [join(SCEN, 'tke-63s-sender-eth0.pcap')], 'vxlan-checksum-drop');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.getByTestId('evidence-frame').nth(2).click();
    const row = page.locator('[data-testid="packet-row"][aria-selected="true"]');
    await expect(row).toHaveCount(1);
    await expect(row.locator('.c-no')).toHaveText('3');
    await expect(row).toBeInViewport();
    const line = page.getByTestId('packet-detail').locator('li[data-focus="true"]');
    await expect(line).toHaveCount(1);
    await expect(line).toContainText('UDP checksum (outer): bad');
    await expect(line).toBeInViewport();
    // The hex view marks the two checksum bytes (0xffff).
    await expect(page.getByTestId('hex').locator('.hl')).toHaveText(['ff', 'ff']);
    await page.screenshot({ path: join(ART, 'jump-evidence.png') });
  });

  test('a timeline marker (keyboard) jumps, and its tooltip shows on focus', async ({ page }) => {
    await open(page, [join(SCEN, 'tke-63s-sender-eth0.pcap')], 'vxlan-checksum-drop');
    const mark = page.getByTestId('syn-attempt').nth(4);
    await mark.focus();
    await expect(page.getByTestId('focus-tip')).toContainText('Attempt 5');
    await page.keyboard.press('Enter');
    await expect(page.locator('[data-testid="packet-row"][aria-selected="true"] .c-no')).toHaveText('5');
    await expect(page.getByTestId('packet-detail').locator('li[data-focus="true"]')).toBeInViewport();
    await mark.blur();
    await expect(page.getByTestId('focus-tip')).toHaveCount(0);
  });

  test('a refusal highlights the TCP flags of the RST; a DNS delay the query name', async ({ page }) => {
    await open(page, [join(FAULTS, 'refused-rst-client-eth0.pcap')], 'connection-refused');
    await page.getByTestId('evidence-frame').last().click();
    const line = page.getByTestId('packet-detail').locator('li[data-focus="true"]');
    await expect(line).toContainText(/Flags: .*RST/);
    await expect(line).toBeInViewport();
    await open(page, [join(FAULTS, 'dns-delay-client-eth0.pcap')], 'dns-delayed');
    await page.getByTestId('evidence-frame').first().click();
    await expect(page.getByTestId('packet-detail').locator('li[data-focus="true"]')).toContainText('svc.cluster.local');
  });

  test('evidence chips are one tab stop with arrow keys', async ({ page }) => {
    await open(page, [join(SCEN, 'tke-63s-sender-eth0.pcap')], 'vxlan-checksum-drop');
    const chips = page.getByTestId('evidence-frame');
    await chips.first().focus();
    await page.keyboard.press('ArrowRight');
    await expect(chips.nth(1)).toBeFocused();
    await page.keyboard.press('End');
    await expect(chips.nth(7)).toBeFocused();
    await page.keyboard.press('Tab');
    // Tab leaves the row: no other chip of the row takes focus.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).not.toBe('evidence-frame');
    await page.keyboard.press('Shift+Tab');
    await expect(chips.nth(7)).toBeFocused();
  });
});

test.describe('packet list columns', () => {
  test("Wireshark's columns, resizable, three time formats", async ({ page }) => {
    await open(page, [join(SCEN, 'tke-63s-sender-eth0.pcap')], 'vxlan-checksum-drop');
    const head = page.locator('.list-head .col-name');
    await expect(head).toHaveText(['No.', 'Time', 'Source', 'Destination', 'Protocol', 'Length', 'Info', 'Checksums']);
    const rows = page.getByTestId('packet-row');
    await expect(rows.nth(0).locator('.c-info')).toContainText('[SYN]');
    await expect(rows.nth(7).locator('.c-info')).toContainText('[SYN, ACK]');
    await expect(rows.nth(8).locator('.c-info')).toContainText('[ACK]');
    await expect(rows.nth(0).locator('.c-src')).toHaveText('172.29.0.0');
    await expect(rows.nth(0).locator('.c-proto')).toHaveText('TCP');
    // Keyboard resize: three steps of 16 px.
    const src = page.locator('.list-head [data-col="src"]');
    const w0 = (await src.boundingBox())!.width;
    await page.getByTestId('resize-src').focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(async () => Math.round((await src.boundingBox())!.width - w0)).toBe(48);
    // The rows follow the header.
    const cell = (await rows.nth(0).locator('.c-src').boundingBox())!;
    expect(Math.abs(cell.x - (await src.boundingBox())!.x)).toBeLessThan(2);
    // Mouse resize of Protocol.
    const proto = page.locator('.list-head [data-col="proto"]');
    const p0 = (await proto.boundingBox())!.width;
    await page.getByTestId('resize-proto').scrollIntoViewIfNeeded();
    const grip = (await page.getByTestId('resize-proto').boundingBox())!;
    await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
    await page.mouse.down();
    await page.mouse.move(grip.x + grip.width / 2 + 40, grip.y + grip.height / 2, { steps: 4 });
    await page.mouse.up();
    await expect.poll(async () => Math.round((await proto.boundingBox())!.width - p0)).toBe(40);
    // Time formats.
    await expect(rows.nth(1).locator('.c-time')).toHaveText('1.000542');
    await page.getByTestId('time-format').selectOption('delta');
    await expect(rows.nth(2).locator('.c-time')).toHaveText('2.004963');
    await page.getByTestId('time-format').selectOption('abs');
    await expect(rows.nth(0).locator('.c-time')).toHaveText('2020-08-14 06:03:20.000000 UTC');
    // Filtered: "since the previous displayed packet" is between displayed rows.
    await page.getByTestId('time-format').selectOption('delta');
    await page.getByTestId('filter').fill('tcp.flags.syn == 1 && tcp.flags.ack == 0');
    await page.getByTestId('filter').press('Enter');
    await expect(rows).toHaveCount(7);
    await expect(rows.nth(6).locator('.c-time')).toHaveText(/^32\.06/);
    await page.screenshot({ path: join(ART, 'columns.png'), fullPage: true });
  });

  test('-i any captures show interface and direction', async ({ page }) => {
    await open(page, [join(NETNS, 'exp-csum-sender-any.pcap')], 'vxlan-checksum-drop');
    await expect(page.locator('.list-head .col-name')).toContainText(['If', 'Dir']);
    const dirs = await page.getByTestId('packet-row').locator('.c-dir').allTextContents();
    expect(dirs).toContain('out');
    expect(new Set(dirs.filter(Boolean)).size).toBeGreaterThan(0);
    const ifs = await page.getByTestId('packet-row').locator('.c-iface').allTextContents();
    expect(ifs.filter((x) => /^\d+$/.test(x)).length).toBeGreaterThan(0);
  });
});

test.describe('two captures', () => {
  test('swap the sides: the labels and the diagnosis follow, and back', async ({ page }) => {
    const files = [join(FAULTS, 'synack-lost-client-eth0.pcap'), join(FAULTS, 'synack-lost-server-eth0.pcap')];
    await open(page, files, 'synack-lost');
    const points = page.getByTestId('capture-point');
    await expect(points.nth(0)).toHaveAttribute('data-side', 'client');
    await expect(points.nth(1)).toHaveAttribute('data-side', 'server');
    const before = await page.getByTestId('summary').textContent();
    const swap = page.getByTestId('swap-sides');
    await expect(swap).toHaveAttribute('aria-pressed', 'false');
    await swap.click();
    await expect(points.nth(0)).toHaveAttribute('data-side', 'server');
    await expect(points.nth(1)).toHaveAttribute('data-side', 'client');
    await expect(swap).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('summary')).not.toHaveText(before!);
    await swap.click();
    await expect(points.nth(0)).toHaveAttribute('data-side', 'client');
    await expect(page.getByTestId('summary')).toHaveText(before!);
  });

  test('a third file is named, not silently dropped', async ({ page }) => {
    const files = [
      join(SCEN, 'tke-63s-sender-eth0.pcap'),
      join(SCEN, 'tke-63s-sender-flannel1.pcap'),
      join(FAULTS, 'healthy-client-eth0.pcap'),
    ];
    await open(page, files, 'vxlan-checksum-drop');
    await expect(page.getByTestId('ignored-files')).toContainText('healthy-client-eth0.pcap');
    await page.getByTestId('lang').click();
    await expect(page.getByTestId('ignored-files')).toContainText('未分析');
  });
});

/**
 * Accessibility, phones and the keyboard (issue 11): axe-core on the landing page, the result
 * view and the share dialog in both themes and both languages; a 390 x 844 phone with nothing
 * scrolling sideways and every control on screen; the share dialog's focus handling; Home, End,
 * PageUp and PageDown in the (virtualised) packet list. Screenshots land in e2e-artifacts/.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { setLang, setTheme } from './prefs';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateCapture } from '../bench/generate';

const SCEN = resolve('../shared/captures/scenarios');
const TWO = [join(SCEN, 'tke-63s-sender-eth0.pcap'), join(SCEN, 'tke-63s-sender-flannel1.pcap')];
const ART = resolve('e2e-artifacts');
mkdirSync(ART, { recursive: true });
const TMP = join(tmpdir(), 'pcap-doctor-e2e-a11y');
mkdirSync(TMP, { recursive: true });

// The same starting theme whatever the machine prefers.
test.use({ colorScheme: 'light' });

async function analyseSample(page: Page) {
  await page.goto('/');
  await page.getByTestId('sample').click();
  await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'vxlan-checksum-drop');
  // The packet list is mounted one stage after the diagnosis.
  await expect(page.getByTestId('packet-row').first()).toBeVisible();
}

async function analyseTwo(page: Page) {
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(TWO);
  await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'vxlan-checksum-drop');
  await expect(page.getByTestId('other-lane-marker')).toHaveCount(7);
  await expect(page.getByTestId('packet-row').first()).toBeVisible();
}

/**
 * Violations already known whose fix lies in a file outside this change (see each `fix`). They
 * are printed on every run, never silently dropped; anything else serious or critical fails.
 * Remove an entry once its fix has landed.
 */
const KNOWN: { rule: string; html: RegExp; fix: string }[] = [];

/** Run axe (every rule: none is disabled, colour contrast included) and fail on serious or critical violations. */
async function axe(page: Page, label: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  type V = (typeof violations)[number];
  const line = (v: V, nodes = v.nodes) =>
    `${v.impact} ${v.id}: ${v.help} — ${nodes
      .slice(0, 3)
      .map((n) => n.target.join(' '))
      .join(' | ')}${nodes.length > 3 ? ` (+${nodes.length - 3})` : ''}`;
  const notes: string[] = [];
  const bad: string[] = [];
  for (const v of violations) {
    if (v.impact !== 'serious' && v.impact !== 'critical') {
      notes.push(`not fatal: ${line(v)}`);
      continue;
    }
    const known = (n: V['nodes'][number]) => KNOWN.find((k) => k.rule === v.id && k.html.test(n.html));
    const rest = v.nodes.filter((n) => !known(n));
    for (const k of new Set(v.nodes.map(known).filter((k) => k !== undefined))) notes.push(`KNOWN ${v.id} (fix: ${k.fix})`);
    if (rest.length) bad.push(line(v, rest));
  }
  if (notes.length) console.log(`[axe ${label}]\n  ${notes.join('\n  ')}`);
  expect(bad, `serious/critical axe violations (${label})`).toEqual([]);
}

test.describe('axe-core: no serious or critical violations', () => {
  for (const theme of ['light', 'dark'] as const) {
    for (const lang of ['en', 'zh'] as const) {
      test(`landing, ${theme}, ${lang}`, async ({ page }) => {
        await page.goto('/');
        await setTheme(page, theme);
        await setLang(page, lang);
        await axe(page, `landing ${theme} ${lang}`);
      });

      test(`result view and share dialog, ${theme}, ${lang}`, async ({ page }) => {
        await analyseSample(page);
        await setTheme(page, theme);
        await setLang(page, lang);
        // With a packet selected, so the detail tree and hex view are checked too.
        await page.getByTestId('evidence-frame').first().click();
        await expect(page.getByTestId('packet-detail')).toBeVisible();
        await axe(page, `result ${theme} ${lang}`);
        await page.getByTestId('share').click();
        await expect(page.getByTestId('permalink')).toHaveValue(/#r=/);
        await axe(page, `share ${theme} ${lang}`);
      });
    }
  }

  test('two captures (two lanes, capture picker), dark', async ({ page }) => {
    await analyseTwo(page);
    await setTheme(page, 'dark');
    await axe(page, 'two captures dark');
  });
});

test.describe('a 390 x 844 phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  const W = 390;
  const scrollWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

  /** On screen (horizontally inside the 390 px, vertically inside the viewport) and not covered. */
  async function onScreen(el: Locator, what: string) {
    await expect(el, what).toBeVisible();
    const r = await el.evaluate((e) => {
      const b = e.getBoundingClientRect();
      const hit = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);
      return { left: b.left, right: b.right, top: b.top, bottom: b.bottom, hit: !!hit && (hit === e || e.contains(hit)) };
    });
    expect(r.left, `${what}: left edge`).toBeGreaterThanOrEqual(0);
    expect(r.right, `${what}: right edge`).toBeLessThanOrEqual(W);
    expect(r.top, `${what}: top edge`).toBeGreaterThanOrEqual(0);
    expect(r.bottom, `${what}: bottom edge`).toBeLessThanOrEqual(844);
    expect(r.hit, `${what}: not covered by anything`).toBe(true);
  }

  async function noSideways(page: Page, what: string) {
    expect(await scrollWidth(page), `${what}: document scroll width`).toBeLessThanOrEqual(W);
  }

  test('landing and result view: no sideways scrolling, controls on screen, dialog fits', async ({ page }) => {
    await page.goto('/');
    for (const lang of ['en', 'zh'] as const) {
      await setLang(page, lang);
      await noSideways(page, `landing ${lang}`);
      await onScreen(page.getByTestId('lang'), `landing ${lang}: language button`);
      await onScreen(page.getByTestId('theme'), `landing ${lang}: theme button`);
      await onScreen(page.getByTestId('sample'), `landing ${lang}: sample button`);
    }
    await setLang(page, 'en');
    await page.screenshot({ path: join(ART, 'phone-landing.png'), fullPage: true });

    await page.getByTestId('sample').click();
    await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'vxlan-checksum-drop');
    await page.getByTestId('evidence-frame').first().click();
    await expect(page.getByTestId('packet-detail')).toContainText('Frame 1');
    for (const lang of ['en', 'zh'] as const) {
      await setLang(page, lang);
      await page.evaluate(() => window.scrollTo(0, 0));
      await noSideways(page, `result ${lang}`);
      await onScreen(page.getByTestId('lang'), `result ${lang}: language button`);
      await onScreen(page.getByTestId('theme'), `result ${lang}: theme button`);
      await onScreen(page.getByTestId('share'), `result ${lang}: share button`);
      await onScreen(page.getByTestId('new-file'), `result ${lang}: open another capture`);
    }
    await setLang(page, 'en');
    await page.screenshot({ path: join(ART, 'phone-result.png'), fullPage: true });

    for (const lang of ['en', 'zh'] as const) {
      await setLang(page, lang);
      await page.getByTestId('share').click();
      await expect(page.getByTestId('permalink')).toHaveValue(/#r=/);
      await noSideways(page, `share dialog ${lang}`);
      await onScreen(page.getByTestId('copy-link'), `share dialog ${lang}: copy link`);
      await onScreen(page.getByTestId('permalink'), `share dialog ${lang}: the link`);
      // The dialog's own box fits across the screen.
      const box = (await page.getByTestId('share-dialog').boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(W);
      if (lang === 'en') await page.screenshot({ path: join(ART, 'phone-share.png') });
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('share-dialog')).toHaveCount(0);
    }
  });

  test('two captures: no sideways scrolling', async ({ page }) => {
    await analyseTwo(page);
    for (const lang of ['en', 'zh'] as const) {
      await setLang(page, lang);
      await noSideways(page, `two captures ${lang}`);
      await onScreen(page.getByTestId('lang'), `two captures ${lang}: language button`);
      await onScreen(page.getByTestId('theme'), `two captures ${lang}: theme button`);
    }
    await page.screenshot({ path: join(ART, 'phone-two.png'), fullPage: true });
  });

  test('remedies: commands wrap inside the panel, prose does not break mid-word', async ({ page }) => {
    await analyseSample(page);
    const diag = page.getByTestId('diagnosis');
    // Commands live in "confirm first" (beside the diagnosis) and in the remedies (below the timeline).
    for (const panelOf of [page.locator('.confirm-panel'), page.getByTestId('remedies')]) {
      const panel = (await panelOf.boundingBox())!;
      const codes = panelOf.locator('.remedies code');
      expect(await codes.count()).toBeGreaterThan(0);
      for (let i = 0; i < (await codes.count()); i++) {
        const b = (await codes.nth(i).boundingBox())!;
        expect(b.x + b.width, `command ${i} stays inside its panel`).toBeLessThanOrEqual(panel.x + panel.width);
      }
    }
    const codes = page.getByTestId('remedies').locator('.remedies code');
    // Code may break anywhere (where it has to); nothing sets word-break: break-all any more,
    // which split commands such as "nstat" mid-word even where a space was free.
    const styles = await codes
      .first()
      .evaluate((e) => ({ wb: getComputedStyle(e).wordBreak, ow: getComputedStyle(e).overflowWrap }));
    expect(styles).toEqual({ wb: 'normal', ow: 'anywhere' });
    const prose = await diag.getByTestId('summary').evaluate((e) => ({
      wb: getComputedStyle(e).wordBreak,
      ow: getComputedStyle(e).overflowWrap,
    }));
    expect(prose).toEqual({ wb: 'normal', ow: 'break-word' });
  });
});

test.describe('keyboard', () => {
  test('the share dialog takes focus, keeps Tab inside, and Escape gives focus back to Share', async ({ page }) => {
    await analyseSample(page);
    const share = page.getByTestId('share');
    await share.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('share-dialog');
    await expect(dialog).toBeVisible();
    await expect(page.getByTestId('copy-link')).toBeVisible();
    const inside = () => dialog.evaluate((d) => d.contains(document.activeElement));
    expect(await inside(), 'focus is inside the dialog when it opens').toBe(true);
    // Tab forwards, all the way round and more: focus never leaves, and comes back to the start.
    const start = await page.evaluate(() => document.activeElement?.outerHTML);
    const seen = new Set<string>();
    let wrapped = false;
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      expect(await inside(), `after Tab ${i + 1} focus is still inside the dialog`).toBe(true);
      const now = (await page.evaluate(() => document.activeElement?.outerHTML))!;
      seen.add(now);
      if (now === start) wrapped = true;
    }
    expect(wrapped, 'Tab cycles back to the first control').toBe(true);
    expect(seen.size, 'Tab reaches several controls').toBeGreaterThanOrEqual(4);
    // Backwards, too: Shift+Tab from the first control goes to the last (Close).
    await page.getByTestId('anonymise').focus();
    await page.keyboard.press('Shift+Tab');
    expect(await inside()).toBe(true);
    await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('anonymise')).toBeFocused();
    // Escape closes it and focus is back on the Share button.
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(share).toBeFocused();
    // The Close button does the same.
    await page.keyboard.press('Enter');
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(share).toBeFocused();
  });

  test.describe('the packet list', () => {
    const big = join(TMP, 'keys.pcap');
    let total = 0;
    test.beforeAll(async () => {
      // Enough rows that End lands far outside the rows loaded so far (virtualised list).
      total = await generateCapture(big, 3 * 1048576);
    });
    test.afterAll(() => rmSync(big, { force: true }));

    test('Home, End, PageUp and PageDown move the selection', async ({ page }) => {
      await page.goto('/');
      await page.getByTestId('file-input').setInputFiles(big);
      await expect(page.getByTestId('diagnosis')).toBeVisible({ timeout: 60_000 });
      const list = page.getByTestId('packet-list');
      const detail = page.getByTestId('packet-detail').locator('h2');
      const rows = page.getByTestId('packet-row');
      await expect(rows.first()).toContainText('1');
      expect(total).toBeGreaterThan(1000);
      const selected = list.locator('[aria-selected="true"]');
      const perPage = await list.evaluate((el) => Math.floor(el.clientHeight / 26) - 1);
      expect(perPage).toBeGreaterThan(2);

      await list.focus();
      await page.keyboard.press('Home');
      await expect(detail).toHaveText(/Frame 1$/);
      await expect(selected.locator('.c-no')).toHaveText('1');
      await page.keyboard.press('PageDown');
      await expect(detail).toHaveText(new RegExp(`Frame ${1 + perPage}$`));
      await expect(selected.locator('.c-no')).toHaveText(String(1 + perPage));
      await page.keyboard.press('PageDown');
      await expect(selected.locator('.c-no')).toHaveText(String(1 + 2 * perPage));
      await page.keyboard.press('PageUp');
      await expect(selected.locator('.c-no')).toHaveText(String(1 + perPage));
      await page.keyboard.press('ArrowDown');
      await expect(selected.locator('.c-no')).toHaveText(String(2 + perPage));
      // End: the last row, which was never loaded, is fetched, selected and scrolled into view.
      await page.keyboard.press('End');
      await expect(detail).toHaveText(new RegExp(`Frame ${total}$`));
      await expect(selected.locator('.c-no')).toHaveText(String(total));
      await expect(selected).toBeInViewport();
      expect(await list.evaluate((el) => el.scrollTop)).toBeGreaterThan(1000);
      await expect(list).toHaveAttribute('aria-activedescendant', `packet-row-${total - 1}`);
      await page.keyboard.press('PageUp');
      await expect(selected.locator('.c-no')).toHaveText(String(total - perPage));
      await page.keyboard.press('ArrowUp');
      await expect(selected.locator('.c-no')).toHaveText(String(total - perPage - 1));
      // Home goes all the way back.
      await page.keyboard.press('Home');
      await expect(detail).toHaveText(/Frame 1$/);
      await expect(selected.locator('.c-no')).toHaveText('1');
      expect(await list.evaluate((el) => el.scrollTop)).toBeLessThan(200);
      // Focus stayed on the list the whole time (the page itself did not scroll away).
      await expect(list).toBeFocused();
    });
  });
});

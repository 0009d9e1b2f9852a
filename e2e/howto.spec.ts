/**
 * The landing page's "How to capture" panel (issue 11): it opens, each CNI tab shows commands
 * with its tunnel port, the tabs and copy buttons work from the keyboard, axe-core finds nothing
 * serious in either theme or language, and a 390 x 844 phone never scrolls sideways.
 * Screenshots land in e2e-artifacts/.
 */
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { setLang, setTheme } from './prefs';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ART = resolve('e2e-artifacts');
mkdirSync(ART, { recursive: true });

// The same starting theme whatever the machine prefers.
test.use({ colorScheme: 'light' });

/** Each tab, what its physical-NIC commands must filter on, and what must not appear. */
const CNIS = [
  { id: 'flannel', port: /udp port 8472 or icmp$/, dev: '-i flannel.1 -nn -s 0 -w client-flannel1.pcap', not: /4789|6081/ },
  { id: 'calico', port: /udp port 4789 or icmp$/, dev: '-i vxlan.calico -nn -s 0 -w client-vxlan-calico.pcap', not: /8472|6081/ },
  {
    id: 'cilium',
    port: /udp port 8472 or udp port 4789 or icmp$/,
    dev: '-i cilium_vxlan -nn -s 0 -w client-cilium-vxlan.pcap',
    not: /6081/,
  },
  {
    id: 'geneve',
    port: /udp port 6081 or icmp$/,
    dev: '-i cilium_geneve -nn -s 0 -w client-cilium-geneve.pcap',
    not: /8472|4789/,
  },
  { id: 'plain', port: /host POD_IP or icmp$/, dev: null, not: /udp port/ },
] as const;

/** Open the panel (by its summary, as a user would) unless it is open already. */
async function openPanel(page: Page) {
  const howto = page.getByTestId('howto');
  await expect(howto).toBeVisible();
  if ((await howto.getAttribute('open')) === null) await howto.locator('summary').click();
  await expect(howto).toHaveAttribute('open', '');
  await expect(page.getByTestId('howto-panel')).toBeVisible();
}

/** The commands shown, as text. */
const commands = (page: Page) => page.getByTestId('howto-cmd').allTextContents();

/** Run axe (every rule) and fail on serious or critical violations; print the rest. */
async function axe(page: Page, label: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const line = (v: (typeof violations)[number]) =>
    `${v.impact} ${v.id}: ${v.help} — ${v.nodes
      .slice(0, 3)
      .map((n) => n.target.join(' '))
      .join(' | ')}${v.nodes.length > 3 ? ` (+${v.nodes.length - 3})` : ''}`;
  const notes = violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical').map(line);
  if (notes.length) console.log(`[axe ${label}]\n  not fatal: ${notes.join('\n  not fatal: ')}`);
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map(line);
  expect(bad, `serious/critical axe violations (${label})`).toEqual([]);
}

test.describe('how to capture', () => {
  test('closed at first; each CNI shows its port and devices in the commands', async ({ page }) => {
    await page.goto('/');
    await setLang(page, 'en');
    const howto = page.getByTestId('howto');
    await expect(howto).not.toHaveAttribute('open', '');
    await expect(howto.locator('summary')).toHaveText('How to capture');
    await expect(page.getByTestId('howto-panel')).toBeHidden();
    await openPanel(page);
    await expect(howto).toContainText('stays in your browser');

    for (const c of CNIS) {
      await page.getByTestId(`howto-tab-${c.id}`).click();
      await expect(page.getByTestId(`howto-tab-${c.id}`)).toHaveAttribute('aria-selected', 'true');
      await expect(page.getByTestId('howto-panel')).toHaveAttribute('data-cni', c.id);
      const all = await commands(page);
      const nics = all.filter((x) => /^tcpdump -i (eth0|any) /.test(x));
      expect(nics, `${c.id}: client NIC, server NIC, -i any`).toHaveLength(3);
      for (const x of nics.filter((x) => x.includes('-i eth0'))) expect(x, c.id).toMatch(c.port);
      expect(all.join('\n'), c.id).not.toMatch(c.not);
      if (c.dev) expect(all, c.id).toContain(`tcpdump ${c.dev} host POD_IP`);
      else
        expect(
          all.filter((x) => x.startsWith('tcpdump')).every((x) => / -i (eth0|any) /.test(x)),
          c.id,
        ).toBe(true);
      // The receiver's counters and the versions, on every tab.
      for (const k of ['nstat -az UdpInCsumErrors', 'conntrack -S', 'ip -s link', 'ethtool -S eth0', 'uname -r']) {
        expect(all, `${c.id}: ${k}`).toContain(k);
      }
    }
    await page.getByTestId('howto-tab-flannel').click();
    await page.screenshot({ path: join(ART, 'howto-light-en.png'), fullPage: true });
  });

  test('keyboard: summary, tabs with arrows/Home/End, copy with Enter', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto('/');
    await setLang(page, 'en');
    const summary = page.getByTestId('howto').locator('summary');
    await summary.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('howto')).toHaveAttribute('open', '');

    // One Tab stop for the whole tab list: the chosen tab.
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('howto-tab-flannel')).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('howto-tab-calico')).toBeFocused();
    await expect(page.getByTestId('howto-tab-calico')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('howto-panel')).toHaveAttribute('data-cni', 'calico');
    expect((await commands(page)).join('\n')).toContain('udp port 4789');
    await page.keyboard.press('End');
    await expect(page.getByTestId('howto-tab-plain')).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('howto-tab-flannel')).toBeFocused();
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByTestId('howto-panel')).toHaveAttribute('data-cni', 'plain');
    await page.keyboard.press('Home');
    await expect(page.getByTestId('howto-tab-flannel')).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('howto-panel')).toHaveAttribute('data-cni', 'cilium');

    // Tab leaves the tab list for the first copy button in the panel.
    await page.keyboard.press('Tab');
    const first = page.getByTestId('howto-copy').first();
    await expect(first).toBeFocused();
    await expect(first).toHaveAccessibleName('Copy: ip -d link show cilium_vxlan');
    // Down to the client NIC's tcpdump, and copy it with Enter.
    await page.keyboard.press('Tab');
    const copy = page.getByTestId('howto-copy').nth(1);
    await expect(copy).toBeFocused();
    const cmd = 'tcpdump -i eth0 -nn -s 0 -w client-eth0.pcap udp port 8472 or udp port 4789 or icmp';
    await expect(copy).toHaveAccessibleName(`Copy: ${cmd}`);
    await page.keyboard.press('Enter');
    await expect(copy).toHaveText('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(cmd);
    await expect(copy).toHaveText('Copy', { timeout: 5000 });

    // The summary closes it again.
    await summary.focus();
    await page.keyboard.press('Space');
    await expect(page.getByTestId('howto')).not.toHaveAttribute('open', '');
  });

  test.describe('axe-core: no serious or critical violations', () => {
    for (const theme of ['light', 'dark'] as const) {
      for (const lang of ['en', 'zh'] as const) {
        test(`panel open, ${theme}, ${lang}`, async ({ page }) => {
          await page.goto('/');
          await setTheme(page, theme);
          await setLang(page, lang);
          await openPanel(page);
          // A selected tab and the longest panel (two overlay devices).
          await page.getByTestId('howto-tab-geneve').click();
          await axe(page, `howto ${theme} ${lang} geneve`);
          await page.getByTestId('howto-tab-flannel').click();
          await page.getByTestId('howto-tab-flannel').focus();
          await axe(page, `howto ${theme} ${lang} flannel`);
          await page.screenshot({ path: join(ART, `howto-${theme}-${lang}.png`), fullPage: true });
        });
      }
    }
  });

  test.describe('a 390 x 844 phone', () => {
    test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const W = 390;

    test('no sideways scrolling; commands and copy buttons stay inside the panel', async ({ page }) => {
      await page.goto('/');
      for (const lang of ['en', 'zh'] as const) {
        await setLang(page, lang);
        await openPanel(page);
        for (const c of CNIS) {
          await page.getByTestId(`howto-tab-${c.id}`).click();
          await expect(page.getByTestId('howto-panel')).toHaveAttribute('data-cni', c.id);
          const what = `${lang} ${c.id}`;
          expect(
            await page.evaluate(() => document.documentElement.scrollWidth),
            `${what}: document scroll width`,
          ).toBeLessThanOrEqual(W);
          const panel = (await page.getByTestId('howto').boundingBox())!;
          expect(panel.x, what).toBeGreaterThanOrEqual(0);
          expect(panel.x + panel.width, what).toBeLessThanOrEqual(W);
          // Every element of the panel ends inside it (nothing overflows, even hidden by a clip).
          const over = await page.getByTestId('howto').evaluate((d) => {
            const right = d.getBoundingClientRect().right;
            return Array.from(d.querySelectorAll('*'))
              .filter((e) => e.getBoundingClientRect().right > right + 0.5)
              .map((e) => e.outerHTML.slice(0, 80));
          });
          expect(over, `${what}: elements sticking out of the panel`).toEqual([]);
          // A short word of a command never breaks inside (e.g. "-" at the end of a line, "w" on the next).
          const split = await page.getByTestId('howto-panel').evaluate((p) =>
            Array.from(p.querySelectorAll('[data-testid="howto-cmd"] > span'))
              .filter((t) => (t.textContent ?? '').length <= 24)
              .filter((t) => t.getBoundingClientRect().height > 1.5 * parseFloat(getComputedStyle(t).lineHeight))
              .map((t) => t.textContent),
          );
          expect(split, `${what}: words of a command split across lines`).toEqual([]);
          for (const tab of await page.getByRole('tab').all()) {
            const b = (await tab.boundingBox())!;
            expect(b.x + b.width, `${what}: tab inside the screen`).toBeLessThanOrEqual(W);
          }
        }
        await page.getByTestId('howto-tab-cilium').click();
        await page.screenshot({ path: join(ART, `phone-howto-${lang}.png`), fullPage: true });
      }
      // Commands may break anywhere they must, never split words where a space is free.
      const style = await page
        .getByTestId('howto-cmd')
        .first()
        .evaluate((e) => ({ wb: getComputedStyle(e).wordBreak, ow: getComputedStyle(e).overflowWrap }));
      expect(style).toEqual({ wb: 'normal', ow: 'anywhere' });
    });

    test('dark, zh: screenshot', async ({ page }) => {
      await page.goto('/');
      await setTheme(page, 'dark');
      await setLang(page, 'zh');
      await openPanel(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(W);
      await page.screenshot({ path: join(ART, 'phone-howto-dark-zh.png'), fullPage: true });
    });
  });
});

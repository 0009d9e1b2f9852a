/**
 * End-to-end: hostile captures (bench/hostile.ts, test scale) in the browser. Each ends with a
 * result or one clear error, never a blank page, a hang, or a panel that takes the app down.
 */
import { expect, test } from '@playwright/test';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOSTILE } from '../bench/hostile';

const DIR = join(tmpdir(), 'pcap-doctor-e2e-hostile');
// Every case of the generator, at test scale (the browser runs the same core as the CLI).
const CASES = HOSTILE.map((c) => c.name);
const file = (name: string) => join(DIR, name + HOSTILE.find((c) => c.name === name)!.ext);

test.beforeAll(async () => {
  mkdirSync(DIR, { recursive: true });
  for (const c of HOSTILE) if (CASES.includes(c.name)) await c.make(file(c.name), 'test');
});
test.afterAll(() => rmSync(DIR, { recursive: true, force: true }));

for (const name of CASES) {
  test(`${name}: a result or a clear error, every panel drawn`, async ({ page }) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto('/');
    await page.getByTestId('file-input').setInputFiles(file(name));
    const done = page.getByTestId('diagnosis').or(page.getByTestId('error'));
    await expect(done).toBeVisible({ timeout: 30_000 });
    // Rows appear, the first packet opens in the detail view (timestamps of any range).
    if (await page.getByTestId('diagnosis').isVisible()) {
      const rows = page.getByTestId('packet-row');
      if (
        await rows
          .first()
          .isVisible()
          .catch(() => false)
      ) {
        // Every row of the timestamp case (out-of-range ones included), a few of the others.
        const n = Math.min(await rows.count(), name === 'pcapng-timestamps' ? 12 : 3);
        for (let i = 0; i < n; i++) {
          await rows.nth(i).click();
          await expect(page.getByTestId('packet-detail')).toBeVisible();
        }
        if (name === 'pcapng-timestamps') await expect(page.getByTestId('packet-detail')).toContainText('out of range');
      }
      // Hover every timeline marker's tooltip path: the tooltip formats timestamps too.
      const m = page.getByTestId('syn-attempt').first();
      // The chart may re-render (resize) between two steps: move the mouse to where the marker
      // is rather than asking for an actionable element.
      for (let k = 0; k < 5 && (await m.count()); k++) {
        const b = await m.boundingBox().catch(() => null);
        if (b) {
          await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
          break;
        }
        await page.waitForTimeout(200);
      }
    }
    await expect(page.getByTestId('panel-error')).toHaveCount(0);
    expect(errors).toEqual([]);
    const list = await page.locator('[data-testid=file-errors] li').count();
    expect(list).toBeLessThanOrEqual(101);
  });
}

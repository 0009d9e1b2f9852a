/** Shared end-to-end helpers: put the page in a given theme and language (clicking as a user would). */
import { expect, type Page } from '@playwright/test';

export async function setTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  if ((await page.locator('html').getAttribute('data-theme')) !== theme) await page.getByTestId('theme').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

export async function setLang(page: Page, lang: 'en' | 'zh'): Promise<void> {
  const want = lang === 'zh' ? 'zh-CN' : 'en';
  if ((await page.locator('html').getAttribute('lang')) !== want) await page.getByTestId('lang').click();
  await expect(page.locator('html')).toHaveAttribute('lang', want);
}

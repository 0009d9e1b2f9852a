/**
 * End-to-end: each overlay fault tells its own story in the app (real kernel captures from
 * scripts/make-netns-faults.sh), with the capture points located whatever the file order.
 * Screenshots land in e2e-artifacts/.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const F = resolve('test/captures/netns/faults');
const NS = resolve('test/captures/netns');
const ART = resolve('e2e-artifacts');
mkdirSync(ART, { recursive: true });

async function open(page: Page, files: string[]) {
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(files);
  await expect(page.getByTestId('diagnosis')).toBeVisible();
}

test('MTU black hole, both points in either order: retransmissions with their size, lost between', async ({ page }) => {
  for (const order of [
    ['mtu-blackhole-server-eth0.pcap', 'mtu-blackhole-client-flannel1.pcap'],
    ['mtu-blackhole-client-flannel1.pcap', 'mtu-blackhole-server-eth0.pcap'],
  ]) {
    await open(
      page,
      order.map((f) => join(F, f)),
    );
    await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'mtu-blackhole');
    await expect(page.getByTestId('story')).toHaveAttribute('data-kind', 'mtu-blackhole');
    const pts = page.locator('[data-testid=story-point][data-kind=retransmission]');
    await expect(pts).toHaveCount(6);
    await expect(pts.first()).toHaveAttribute('data-label', '1398 B');
    await expect(page.getByTestId('confirm')).toContainText('ping -M do -s');
    const sides = page.getByTestId('capture-point');
    await expect(sides).toHaveCount(2);
    const got = [await sides.nth(0).getAttribute('data-side'), await sides.nth(1).getAttribute('data-side')];
    expect(got).toEqual(order.map((f) => (f.includes('client') ? 'client' : 'server')));
  }
  await page.screenshot({ path: join(ART, 'cause-mtu-blackhole.png'), fullPage: true });
});

test('SYN-ACKs lost on the way back: the server answers on lane B, the client never sees them', async ({ page }) => {
  await open(page, [join(F, 'synack-lost-client-eth0.pcap'), join(F, 'synack-lost-server-eth0.pcap')]);
  await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'synack-lost');
  await expect(page.getByTestId('syn-attempt')).toHaveCount(8);
  // The client's capture (lane A, evidence from the server's) or the server's: answers at both
  // lanes, more of them where the server is.
  const a = page.locator('[data-testid=answer-marker][data-lane="0"]');
  const b = page.locator('[data-testid=answer-marker][data-lane="1"]');
  await expect(a.first()).toBeVisible();
  const [na, nb] = [await a.count(), await b.count()];
  expect(Math.max(na, nb)).toBe(8);
  expect(Math.min(na, nb)).toBe(1);
  await page.screenshot({ path: join(ART, 'cause-synack-lost.png'), fullPage: true });
});

test('the 5-second DNS delay: the retried AAAA and the parallel A answered at once', async ({ page }) => {
  await open(page, [join(F, 'dns-delay-client-eth0.pcap')]);
  await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'dns-delayed');
  await expect(page.getByTestId('story')).toHaveAttribute('data-kind', 'dns-retried');
  await expect(page.locator('[data-testid=story-point][data-lane="0"][data-kind=attempt]')).toHaveCount(2);
  await expect(page.locator('[data-testid=story-point][data-lane="1"][data-kind=answer]')).toHaveCount(1);
  await expect(page.getByTestId('summary')).toContainText('conntrack');
  await page.screenshot({ path: join(ART, 'cause-dns-delayed.png'), fullPage: true });
});

test('a refused connection is never "no problem"; a SYN ladder that gave up shows ETIMEDOUT', async ({ page }) => {
  await open(page, [join(F, 'refused-rst-client-eth0.pcap')]);
  await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'connection-refused');
  await expect(page.locator('[data-testid=story-point][data-kind=answer]')).toHaveCount(1);
  await open(page, [join(NS, 'giveup-sender-phys.pcap')]);
  await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'syn-dropped');
  await expect(page.getByTestId('give-up')).toContainText('ETIMEDOUT');
  const at = Number(await page.getByTestId('give-up').getAttribute('data-offset-sec'));
  expect(at).toBeGreaterThan(127);
  await page.screenshot({ path: join(ART, 'cause-giveup.png'), fullPage: true });
  await page.getByTestId('lang').click();
  await expect(page.getByTestId('give-up')).toContainText('放弃');
});

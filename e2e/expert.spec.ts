/**
 * End-to-end: the views an expert expects. The connections view (every TCP connection with its
 * outcome, round trip, SYNs, retransmissions; every DNS lookup with its latency; a row filters
 * the packet list to its stream) and the IO graph (packets, bad checksums and retransmissions
 * over time; brushing a range filters the list to it).
 */
import { expect, test } from '@playwright/test';
import { join, resolve } from 'node:path';

const F = resolve('test/captures/netns/faults');
const SCEN = resolve('../shared/captures/scenarios');

test('connections: outcomes and SYN counts from real faults; a row filters the list to its stream', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(join(F, 'synack-lost-client-eth0.pcap'));
  const conn = page.getByTestId('connections');
  await expect(conn).toBeVisible();
  const row = conn.getByTestId('conn-row').first();
  await expect(row).toHaveAttribute('data-outcome', 'established');
  await expect(row).toContainText('8');
  await row.click();
  await expect(page.getByTestId('filter')).toHaveValue('tcp.stream == 0');
  await expect(page.getByTestId('packet-row').first()).toBeVisible();
  await page.getByTestId('file-input').setInputFiles(join(F, 'refused-rst-client-eth0.pcap'));
  await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'connection-refused');
  await expect(page.getByTestId('connections').getByTestId('conn-row').first()).toHaveAttribute('data-outcome', 'refused');
  // DNS: the lookup that waited 5 s for its AAAA answer.
  await page.getByTestId('file-input').setInputFiles(join(F, 'dns-delay-client-eth0.pcap'));
  await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'dns-delayed');
  await page.getByTestId('conn-tab-dns').click();
  const dns = page.getByTestId('dns-row');
  await expect(dns).toHaveCount(2);
  await expect(page.getByTestId('connections')).toContainText('AAAA');
  await page.screenshot({ path: resolve('e2e-artifacts/connections.png'), fullPage: true });
});

test('IO graph: the 63-second incident over time, and a brushed range filters the list', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(join(SCEN, 'tke-63s-sender-eth0.pcap'));
  const io = page.getByTestId('io-graph');
  await expect(io).toBeVisible();
  expect(Number(await io.getAttribute('data-buckets'))).toBeGreaterThanOrEqual(60);
  await expect(io).toContainText('bad checksums');
  // Move the brush's left handle with the keyboard (it is a slider): the list shows only that range.
  const handle = io.locator('.recharts-brush-traveller').first();
  await handle.focus();
  for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('filter')).toHaveValue(/frame\.time_relative >= \d+ && frame\.time_relative < \d+/);
  await page.screenshot({ path: resolve('e2e-artifacts/io-graph.png'), fullPage: true });
});

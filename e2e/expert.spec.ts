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
  // One bucket's counts: on hover, and with the arrow keys once the plot has focus.
  const plot = page.getByTestId('io-plot');
  await io.scrollIntoViewIfNeeded();
  const box = (await plot.boundingBox())!;
  await page.mouse.move(box.x + 3, box.y + box.height / 2);
  await expect(page.getByTestId('io-tip')).toContainText('+0 s');
  await expect(page.getByTestId('io-tip')).toContainText('packets:');
  await page.mouse.move(0, 0);
  await expect(page.getByTestId('io-tip')).toHaveCount(0);
  await plot.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('io-tip')).toContainText('+1 s');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('io-tip')).toHaveCount(0);
  // Move the brush's left handle with the keyboard (it is a slider): the list shows only that range.
  const start = page.getByTestId('brush-start');
  await expect(start).toHaveAttribute('role', 'slider');
  await start.focus();
  for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight');
  await expect(start).toHaveAttribute('aria-valuenow', '20');
  await expect(page.getByTestId('filter')).toHaveValue(/^frame\.time_relative >= 20 && frame\.time_relative < \d+$/);
  await expect(page.getByTestId('brush-range')).toContainText('20–');
  const listed = Number(await page.getByTestId('packet-row').count());
  expect(listed).toBeGreaterThan(0);
  await page.screenshot({ path: resolve('e2e-artifacts/io-graph.png'), fullPage: true });
  // Drag across the track: a new range, from where the drag began to where it ended.
  await io.scrollIntoViewIfNeeded();
  const brush = (await page.getByTestId('brush').boundingBox())!;
  const buckets = Number(await io.getAttribute('data-buckets'));
  const at = (i: number) => brush.x + ((i + 0.5) / buckets) * brush.width;
  await page.mouse.move(at(2), brush.y + brush.height / 2);
  await page.mouse.down();
  await page.mouse.move(at(6), brush.y + brush.height / 2, { steps: 4 });
  await page.mouse.up();
  await expect(page.getByTestId('filter')).toHaveValue('frame.time_relative >= 2 && frame.time_relative < 7');
  await expect(page.getByTestId('brush-start')).toHaveAttribute('aria-valuenow', '2');
  await expect(page.getByTestId('brush-end')).toHaveAttribute('aria-valuenow', '6');
  // The brush shows the list's filter: clearing it elsewhere puts the handles back at the ends.
  await page.getByTestId('filter').fill('');
  await page.getByTestId('filter').press('Enter');
  await expect(page.getByTestId('brush-start')).toHaveAttribute('aria-valuenow', '0');
  await expect(page.getByTestId('brush-end')).toHaveAttribute('aria-valuenow', String(buckets - 1));
  await expect(page.getByTestId('brush-range')).toHaveCount(0);
});

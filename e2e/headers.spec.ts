/**
 * Security headers on every response of the server `npm start` uses, no framing by other sites,
 * and an analysis worker that cannot reach the network: its network APIs are gone, and its own
 * policy (from the worker script's headers) stops what is left (dynamic import).
 */
import { expect, test, type APIResponse } from '@playwright/test';
import { readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';

const ORIGIN = 'http://127.0.0.1:4173';

/** The analysis worker's hashed file name in the build that the preview server serves. */
function workerPath(): string {
  const names = readdirSync(resolve('dist/assets')).filter((n) => /^analysis\.worker-[\w-]+\.js$/.test(n));
  expect(names, 'exactly one analysis worker in dist/assets').toHaveLength(1);
  return `/assets/${names[0]}`;
}

/** A local server on a random port that counts every TCP connection, request and upgrade. */
async function localServer(body = 'hello from elsewhere'): Promise<{
  server: Server;
  url: string;
  counts: { connections: number; requests: string[]; upgrades: number };
}> {
  const counts = { connections: 0, requests: [] as string[], upgrades: 0 };
  const server = createServer((req, res) => {
    counts.requests.push(`${req.method} ${req.url}`);
    if (req.url === '/frame-app') {
      res.setHeader('Content-Type', 'text/html');
      res.end(
        `<!doctype html><title>elsewhere</title>` +
          `<iframe id="app" src="${ORIGIN}/" width="800" height="600"></iframe>` +
          `<iframe id="control" src="/control" width="200" height="100"></iframe>`,
      );
    } else {
      res.setHeader('Content-Type', 'text/html');
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.end(`<!doctype html><p id="ok">${body}</p>`);
    }
  });
  server.on('connection', () => counts.connections++);
  server.on('upgrade', (_req, socket) => {
    counts.upgrades++;
    socket.destroy();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, counts };
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((ok) => server.close(() => ok()));
}

/** The policy of the page's meta tag, which the header must repeat (plus frame-ancestors). */
async function metaPolicy(res: APIResponse): Promise<string> {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(await res.text());
  expect(m, 'the page keeps its CSP meta tag').not.toBeNull();
  return m![1]!.replace(/&#39;|&apos;/g, "'");
}

function expectSecurityHeaders(res: APIResponse, what: string, meta: string) {
  const h = res.headers();
  const csp = h['content-security-policy'] ?? '';
  expect(csp, `${what}: CSP`).toBe(`${meta}; frame-ancestors 'none'`);
  expect(csp.split(/;\s*/), `${what}: connect-src`).toContain("connect-src 'self'");
  expect(csp.split(/;\s*/), `${what}: frame-ancestors`).toContain("frame-ancestors 'none'");
  expect(h['x-content-type-options'], `${what}: nosniff`).toBe('nosniff');
  expect(h['x-frame-options'], `${what}: X-Frame-Options`).toBe('DENY');
  expect(h['referrer-policy'], `${what}: Referrer-Policy`).toBe('no-referrer');
}

test('every response carries the policy, nosniff, no-referrer and X-Frame-Options', async ({ request }) => {
  const page = await request.get('/');
  expect(page.status()).toBe(200);
  const meta = await metaPolicy(page);
  expect(meta).toContain("connect-src 'self'");
  expect(meta).not.toContain('frame-ancestors'); // ignored in a meta tag: the header carries it
  const assets = readdirSync(resolve('dist/assets')).filter((n) => /\.(js|css)$/.test(n));
  const paths = [
    '/',
    '/index.html',
    workerPath(),
    '/sw.js',
    '/manifest.webmanifest',
    '/favicon.svg',
    '/samples/' + readdirSync(resolve('dist/samples'))[0],
    ...assets.map((n) => `/assets/${n}`),
  ];
  for (const p of paths) {
    const res = await request.get(p);
    expect(res.status(), p).toBe(200);
    expectSecurityHeaders(res, p, meta);
    // Revalidation too: a 304 must not drop them.
    const etag = res.headers()['etag'];
    if (etag) {
      const again = await request.get(p, { headers: { 'If-None-Match': etag } });
      expect(again.status(), `${p} revalidated`).toBe(304);
      expectSecurityHeaders(again, `${p} (304)`, meta);
    }
  }
  // The worker and service worker scripts are served as JavaScript (nosniff enforces the type).
  expect((await request.get(workerPath())).headers()['content-type']).toMatch(/javascript/);
  expect((await request.get('/sw.js')).headers()['content-type']).toMatch(/javascript/);
  // The SPA fallback and a missing file as well.
  for (const p of ['/some/route', '/missing.js']) expectSecurityHeaders(await request.get(p), p, meta);
});

test('another site cannot frame the app', async ({ page }) => {
  const other = await localServer('control page');
  try {
    const messages: string[] = [];
    page.on('console', (m) => messages.push(m.text()));
    const seen: string[] = [];
    page.on('response', (r) => {
      if (r.url() === `${ORIGIN}/`) seen.push(r.headers()['content-security-policy'] ?? '');
    });
    await page.goto(`${other.url}/frame-app`);
    // The control frame (same site, no policy) renders: the check below can tell a frame apart.
    const control = page.frameLocator('#control');
    await expect(control.locator('#ok')).toHaveText('control page');
    // The app's response arrives (with its policy) and the browser refuses to render it.
    await expect.poll(() => seen.length).toBeGreaterThan(0);
    expect(seen[0]).toContain("frame-ancestors 'none'");
    // Chromium: "Framing 'http://127.0.0.1:4173/' violates ... "frame-ancestors 'none'". The request has been blocked."
    await expect
      .poll(() => messages.join('\n'))
      .toMatch(/(Framing|Refused to frame|Refused to display) '?http:\/\/127\.0\.0\.1:4173\/[^]*frame-ancestors 'none'/);
    const frame = page.frames().find((f) => f !== page.mainFrame() && !f.url().endsWith('/control'))!;
    expect(frame).toBeDefined();
    expect(frame.url()).not.toBe(`${ORIGIN}/`); // an error page, not the app
    expect(await frame.locator('[data-testid="sample"]').count()).toBe(0);
    expect(await frame.locator('#root').count()).toBe(0);
  } finally {
    await close(other.server);
  }
});

test('the analysis worker has no network APIs, and its own policy stops the rest', async ({ page }) => {
  const sink = await localServer();
  try {
    const wp = workerPath();
    await page.goto('/');
    await page.getByTestId('sample').click();
    await expect(page.getByTestId('diagnosis')).toHaveAttribute('data-cause', 'vxlan-checksum-drop');
    const worker = page.workers().find((w) => w.url().includes('/assets/analysis.worker-'));
    expect(worker, 'the analysis worker runs').toBeDefined();
    expect(new URL(worker!.url()).pathname).toBe(wp);

    const types = await worker!.evaluate(() => {
      const g = globalThis as unknown as Record<string, unknown>;
      const names = ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'WebTransport', 'importScripts'];
      const more = ['WebSocketStream', 'Worker', 'SharedWorker', 'caches', 'FontFace', 'fonts'];
      return {
        globals: Object.fromEntries([...names, ...more].map((n) => [n, typeof g[n]])),
        sendBeacon: typeof (navigator as unknown as Record<string, unknown>).sendBeacon,
        // What the worker needs is still there.
        kept: [typeof postMessage, typeof MessageChannel, typeof Blob, typeof DecompressionStream],
      };
    });
    for (const [n, t] of Object.entries(types.globals)) expect(t, n).toBe('undefined');
    expect(types.sendBeacon).toBe('undefined');
    expect(types.kept).toEqual(['function', 'function', 'function', 'function']);

    // Everything code in the worker could try, aimed at a local server that counts connections.
    const attempts = await worker!.evaluate(async (base) => {
      const g = globalThis as unknown as Record<string, unknown>;
      const out: Record<string, string> = {};
      const tryIt = async (name: string, f: () => unknown) => {
        try {
          await f();
          out[name] = 'no error';
        } catch (e) {
          out[name] = (e as Error).name;
        }
      };
      const ws = base.replace('http:', 'ws:');
      await tryIt('fetch', () => fetch(`${base}/fetch`));
      await tryIt('self.fetch', () => (g.fetch as typeof fetch)(`${base}/self-fetch`));
      await tryIt('WebSocket', () => new WebSocket(`${ws}/ws`));
      await tryIt('XMLHttpRequest', () => {
        const x = new XMLHttpRequest();
        x.open('GET', `${base}/xhr`);
        x.send();
      });
      await tryIt('EventSource', () => new EventSource(`${base}/sse`));
      await tryIt('importScripts', () => (g.importScripts as (u: string) => void)(`${base}/import-scripts.js`));
      await tryIt('Worker', () => new Worker(`${base}/nested.js`));
      await tryIt('prototype', () => {
        // Not hidden on a prototype either.
        for (let o = Object.getPrototypeOf(globalThis); o; o = Object.getPrototypeOf(o))
          if (Object.prototype.hasOwnProperty.call(o, 'fetch')) return o.fetch.call(globalThis, `${base}/proto`);
        throw new ReferenceError('no fetch on the prototype chain');
      });
      // Dynamic import is syntax and cannot be removed: the worker's own CSP (script-src 'self',
      // from the worker script's headers) must stop it.
      await tryIt('import()', () => import(/* @vite-ignore */ `${base}/module.js`));
      return out;
    }, sink.url);
    expect(attempts).toEqual({
      fetch: 'ReferenceError',
      'self.fetch': 'TypeError',
      WebSocket: 'ReferenceError',
      XMLHttpRequest: 'ReferenceError',
      EventSource: 'ReferenceError',
      importScripts: 'TypeError',
      Worker: 'ReferenceError',
      prototype: 'ReferenceError',
      'import()': 'TypeError',
    });
    // Give anything that slipped through time to arrive.
    await page.waitForTimeout(1000);
    expect(sink.counts).toEqual({ connections: 0, requests: [], upgrades: 0 });

    // The locked-down worker still does its job: packet detail comes from it.
    await page.getByTestId('evidence-frame').first().click();
    await expect(page.getByTestId('packet-detail')).toContainText('Frame 1');
    expect(sink.counts.connections).toBe(0);
  } finally {
    await close(sink.server);
  }
});

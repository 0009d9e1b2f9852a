import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
const server = spawn('npx', ['vite', 'preview', '--port', '4188', '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore', detached: true });
await new Promise((r) => setTimeout(r, 2500));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
await page.addInitScript(() => {
  const log = (window.__log = []);
  const W = window.Worker;
  window.Worker = class extends W {
    constructor(...a) {
      super(...a);
      log.push([performance.now(), 'new']);
      this.addEventListener('message', (e) => log.push([performance.now(), 'msg ' + JSON.stringify(e.data).slice(0, 80)]));
    }
    postMessage(...a) { log.push([performance.now(), 'post ' + JSON.stringify(a[0]).slice(0, 80)]); return super.postMessage(...a); }
  };
});
await page.goto('http://127.0.0.1:4188/');
await page.getByTestId('sample').waitFor();
await page.waitForTimeout(2000);
const t0 = await page.evaluate(() => { window.__log.length = 0; new MutationObserver(() => { if (!window.__diag && document.querySelector('[data-testid="diagnosis"]')) window.__diag = performance.now(); }).observe(document.body, { childList: true, subtree: true }); return performance.now(); });
await page.getByTestId('file-input').setInputFiles(process.argv[2]);
await page.waitForFunction(() => window.__diag, null, { timeout: 600000, polling: 200 });
const { log, diag } = await page.evaluate(() => ({ log: window.__log, diag: window.__diag }));
let prev = t0;
for (const [t, s] of log) { if (!s.includes('"progress') || true) console.log(((t - t0) / 1000).toFixed(2), s); }
console.log('diag', ((diag - t0) / 1000).toFixed(2));
} finally { await browser.close(); process.kill(-server.pid, 'SIGTERM'); }

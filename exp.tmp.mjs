import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
const page = await browser.newPage(); page.on('console', (m) => console.log('console', m.text()));
await page.route('http://x.test/**', (r) => r.request().url().endsWith('w.js') ? r.fulfill({ body: readFileSync('/tmp/pd/exp/' + (process.env.W || 'w.js') + ''), contentType: 'text/javascript' }) : r.fulfill({ body: '<input type=file id=f>', contentType: 'text/html' }));
await page.goto('http://x.test/');
await page.setInputFiles('#f', process.argv[2]);
for (const m of process.argv.slice(3)) {
  const [mode, mib] = m.split(':');
  const r = await page.evaluate(([mode, mib]) => new Promise((res) => {
    const w = new Worker('/w.js');
    w.onmessage = (e) => { w.terminate(); res(e.data); };
    w.postMessage({ mode, file: document.getElementById('f').files[0], chunk: Number(mib || 16) << 20 });
  }), [mode, mib]);
  console.log(m, JSON.stringify(r));
}
await browser.close();

// Measures the lab's book at the largest size the upload limit allows (not a test; prints figures):
//
//   node lab-book-scale.mjs [customers] [hours]    (after the release build of web/, as for e2e.mjs)
//
// Generates a book usage CSV (default 150 customers × 8,760 hours: 1,314,000 rows, about 62 MiB, under
// the 64 MiB upload limit; 1,000 customers × 8,760 hours would be about 420 MB), a one-year deal file
// with a pay-as-you-go offer, opens the lab with spec-m and examples/book/candidate-m.toml as models,
// prices the book in the page's worker and prints the wall time from the click to the report, the
// page's slowest answer to a script call meanwhile (responsiveness) and the renderer's peak RSS
// (VmHWM of the Chromium renderer processes, read from /proc; the worker runs in the page's renderer).
import { readFile, readdir, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const dist = process.env.DIST_DIR || join(root, 'web/dist');
const customers = Number(process.argv[2] || 150);
const hours = Number(process.argv[3] || 8760);

const { server, base } = await serve(dist);
const context = await chromium.launchPersistentContext(await mkdtemp(join(tmpdir(), 'unitcalc-scale-')), {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
});
const page = context.pages()[0] || (await context.newPage());
page.setDefaultTimeout(30 * 60 * 1000);

async function rendererPeakKiB() {
  let peak = 0;
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('chromium') || !cmd.includes('--type=renderer')) continue;
      const m = /VmHWM:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]));
    } catch { /* gone */ }
  }
  return peak;
}

try {
  await page.goto(base);
  await page.waitForSelector('#share-link');
  const link = await page.inputValue('#share-link');
  await page.goto(new URL('lab/index.html' + new URL(link).hash, base).href);
  await page.locator('#lab-book').waitFor();
  await page.setInputFiles('#lab-file', { name: 'candidate-m.toml', mimeType: 'text/plain', buffer: await readFile(join(root, 'examples/book/candidate-m.toml')) });
  await page.locator('#lab-name-1').waitFor();

  const lines = ['customer,timestamp,meter,environment,use_case,quantity'];
  const start = Date.UTC(2026, 0, 1);
  const stamps = Array.from({ length: hours }, (_, h) => new Date(start + h * 3600e3).toISOString().slice(0, 13) + ':00:00Z');
  for (let c = 0; c < customers; c++) {
    const cell = c % 3 === 0 ? 'capacity,aws,hot' : 'capacity,azure,hot';
    for (let h = 0; h < hours; h++) lines.push(`c${c},${stamps[h]},${cell},${100 + (c % 50) * 10 + (h % 24)}`);
  }
  const csv = Buffer.from(lines.join('\n') + '\n');
  lines.length = 0;
  const deal = `name = "Scale"\nmatrix = "spec-m.toml"\nchannel = "direct"\n[term]\nstart = "2026-01-01"\nmonths = 12\n` +
    `[[offers]]\nname = "PAYG"\nkind = "pay-as-you-go"\n`;
  console.log(`book: ${customers} customers × ${hours} hours = ${customers * hours} rows, ${csv.length} bytes`);
  // Playwright passes buffers up to 50 MB: a larger book goes through a file.
  const dir = await mkdtemp(join(tmpdir(), 'unitcalc-book-'));
  await writeFile(join(dir, 'scale.csv'), csv);
  await page.setInputFiles('#lab-book-csv', join(dir, 'scale.csv'));
  await rm(dir, { recursive: true });
  await page.locator('#lab-book-csv + .note').waitFor();
  await page.setInputFiles('#lab-book-deals', { name: 'scale.toml', mimeType: 'text/plain', buffer: Buffer.from(deal) });
  await page.selectOption('#lab-book-default', '0');
  const t0 = Date.now();
  await page.click('#lab-book-run');
  let slowest = 0;
  let samples = 0;
  while ((await page.locator('#lab-book-report, #lab-book-error').count()) === 0) {
    const s = Date.now();
    await page.evaluate(() => document.querySelector('#lab-book-progress')?.value);
    slowest = Math.max(slowest, Date.now() - s);
    samples++;
    await new Promise((r) => setTimeout(r, 200));
  }
  const wall = (Date.now() - t0) / 1000;
  const err = await page.locator('#lab-book-error').count() ? await page.locator('#lab-book-error').innerText() : '';
  const total = await page.getAttribute('#lab-book-totals td[data-model="1"][data-metric="book-total"]', 'data-value').catch(() => '');
  console.log(`priced in ${wall.toFixed(1)} s (click to report); slowest page answer meanwhile ${slowest} ms over ${samples} samples;` +
    ` renderer peak RSS ${(await rendererPeakKiB() / 1024).toFixed(0)} MiB; ${err || `candidate book total ${total}`}`);
} finally {
  await context.close();
  server.close();
}

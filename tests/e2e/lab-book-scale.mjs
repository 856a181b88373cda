// Measures the lab's book at scale (not a test; prints figures):
//
//   node lab-book-scale.mjs [customers] [hours]    (after the release build of web/, as for e2e.mjs)
//
// Writes a book usage CSV to a temporary file (default 150 customers × 8,760 hours: 1,314,000 rows, about
// 62 MiB; 1,000 customers × 8,760 hours is 8,760,000 rows, about 420 MB, deleted afterwards), a one-year deal
// file with a pay-as-you-go offer, opens the lab with spec-m and examples/book/candidate-m.toml as models,
// picks the file (the page does not read it: the worker reads it in slices) and prices the book in the
// page's worker. Prints the seconds from the click to the report; the peak memory: the largest sum of the
// resident memory (VmRSS) of every Chromium process sampled from /proc every 200 ms while it runs, the
// renderers' VmHWM, and the worker's WebAssembly memory after the run (it never shrinks: its peak); and
// the page's responsiveness meanwhile: its slowest answer to a script call (sampled every 200 ms) and its
// longest task (PerformanceObserver 'longtask').
import { readFile, readdir, writeFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
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

/** Per Chromium process (pid, type, VmRSS and VmHWM in KiB), read from /proc. */
async function chromiumMemory() {
  const out = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('chromium')) continue;
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const kib = (k) => Number((new RegExp(`${k}:\\s+(\\d+) kB`).exec(status) || [0, 0])[1]);
      out.push({ pid, type: (/--type=([a-z-]+)/.exec(cmd) || [0, 'browser'])[1], rss: kib('VmRSS'), hwm: kib('VmHWM') });
    } catch { /* gone */ }
  }
  return out;
}
const mib = (kib) => (kib / 1024).toFixed(0);

try {
  await page.goto(base);
  await page.waitForSelector('#share-link');
  const link = await page.inputValue('#share-link');
  await page.goto(new URL('lab/index.html' + new URL(link).hash, base).href);
  await page.locator('#lab-book').waitFor();
  await page.setInputFiles('#lab-file', { name: 'candidate-m.toml', mimeType: 'text/plain', buffer: await readFile(join(root, 'examples/book/candidate-m.toml')) });
  await page.locator('#lab-name-1').waitFor();

  // The CSV is written a customer at a time (a 420 MB book does not fit a JS string).
  const dir = await mkdtemp(join(tmpdir(), 'unitcalc-book-'));
  const path = join(dir, 'scale.csv');
  const out = createWriteStream(path);
  const write = (text) => new Promise((r) => (out.write(text) ? r() : out.once('drain', r)));
  await write('customer,timestamp,meter,environment,use_case,quantity\n');
  const start = Date.UTC(2026, 0, 1);
  const stamps = Array.from({ length: hours }, (_, h) => new Date(start + h * 3600e3).toISOString().slice(0, 13) + ':00:00Z');
  for (let c = 0; c < customers; c++) {
    const cell = c % 3 === 0 ? 'capacity,aws,hot' : 'capacity,azure,hot';
    const rows = [];
    for (let h = 0; h < hours; h++) rows.push(`c${c},${stamps[h]},${cell},${100 + (c % 50) * 10 + (h % 24)}\n`);
    await write(rows.join(''));
  }
  await new Promise((r) => out.end(r));
  const bytes = (await stat(path)).size;
  const deal = `name = "Scale"\nmatrix = "spec-m.toml"\nchannel = "direct"\n[term]\nstart = "2026-01-01"\nmonths = 12\n` +
    `[[offers]]\nname = "PAYG"\nkind = "pay-as-you-go"\n`;
  console.log(`book: ${customers} customers × ${hours} hours = ${customers * hours} rows, ${bytes} bytes`);
  await page.setInputFiles('#lab-book-csv', path);
  await page.locator('#lab-book-csv + .note').waitFor();
  await page.setInputFiles('#lab-book-deals', { name: 'scale.toml', mimeType: 'text/plain', buffer: Buffer.from(deal) });
  await page.selectOption('#lab-book-default', '0');
  await page.evaluate(() => {
    window.__tasks = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__tasks.push([e.startTime, e.duration]); })
      .observe({ type: 'longtask' });
    // When the report appears (the end of the task that laid it out).
    new MutationObserver(() => { if (!window.__report && document.querySelector('#lab-book-report')) window.__report = performance.now(); })
      .observe(document.querySelector('#lab-book'), { subtree: true, childList: true });
  });
  const before = (await chromiumMemory()).reduce((a, p) => a + p.rss, 0);
  const t0 = Date.now();
  await page.click('#lab-book-run');
  let slowest = 0;
  let samples = 0;
  let peakSum = 0;
  while ((await page.locator('#lab-book-report, #lab-book-error').count()) === 0) {
    const s = Date.now();
    await page.evaluate(() => document.querySelector('#lab-book-progress')?.value);
    slowest = Math.max(slowest, Date.now() - s);
    samples++;
    peakSum = Math.max(peakSum, (await chromiumMemory()).reduce((a, p) => a + p.rss, 0));
    await new Promise((r) => setTimeout(r, 200));
  }
  const wall = (Date.now() - t0) / 1000;
  const err = await page.locator('#lab-book-error').count() ? await page.locator('#lab-book-error').innerText() : '';
  const total = await page.getAttribute('#lab-book-totals td[data-model="1"][data-metric="book-total"]', 'data-value').catch(() => '');
  await page.waitForTimeout(500); // the last long task's entry
  // The task that laid the report out, and the page's longest task before it (while the worker priced).
  const [layout, longest] = await page.evaluate(() => {
    const t = window.__report || Infinity;
    const last = window.__tasks.filter(([s, d]) => s <= t && t <= s + d + 1);
    const before = window.__tasks.filter(([s, d]) => s + d < t && !last.some(([ls]) => ls === s));
    return [Math.max(0, ...last.map(([, d]) => d)), Math.max(0, ...before.map(([, d]) => d))];
  });
  const worker = page.workers().find((w) => w.url().includes('unitcalc-worker'));
  // wasm-bindgen's initSync() returns the module's exports once it runs: its memory.
  const wasmBytes = worker ? await worker.evaluate(() => wasm_bindgen.initSync().memory.buffer.byteLength).catch(() => 0) : 0;
  const renderers = (await chromiumMemory()).filter((p) => p.type === 'renderer');
  console.log(`priced in ${wall.toFixed(1)} s (click to report); ${err || `candidate book total ${total}`}`);
  console.log(`memory: all Chromium processes' RSS peaked at ${mib(peakSum)} MiB (${mib(before)} MiB before the click);` +
    ` renderers' VmHWM ${renderers.map((p) => mib(p.hwm)).join(', ')} MiB; the worker's wasm memory ${(wasmBytes / 1048576).toFixed(0)} MiB`);
  console.log(`page meanwhile: slowest answer ${slowest} ms over ${samples} samples; longest task ${longest.toFixed(0)} ms` +
    ` (then the answer read and the report laid out in one task of ${layout.toFixed(0)} ms)`);
  await rm(dir, { recursive: true });
} finally {
  await context.close();
  server.close();
}

// CPU profile of the browser tool's recompute + re-render, by function, in headless Chromium.
// Not a test: a tool for finding where an input change spends its time.
//
//   (cd web && CARGO_PROFILE_WASM_RELEASE_STRIP=false trunk build --release --dist /tmp/dist-prof)
//   DIST_DIR=/tmp/dist-prof node tests/e2e/profile.mjs [field] [runs]
//
// Builds the e2e test's 36-month, 4-cell hourly scenario through the page's inputs, then edits
// `field` (default usage-0-baseline; e.g. offer-0-fee) `runs` times (default 20) under the
// Chrome DevTools profiler, and prints the functions with the most self time. Keep the function
// names in the build (strip = false, as above) to see Rust names instead of wasm-function[N].
import { createServer } from 'node:http';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, extname, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const dist = process.env.DIST_DIR || join(resolve(here, '../..'), 'web/dist');
const field = process.argv[2] || 'usage-0-baseline';
const runs = Number(process.argv[3] || 20);
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
const server = createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const file = join(dist, path === '/' ? 'index.html' : path);
  try {
    res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream' });
    res.end(await readFile(file));
  } catch { res.writeHead(404).end(); }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const profileDir = await mkdtemp(join(tmpdir(), 'unitcalc-prof-'));
const context = await chromium.launchPersistentContext(profileDir, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
  viewport: { width: 1280, height: 1000 },
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = context.pages()[0] || (await context.newPage());
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForSelector('#term-start');
  // The e2e test's 36-month scenario.
  await page.fill('#term-start', '2026-01-01');
  await page.fill('#term-months', '36');
  await page.selectOption('#offer-0-kind', 'fixed-capacity');
  if ((await page.locator('#offer-0-ent-0-cell').count()) === 0) await page.click('#offer-0-add-ent');
  await page.selectOption('#offer-0-ent-0-cell', 'capacity/azure/hot');
  await page.fill('#offer-0-ent-0-qty', '500');
  await page.fill('#offer-0-fee', '40000.00');
  const cells = ['capacity/azure/hot', 'capacity/aws/hot', 'capacity/on-prem/hot', 'capacity/azure/archive'];
  while ((await page.locator('[id^="usage-"][id$="-cell"]').count()) < 4) await page.click('#add-usage-cell');
  for (let k = 0; k < 4; k++) {
    await page.selectOption(`#usage-${k}-cell`, cells[k]);
    await page.fill(`#usage-${k}-baseline`, String(300 + 50 * k));
    await page.fill(`#usage-${k}-growth`, '0.01');
    await page.fill(`#usage-${k}-daily`, '0.05');
    await page.fill(`#usage-${k}-noise`, '0.02');
  }
  await page.locator('td[data-total="2028-12"]').waitFor();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  await page.evaluate(async ({ runs, field }) => {
    const el = document.getElementById(field);
    const task = () => new Promise((r) => setTimeout(r, 0));
    const original = el.value;
    for (let i = 0; i < runs; i++) {
      // A small change (like the e2e test's 300 → 301): 300 → 300.5, 40000.00 → 40000.001.
      el.value = i % 2 ? original : original.includes('.') ? `${original}1` : `${original}.5`;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      await task();
    }
  }, { runs, field });
  const { profile } = await cdp.send('Profiler.stop');
  // Self time per function: samples × their time deltas.
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] || 0;
    const f = byId.get(id).callFrame;
    const name = f.functionName || `(${f.url.split('/').pop() || 'program'})`;
    if (name === '(idle)' || (name === '(program)' && !process.env.WITH_PROGRAM)) return;
    self.set(name, (self.get(name) || 0) + dt);
    total += dt;
  });
  console.log(`${field} × ${runs}: ${(total / 1000 / runs).toFixed(1)} ms busy per edit`);
  for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
    console.log(`${(us / 1000 / runs).toFixed(2).padStart(7)} ms  ${name.slice(0, 150)}`);
  }
} finally {
  await context.close();
  server.close();
  await rm(profileDir, { recursive: true, force: true });
}

// CPU profile of the browser tool's recompute + re-render, by function, in headless Chromium.
// Not a test: a tool for finding where an input change spends its time.
//
//   (cd web && CARGO_PROFILE_WASM_RELEASE_STRIP=false trunk build --release --dist /tmp/dist-prof)
//   DIST_DIR=/tmp/dist-prof node tests/e2e/profile.mjs [field] [runs] [months]
//
// Builds the e2e test's 36-month, 4-cell hourly scenario through the page's inputs, then edits
// `field` (default usage-0-baseline; e.g. offer-0-fee) `runs` times (default 20) under the
// Chrome DevTools profiler, and prints the functions with the most self time. With `months`, the
// scenario has three offers over that many months (speed.mjs's lib.mjs threeOffers). Keep the function
// names in the build (strip = false, as above) to see Rust names instead of wasm-function[N].
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve, buildLongScenario, threeOffers } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = process.env.DIST_DIR || join(resolve(here, '../..'), 'web/dist');
const field = process.argv[2] || 'usage-0-baseline';
const runs = Number(process.argv[3] || 20);
const months = process.argv[4] && Number(process.argv[4]);
const { server, base } = await serve(dist);
const profileDir = await mkdtemp(join(tmpdir(), 'unitcalc-prof-'));
const context = await chromium.launchPersistentContext(profileDir, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
  viewport: { width: 1280, height: 1000 },
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = context.pages()[0] || (await context.newPage());
  await page.goto(base);
  await page.waitForSelector('#term-start');
  await buildLongScenario(page); // the e2e test's 36-month scenario
  if (months) await threeOffers(page, months);
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

// Edit latency of the browser tool, through the page's own inputs (part 5 of e2e.mjs, and runnable
// on its own):
//
//   node speed.mjs          (after `trunk build --release` in web/; DIST_DIR, PERF_RUNS as in e2e.mjs)
//
// On the 36-month, 4-cell hourly scenario (lib.mjs's buildLongScenario), then with three offers
// (fixed capacity, pay-as-you-go, units commitment) over 36 and over 120 months, it edits the first
// offer's monthly fee and the first usage cell's baseline PERF_RUNS times each (default 40) and
// prints, per edit kind, the 50th and 95th percentile and the maximum of the time from the input
// event to the DOM updated (the page's yew render has run, after the last offer when a large
// scenario is priced a few offers per task), and the pricing time in the core; then
// types into both fields key by key (Chromium's own key events). A PerformanceObserver for
// 'longtask' watches the page during all of it. Goals (issue 13): p95 <= 16 ms for both edit
// kinds on one offer and on three offers over 36 months, p95 <= 50 ms on three offers over 120
// months, and no browser task over 50 ms while typing. They are measurements, not tests: a
// missed goal prints as MISS (timings on a shared machine vary 2-4x from run to run);
// PERF_GOALS=strict makes each a check that fails (on a quiet machine). The other checks of
// this file always fail when they fail.
import { buildLongScenario, threeOffers } from './lib.mjs';

const RUNS = Number(process.env.PERF_RUNS || 40);

/** Percentile `p` (0–100) of `a`, nearest rank. */
const pct = (a, p) => { const s = [...a].sort((x, y) => x - y); return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)]; };

/** Starts collecting the page's long tasks (over 50 ms, the browser's own threshold). */
async function watchLongTasks(page) {
  await page.evaluate(() => {
    window.__longTasks = [];
    window.__longTaskObserver?.disconnect();
    window.__longTaskObserver = new PerformanceObserver((l) => {
      for (const e of l.getEntries()) window.__longTasks.push(e.duration);
    });
    window.__longTaskObserver.observe({ type: 'longtask' });
  });
}

/** Stops collecting and gives the long tasks' durations (ms) seen since watchLongTasks. */
async function longTasks(page) {
  return page.evaluate(async () => {
    // Entries are delivered after their task: let a frame and a task pass first.
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const o = window.__longTaskObserver;
    for (const e of o.takeRecords()) window.__longTasks.push(e.duration);
    o.disconnect();
    return window.__longTasks;
  });
}

/** Edits `field` `runs` times, alternating two values; per edit, the time from the input event to
 * the DOM updated (ms) and the core's pricing time. */
async function timeEdits(page, field, values, runs) {
  return page.evaluate(async ({ runs, field, values }) => {
    const el = document.getElementById(field);
    const main = document.getElementById('main');
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    const task = () => new Promise((r) => setTimeout(r, 0));
    const dom = [], core = [];
    for (let i = 0; i < runs; i++) {
      await frame(); await task();
      const gen = main.dataset.generation;
      const t0 = performance.now();
      el.value = values[i % 2];
      el.dispatchEvent(new Event('input', { bubbles: true }));
      await task();
      if (main.dataset.generation === gen) throw new Error(`the page did not recompute after editing #${field}`);
      // A large scenario is priced a few offers per task (data-pending): the DOM is updated
      // when the last is done; the core's time is the sum over those tasks.
      let ms = Number(main.dataset.computeMs);
      while (main.dataset.pending) {
        const g = main.dataset.generation;
        await task();
        if (main.dataset.generation !== g) ms += Number(main.dataset.computeMs);
      }
      dom.push(performance.now() - t0);
      core.push(ms);
    }
    el.value = values[0];
    el.dispatchEvent(new Event('input', { bubbles: true }));
    await task();
    return { dom, core };
  }, { runs, field, values });
}

/** Types `text` into `field` key by key (after clearing it), as a person would, with `delay` ms between keys. */
async function type(page, field, text, delay) {
  await page.fill(`#${field}`, '');
  await page.type(`#${field}`, text, { delay });
}

/** Measures one configuration; prints a line per edit kind and checks its goal. */
async function measure({ page, check: strict, what, goal, lastPeriod }) {
  const check = process.env.PERF_GOALS === 'strict'
    ? strict
    : (ok, w) => (ok ? strict(ok, w) : console.log(`MISS ${w}`));
  await watchLongTasks(page);
  const rows = [];
  for (const [kind, field, values] of [
    ['fee edit', 'offer-0-fee', ['40000.50', '40000.00']],
    ['usage edit', 'usage-0-baseline', ['301', '300']],
  ]) {
    const { dom, core } = await timeEdits(page, field, values, RUNS);
    const r = { kind, p50: pct(dom, 50), p95: pct(dom, 95), max: Math.max(...dom), core: pct(core, 50) };
    rows.push(r);
    console.log(`PERF ${what}, ${kind} (${RUNS} edits): input to DOM updated p50 ${r.p50.toFixed(1)} ms, ` +
      `p95 ${r.p95.toFixed(1)} ms, max ${r.max.toFixed(1)} ms (pricing in the core p50 ${r.core.toFixed(1)} ms; goal p95 <= ${goal} ms)`);
  }
  // Typing, key by key, in both fields (each key is an input event and a re-price).
  await type(page, 'offer-0-fee', '40,000.75', 20);
  await type(page, 'usage-0-baseline', '312.5', 20);
  await type(page, 'offer-0-fee', '40000.00', 20);
  await type(page, 'usage-0-baseline', '300', 20);
  await page.locator(`td[data-total="${lastPeriod}"]`).waitFor();
  const tasks = await longTasks(page);
  const longest = tasks.length ? Math.max(...tasks) : 0;
  console.log(`PERF ${what}: ${tasks.length} browser task(s) over 50 ms while editing and typing` +
    (tasks.length ? ` (longest ${longest.toFixed(0)} ms)` : ''));
  for (const r of rows) check(r.p95 <= goal, `${what}, ${r.kind}: p95 ${r.p95.toFixed(1)} ms <= ${goal} ms`);
  check(tasks.length === 0, `${what}: no browser task over 50 ms while editing and typing` +
    (tasks.length ? ` (${tasks.length}, longest ${longest.toFixed(0)} ms)` : ''));
}

/** Part 5 of the e2e test: builds the long scenario in the open page and measures it. */
export async function speed({ page, check }) {
  await buildLongScenario(page);
  check((await page.locator('tbody.period').count()) === 36, '36-month scenario has 36 billing periods');
  await measure({ page, check, what: 'one offer, 36 months x 4 cells', goal: 16, lastPeriod: '2028-12' });

  // Three offers: the fixed capacity above, pay-as-you-go at 10 % off, and a units commitment.
  await threeOffers(page, 36);
  check((await page.locator('fieldset.offer').count()) === 3, 'three offers on the 36-month scenario');
  await measure({ page, check, what: 'three offers, 36 months x 4 cells', goal: 16, lastPeriod: '2028-12' });

  await threeOffers(page, 120);
  check((await page.locator('tbody.period').count()) === 120, 'the 120-month scenario has 120 billing periods');
  await measure({ page, check, what: 'three offers, 120 months x 4 cells', goal: 50, lastPeriod: '2035-12' });
}

// Run on its own: serve web/dist, open the page, measure.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { serve } = await import('./lib.mjs');
  const { chromium } = await import('playwright-core');
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join, resolve, dirname } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const dist = process.env.DIST_DIR || join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'web/dist');
  const { server, base } = await serve(dist);
  const dir = await mkdtemp(join(tmpdir(), 'unitcalc-speed-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    viewport: { width: 1280, height: 1000 },
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const failures = [];
  const check = (ok, what) => { console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`); if (!ok) failures.push(what); };
  try {
    const page = context.pages()[0] || (await context.newPage());
    page.setDefaultTimeout(60000);
    await page.goto(base);
    await page.waitForSelector('#term-start');
    await speed({ page, check });
  } catch (e) {
    failures.push(String(e));
    console.log(`FAIL ${e && e.stack || e}`);
  } finally {
    await context.close();
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
  if (failures.length) { console.log(`speed: ${failures.length} failure(s)`); process.exit(1); }
  console.log('speed: all checks passed');
}

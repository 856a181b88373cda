// The lab's book in the browser (lab/index.html, priced in the page's worker):
//   - a larger generated book shows its progress (bytes read) and is cancelled (the worker stops; the next run
//     starts anew);
//   - the example book (examples/book: usage.csv, the customers' deal files, offers.csv) under spec-m and the
//     book's candidate matrix: every customer's totals and deltas, the book's totals, the largest movers and
//     the price dispersion equal `unitcalc reprice examples/book/book.toml`'s golden
//     (cli/tests/golden/reprice-book.json, read at run time), to the cent;
//   - the lab's link (#lab1.) carries the models and the renamed first model's name: a reload reopens them;
//   - a scenario saved in the lab reopens in the lab with its models; the simulator lists it and opens its deal;
//   - the customers' table sorts by a model's delta; the histogram counts every customer.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Runs the book checks on `page` (see e2e.mjs for `check`). */
export async function labBookChecks({ page, check, goodLink, root, setUsing }) {
  const golden = JSON.parse(await readFile(join(root, 'cli/tests/golden/reprice-book.json'), 'utf8'));
  const file = async (p) => ({ name: p.split('/').pop(), mimeType: 'text/plain', buffer: await readFile(join(root, p)) });
  const customers = ['acme', 'globex', 'initech', 'umbrella', 'hooli'];

  setUsing(false);
  await page.goto(new URL('lab/index.html' + new URL(goodLink).hash, goodLink).href);
  await page.locator('#lab-book').waitFor();
  await page.waitForLoadState('networkidle');
  setUsing(true);
  await page.setInputFiles('#lab-file', await file('examples/book/candidate-m.toml'));
  await page.locator('#lab-name-1').waitFor();
  // The lab's link carries its models: the page reopens with the loaded matrix as model 2.
  const name = await page.inputValue('#lab-name-1');
  await page.waitForFunction(() => location.hash.startsWith('#lab1.'));
  setUsing(false);
  await page.reload();
  await page.locator('#lab-name-1').waitFor();
  await page.waitForLoadState('networkidle');
  setUsing(true);
  const reopened = await page.inputValue('#lab-name-1');
  check(reopened === name, `lab book: the lab's link (#lab1.…) reopens with model 2 "${reopened}" (was "${name}")`);
  // The first model renamed: the link keeps the name through a reload.
  await page.fill('#lab-name-0', 'today');
  await page.waitForFunction(() => document.querySelector('#lab-name-0').value === 'today');
  await page.waitForTimeout(300);
  setUsing(false);
  await page.reload();
  await page.locator('#lab-name-1').waitFor();
  await page.waitForLoadState('networkidle');
  setUsing(true);
  const firstName = await page.inputValue('#lab-name-0');
  check(firstName === 'today', `lab book: the lab's link keeps the renamed first model "${firstName}" through a reload`);
  // Saved with its models, then reopened from the lab opened with the deal alone; the simulator lists it.
  await page.fill('#lab-save-name', 'Lab e2e');
  await page.click('#lab-save');
  await page.locator('#lab-saved .saved-name', { hasText: 'Lab e2e' }).waitFor();
  setUsing(false);
  await page.goto('about:blank'); // a new document (not a change of the fragment alone)
  await page.goto(new URL('lab/index.html' + new URL(goodLink).hash, goodLink).href);
  await page.locator('#lab-book').waitFor();
  await page.waitForLoadState('networkidle');
  setUsing(true);
  const before = await page.locator('#lab-name-1').count();
  await page.click('button[aria-label="Open Lab e2e"]');
  await page.locator('#lab-name-1').waitFor();
  const names = [await page.inputValue('#lab-name-0'), await page.inputValue('#lab-name-1')];
  check(before === 0 && names[0] === 'today' && names[1] === name,
    `lab book: a scenario saved in the lab reopens with its models (${before} before, then ${JSON.stringify(names)})`);
  setUsing(false);
  await page.goto(new URL('index.html', goodLink).href);
  await page.waitForSelector('#term-start');
  await page.waitForLoadState('networkidle');
  await page.click('button[aria-label="Load Lab e2e"]');
  await page.locator('td[data-total="2026-03"]').waitFor();
  const march = (await page.locator('td[data-total="2026-03"]').innerText()).trim();
  check(march === '40,002.10', `lab book: the simulator lists the scenario saved in the lab and opens its deal (March ${march})`);
  await page.goto(new URL('lab/index.html' + new URL(goodLink).hash, goodLink).href);
  await page.locator('#lab-book').waitFor();
  await page.click('button[aria-label="Open Lab e2e"]');
  await page.locator('#lab-name-1').waitFor();
  await page.waitForLoadState('networkidle');
  setUsing(true);

  // A larger book (600 customers × 2 months of hours, 878,400 rows, 43 MB, acme's PAYG offer for all): progress, then cancel.
  const rows = ['customer,timestamp,meter,environment,use_case,quantity'];
  const stamps = Array.from({ length: 61 * 24 }, (_, h) => new Date(Date.UTC(2026, 2, 1, h)).toISOString().slice(0, 13));
  for (let c = 0; c < 600; c++) {
    for (const t of stamps) rows.push(`c${c},${t}:00:00Z,capacity,azure,hot,${100 + (c % 7) * 10}`);
  }
  await page.setInputFiles('#lab-book-csv', { name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n') + '\n') });
  await page.setInputFiles('#lab-book-deals', await file('examples/book/deals/acme.toml'));
  await page.selectOption('#lab-book-default', '0');
  // Cancel at once (the worker cannot have read 878,400 lines by then, however fast it is).
  await page.click('#lab-book-run');
  await page.click('#lab-book-cancel', { timeout: 5000 });
  const done = Number(await page.getAttribute('#lab-book-status', 'data-done'));
  const total = Number(await page.getAttribute('#lab-book-status', 'data-total'));
  const state = await page.getAttribute('#lab-book-status', 'data-state');
  // No report comes after the cancel.
  await page.waitForTimeout(1500);
  const reports = await page.locator('#lab-book-report').count();
  const bytes = Buffer.byteLength(rows.join('\n') + '\n');
  check(done < bytes && state === 'cancelled' && reports === 0,
    `lab book: cancelled while running (${state}; ${done} of ${total || bytes} bytes read; ${reports} report after it)`);
  // Run again (a new worker): the progress shows the bytes read on the way, then the report.
  await page.evaluate(() => {
    window.__progress = [];
    new MutationObserver(() => {
      const s = document.querySelector('#lab-book-status');
      if (s && s.dataset.state === 'running') window.__progress.push(Number(s.dataset.done));
    }).observe(document.querySelector('#lab-book'), { subtree: true, attributes: true, childList: true });
  });
  await page.click('#lab-book-run');
  await page.locator('#lab-book-report').waitFor({ timeout: 120000 });
  const seen = await page.evaluate(() => window.__progress);
  const between = seen.filter((d) => d > 0 && d < bytes);
  check(between.length > 0,
    `lab book: run again after the cancel, the progress showed ${between.length} steps between 0 and ${bytes} bytes (last ${between[between.length - 1]}), then the report`);

  // The example book: its usage, its customers' deal files and offer map.
  await page.setInputFiles('#lab-book-csv', await file('examples/book/usage.csv'));
  await page.setInputFiles('#lab-book-deals', await Promise.all(customers.map((c) => file(`examples/book/deals/${c}.toml`))));
  await page.setInputFiles('#lab-book-map', await file('examples/book/offers.csv'));
  await page.selectOption('#lab-book-default', '');
  await page.click('#lab-book-run');
  await page.locator('#lab-book-report').waitFor({ timeout: 60000 });
  const v = (sel) => page.getAttribute(sel, 'data-value');
  const mismatches = [];
  const same = (what, got, want) => { if (got !== want) mismatches.push(`${what}: ${got} ≠ ${want}`); };
  for (const c of golden.customers) {
    const row = `#lab-book-customers tr[data-customer="${c.customer}"]`;
    same(`${c.customer} current`, await v(`${row} td[data-model="0"][data-metric="total"]`), c.current);
    same(`${c.customer} candidate`, await v(`${row} td[data-model="1"][data-metric="total"]`), c.candidate);
    same(`${c.customer} delta`, await v(`${row} td[data-model="1"][data-metric="delta"]`), c.delta);
  }
  same('book current', await v('#lab-book-totals td[data-model="0"][data-metric="book-total"]'), golden.total_current);
  same('book candidate', await v('#lab-book-totals td[data-model="1"][data-metric="book-total"]'), golden.total_candidate);
  same('book delta', await v('#lab-book-totals td[data-model="1"][data-metric="book-delta"]'), golden.total_delta);
  same('book net candidate', await v('#lab-book-totals td[data-model="1"][data-metric="book-net"]'), golden.net_revenue_candidate);
  for (const [m, d] of [[0, golden.dispersion_current], [1, golden.dispersion_candidate]]) {
    for (const k of ['min', 'q1', 'median', 'q3', 'max']) {
      same(`dispersion ${m} ${k}`, await v(`#lab-book-dispersion tr[data-model="${m}"] td[data-metric="${k}"]`), d[k]);
    }
  }
  const movers = async (cls) => page.$$eval(`#lab-book-movers-1 .${cls} li`, (lis) => lis.map((l) => `${l.dataset.customer} ${l.dataset.value}`));
  same('increases', (await movers('increases')).join(', '), golden.largest_increases.map((m) => `${m.customer} ${m.delta}`).join(', '));
  same('decreases', (await movers('decreases')).join(', '), golden.largest_decreases.map((m) => `${m.customer} ${m.delta}`).join(', '));
  check(mismatches.length === 0 && golden.customers.length === 5,
    `lab book: the example book's ${golden.customers.length} customers, totals, movers and dispersion equal the CLI's reprice golden${mismatches.length ? ': ' + mismatches.join('; ') : ''}`);

  const counts = await page.$$eval('#lab-book-hist-1 rect', (rs) => rs.map((r) => Number(r.dataset.count)));
  const cells = await page.locator('#lab-book-by-cell tbody tr').count();
  await page.click('#lab-book-sort-delta-1');
  const first = await page.getAttribute('#lab-book-customers tbody tr:first-child', 'data-customer');
  check(counts.reduce((a, b) => a + b, 0) === 5 && cells > 1 && first === golden.largest_increases[0].customer,
    `lab book: the histogram counts the 5 customers (${counts}), revenue by environment and use case (${cells} rows), sorted by delta the first is ${first}`);
}

// The unit-model lab in the browser (its own page, lab/index.html, opened from the simulator's header link
// with the scenario's share link), on worked example C's deal:
//   - a copy of spec-m with azure/hot raised to 1.40 beside spec-m: the copy's total and its delta
//     against spec-m equal the CLI's `unitcalc models` golden (cli/tests/golden/models-example-c.csv);
//   - azure/hot not offered in the copy: its column says so with the cell, spec-m's column stands;
//   - the matrix diff of the two (azure/hot 1.25 → 1.40, +12 %);
//   - a sweep of azure/hot's multiplier with the current value marked;
//   - a fit of an uploaded usage history, its curve, and the fitted profile made the scenario's usage.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Runs the lab's checks on `page` (see e2e.mjs for `load` and `check`). */
export async function labChecks({ page, load, check, goodLink, root, setUsing }) {
  // The CLI's figures for the same deal and models (columns per lab::CSV_COLUMNS).
  const golden = (await readFile(join(root, 'cli/tests/golden/models-example-c.csv'), 'utf8')).trim().split('\n');
  const head = golden[0].split(',');
  const rows = golden.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [head[i], v])));
  const [base, raised, missing] = rows;

  await load(goodLink);
  const href = await page.getAttribute('#open-lab', 'href');
  check(href === `lab/index.html${new URL(goodLink).hash}`, `lab: the header's lab link opens the lab's page with the scenario (${href.slice(0, 40)}…)`);
  setUsing(false); // the lab's own module loads now
  await page.click('#open-lab');
  await page.locator('#lab-grid').waitFor();
  await page.waitForLoadState('networkidle');
  setUsing(true);
  const cell = (model, metric) => page.getAttribute(`td[data-model="${model}"][data-offer="0"][data-metric="${metric}"]`, 'data-value');
  check(await cell(0, 0) === base.total, `lab: model 1 (spec-m) total ${await cell(0, 0)} equals the CLI's ${base.total}`);

  await page.click('#lab-add-copy');
  await page.locator('#lab-editor-1').waitFor();
  check(await page.inputValue('#lab-name-1') === 'spec-m v1 (edited)', 'lab: the copy is named "spec-m v1 (edited)"');
  const azureHot = 'input[aria-label="Model 2 multiplier azure / hot"]';
  await page.fill(azureHot, '1.40');
  await page.locator(`td[data-model="1"][data-metric="0"][data-value="${raised.total}"]`).waitFor({ timeout: 10000 }).catch(() => {});
  const [t1, d1, n1] = [await cell(1, 0), await cell(1, 1), await cell(1, 2)];
  check(t1 === raised.total && d1 === raised.delta_total && n1 === raised.net_revenue,
    `lab: azure/hot 1.40 copy: total ${t1}, delta ${d1}, net ${n1} (CLI: ${raised.total}, ${raised.delta_total}, ${raised.net_revenue})`);

  // What changed: the diff of model 1 → model 2.
  const diffRow = page.locator('#lab-diff tr[data-kind="cell"][data-id="azure/hot"]');
  await diffRow.waitFor();
  const diffText = (await diffRow.innerText()).replace(/\s+/g, ' ').trim();
  check(/^cell azure\/hot changed 1\.25 1\.40 0\.1200$/.test(diffText), `lab: the diff shows azure/hot 1.25 → 1.40, +0.1200 (${diffText})`);

  // A sweep of azure/hot's multiplier from 1.00 to 1.50 in 11 points: 1.25 (current) and 1.40 are among them.
  await page.selectOption('#lab-sweep-param', 'multiplier:azure/hot');
  await page.fill('#lab-sweep-from', '1.00');
  await page.fill('#lab-sweep-to', '1.50');
  await page.fill('#lab-sweep-steps', '11');
  await page.locator('#lab-sweep-current').waitFor();
  const mark = await page.getAttribute('#lab-sweep-current', 'data-value');
  const lines = await page.locator('#lab-sweep-chart polyline').count();
  const current = page.locator('#lab-sweep tr[data-current="true"]');
  const currentText = (await current.innerText()).replace(/\s+/g, ' ').trim();
  const at140 = await page.$$eval('#lab-sweep tbody tr', (trs) => trs
    .filter((tr) => Number(tr.querySelector('th').textContent.replace(/[^0-9.]/g, '')) === 1.4)
    .map((tr) => tr.querySelector('td').dataset.value));
  check(Number(mark) === 1.25 && lines === 1 && currentText.includes('(current)') && currentText.includes('480,002.10') &&
    at140[0] === raised.total,
    `lab: sweep marks the current 1.25 (${mark}; row "${currentText}"), one line per offer (${lines}), 1.40 gives ${at140[0]} (CLI ${raised.total})`);

  // Not offered in the copy: that column says so, with the cell; model 1 stands.
  await page.fill(azureHot, 'not-offered');
  await page.locator('#lab-not-offered-1').waitFor();
  const why = await page.locator('#lab-not-offered-1').innerText();
  check(why.trim() === missing.not_priced && (await page.getAttribute('#lab-not-offered-1', 'data-cell')) === missing.not_offered_cell &&
    await cell(0, 0) === base.total,
    `lab: azure/hot not offered in model 2: "${why.trim()}" (CLI: "${missing.not_priced}"), model 1 still ${await cell(0, 0)}`);
  await page.click('#lab-remove-1');
  check(await page.locator('#lab-editor-1').count() === 0, 'lab: a model is removed');

  // Usage from history: two weeks of 500 TB on azure/hot, fitted, then continued as the scenario's usage.
  const csv = ['timestamp,meter,environment,use_case,quantity'];
  for (let h = 0; h < 14 * 24; h++) {
    const t = new Date(Date.UTC(2026, 2, 2, h));
    csv.push(`${t.toISOString().slice(0, 13)}:00:00Z,capacity,azure,hot,500`);
  }
  await page.setInputFiles('#usage-csv', { name: 'history.csv', mimeType: 'text/csv', buffer: Buffer.from(csv.join('\n') + '\n') });
  const fitRow = page.locator('#lab-fit tr[data-cell="capacity/azure/hot"]');
  await fitRow.waitFor();
  const fitText = (await fitRow.innerText()).replace(/\s+/g, ' ').trim();
  const points = Number(await page.getAttribute('#lab-fit-curve', 'data-points'));
  check(/^capacity\/azure\/hot 2026-03-02 14 500 0 0 0 0 2026-04-02 500$/.test(fitText) && points > 0,
    `lab: fit of two flat weeks at 500: "${fitText}", the fitted curve drawn (${points} points)`);
  await page.click('#lab-use-fit');
  await page.locator('#notice', { hasText: 'The fitted profile is now the scenario' }).waitFor();
  setUsing(false); // back to the simulator's page
  await page.click('#lab-back');
  await page.waitForSelector('#term-start');
  await page.waitForLoadState('networkidle');
  setUsing(true);
  const start = await page.inputValue('#term-start');
  const baseline = await page.inputValue('#usage-0-baseline');
  check(start === '2026-04-02' && baseline === '500',
    `lab: the fitted profile becomes the scenario's usage, continuing after the history (start ${start}, baseline ${baseline})`);
}

// End-to-end checks of the Metering view (called from e2e.mjs): worked example C's deal file
// through Azure, with its [metering] plan, opened through the page's own file input. Every figure
// is worked out by the page's worker; the page shows what it answers.
//   - no Metering tab for a scenario without a plan;
//   - per day and dimension: 180 cents on 2026-03-13, 30 on 2026-03-14, one bar a day;
//   - against the bill: March reports 210 × 0.01 = 2.10, the bill's overage, difference 0.00;
//   - the request bodies download: JSON Lines, 2 Azure requests, 28 events, 210 cents in all;
//   - another scenario (a share link) takes the tab away again.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function meteringChecks({ page, root, check, goodLink }) {
  check((await page.locator('#tab-metering').count()) === 0, 'no Metering tab for a scenario without a metering plan');

  const deal = await readFile(join(root, 'tests/fixtures/metering/example-c-azure.toml'));
  await page.setInputFiles('#deal-file', { name: 'example-c-azure.toml', mimeType: 'text/plain', buffer: deal });
  await page.locator('#tab-metering').waitFor();
  await page.click('#tab-metering');
  await page.locator('#metering-days').waitFor();
  const heading = await page.locator('section.metering h2').innerText();
  check(heading === 'Metering through azure (28 records, USD)', `metering view heading: ${heading}`);
  const days = await page.locator('#metering-days tbody tr').allInnerTexts();
  check(days.length === 2 && /2026-03-13\s+overage_usd_cents\s+180\s+1\.80/.test(days[0])
    && /2026-03-14\s+overage_usd_cents\s+30\s+0\.30/.test(days[1]),
    `metering view: 180 cents on 13 March, 30 on the 14th (${days.join(' | ')})`);
  const bars = await page.$$eval('#metering-bars rect.bar title', (ts) => ts.map((t) => t.textContent));
  check(bars.length === 2 && bars[0] === '2026-03-13: 1.80' && bars[1] === '2026-03-14: 0.30',
    `metering view: one bar a day (${bars.join(', ')})`);
  const march = await page.locator('#metering-reconcile tr[data-row="2026-03"]').innerText();
  check(/210\s+0\.01\s+2\.10\s+2\.10\s+0\.00/.test(march), `metering view: March reconciles to the bill (${march.replace(/\s+/g, ' ')})`);
  const periods = await page.locator('#metering-reconcile tbody tr').count();
  check(periods === 12, `metering view: one reconciliation row per period (${periods})`);

  const dl = page.waitForEvent('download');
  await page.click('#metering-download');
  const file = await dl;
  const path = await file.path();
  const text = path ? (await readFile(path)).toString() : '';
  const bodies = text.trim().split('\n').map((l) => JSON.parse(l));
  const events = bodies.flatMap((b) => b.request || []);
  check(file.suggestedFilename() === 'Worked-example-C-(azure)-azure-requests.jsonl' && bodies.length === 2
    && events.length === 28 && events.reduce((s, e) => s + e.quantity, 0) === 210,
    `metering download: ${bodies.length} requests, ${events.length} events as JSON Lines (${file.suggestedFilename()})`);

  // Another scenario: the plan is gone with its deal, and so is the tab.
  const fragment = goodLink.slice(goodLink.indexOf('#'));
  await page.evaluate((f) => { location.hash = f; }, fragment);
  await page.locator('#tab-metering').waitFor({ state: 'detached' });
  check((await page.locator('#tab-bill[aria-selected="true"]').count()) === 1, 'another scenario takes the Metering tab away and shows the bill');
}

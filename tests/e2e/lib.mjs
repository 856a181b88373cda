// Shared by e2e.mjs, speed.mjs and profile.mjs: the static server for web/dist and the 36-month,
// 4-cell hourly scenario (and its three-offer form) they measure, so their figures describe the
// same page state.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, extname } from 'node:path';

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

/** Serves `dist` on 127.0.0.1 (a free port); resolves to { server, base }. */
export async function serve(dist) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = join(dist, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dist)) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch { res.writeHead(404).end('not found'); }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${server.address().port}/` };
}

/** Types the measured scenario into the open page: 36 months from 2026-01-01, a fixed-capacity
 * offer (500 TB on azure/hot, 40,000.00 a month), 4 usage cells with growth, swing and noise
 * (26,304 hours × 4 cells = 105,216 hour records); waits for the last period. */
export async function buildLongScenario(page) {
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
}

/** Turns the long scenario into the three-offer one the speed checks measure: the fixed capacity,
 * pay-as-you-go at 10 % off and a units commitment (2,000,000 units at 0.90); then sets `months`
 * (36 or more) and waits for the last period. Adds the offers only once. */
export async function threeOffers(page, months = 36) {
  if ((await page.locator('#offer-2-kind').count()) === 0) {
    await page.click('#add-offer');
    await page.selectOption('#offer-1-kind', 'pay-as-you-go');
    await page.fill('#offer-1-discount', '0.10');
    await page.click('#add-offer');
    await page.selectOption('#offer-2-kind', 'commitment');
    await page.fill('#offer-2-units', '2000000');
    await page.fill('#offer-2-price', '0.90');
  }
  await page.fill('#term-months', String(months));
  const end = new Date(Date.UTC(2026, months - 1, 1)).toISOString().slice(0, 7);
  await page.locator(`td[data-total="${end}"]`).waitFor();
}

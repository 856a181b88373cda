// Browser checks of the views a salesperson shows a customer (charts, Compare, the quote).
// Called from e2e.mjs: `await views({ page, base, load, check, outDir })`.
//   - the charts have value axes with units and time axes with dates; the monthly bars are
//     stacked (fixed / consumption / overage) with a tooltip on every bar; charts fill their card;
//   - Compare shows the running totals with the break-even month, fits 1280 px (no horizontal
//     overflow, "pay-as-you-go" on one line) and exports the comparison CSV;
//   - the customer's quote prints on exactly one page (A4 and Letter) from any tab, for one offer
//     and for three and four side by side, and carries no internal figure.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A share link of worked example C with two more offers on the same usage: 8,000 prepaid
 * units at 0.90 paid upfront, and pay-as-you-go at list price. */
export function threeOfferLink(base) {
  const common = { discount: '0', entitlements: [], monthly_fee: '0', payment: 'monthly', tolerance: '0.10',
    grace_hours: '72', overage_price: '', commit_units: '1000', commit_price: '1.00' };
  const scenario = {
    version: 1, name: 'Example C', matrix: { bundled: 'spec-m' }, term_start: '2026-03-01', term_months: '12',
    channel: 'direct',
    offers: [
      { ...common, name: 'Fixed 500 TB', kind: 'fixed-capacity', entitlements: [{ cell: 'capacity/azure/hot', quantity: '500' }],
        monthly_fee: '40000.00' },
      { ...common, name: 'Prepaid 8,000 units', kind: 'commitment', payment: 'upfront', commit_units: '8000', commit_price: '0.90' },
      { ...common, name: 'List PAYG', kind: 'pay-as-you-go' },
    ],
    usage: { seed: '1', cells: [{ cell: 'capacity/azure/hot', baseline: '500', monthly_growth: '0', daily_amplitude: '0',
      weekend_dip: '0', noise: '0', bursts: [{ start: '2026-03-10T00:00:00Z', hours: '100', level: '540' }] }] },
  };
  return `${base}#v1.${Buffer.from(JSON.stringify(scenario)).toString('base64url')}`;
}

/** Pages in a PDF: its `/Type /Page` objects (not `/Pages`). */
function pdfPages(buf) {
  return (buf.toString('latin1').match(/\/Type\s*\/Page(?![a-z])/g) || []).length;
}

export async function views({ page, base, load, check, outDir }) {
  await page.setViewportSize({ width: 1280, height: 1000 });
  await load(threeOfferLink(base));
  await page.click('#tab-bill');
  await page.locator('td[data-total="2026-03"]', { hasText: '40,002.10' }).waitFor();

  // Hourly chart: a value axis in TB, a time axis with the months, an accessible name saying what it shows.
  const hourly = page.locator('svg.chart').first();
  const hourlyName = await hourly.getAttribute('aria-label');
  check(/^Hourly usage of capacity\/azure\/hot in TB from 2026-03-01 to 2027-02-28/.test(hourlyName),
    `hourly chart is named for what it shows ("${hourlyName}")`);
  const hx = await hourly.locator('.x-axis text').allTextContents();
  const hy = await hourly.locator('text.axis').allTextContents();
  check(hx[0] === '2026-03' && hx.includes('2026-09') && hy.includes('TB') && hy.includes('500') && hy.includes('540'),
    `hourly chart: time axis with months (${hx.join(' ')}), value axis in TB (${hy.filter((t) => !hx.includes(t)).join(' ')})`);
  // Zoomed to one period, the time axis gives dates.
  await page.selectOption('#chart-zoom', '0');
  await page.locator('svg.chart .x-axis text', { hasText: '2026-03-08' }).first().waitFor();
  const zx = await page.locator('svg.chart').first().locator('.x-axis text').allTextContents();
  check(zx[0] === '2026-03-01' && zx.includes('2026-03-15'), `hourly chart of March: dates on the time axis (${zx.join(' ')})`);
  await page.selectOption('#chart-zoom', '');

  // Monthly bars: stacked by what they pay for, a tooltip on every bar, axes in USD with the months.
  const bars = page.locator('svg.bars');
  const titles = await bars.locator('g.bar > title').allTextContents();
  check(titles.length === 12 && titles[0] === '2026-03: USD 40,002.10 (fixed 40,000.00, overage 2.10, consumption 0)' &&
    titles[1] === '2026-04: USD 40,000.00 (fixed 40,000.00, overage 0, consumption 0)',
  `monthly bars: 12 bars, each with a tooltip of its parts (${titles[0]})`);
  check((await bars.locator('g.bar').first().locator('rect.overage').count()) === 1 &&
    (await bars.locator('g.bar').nth(1).locator('rect.overage').count()) === 0 &&
    (await bars.locator('rect.fixed').count()) === 12, 'monthly bars: fixed parts every month, an overage part in March only');
  const by = await bars.locator('text.axis').allTextContents();
  check(by.includes('USD') && by.includes('0') && by.includes('40,000') && by.includes('2026-03'),
    `monthly bars: value axis in USD from 0, months on the time axis (${by.join(' ')})`);
  const barsName = await bars.getAttribute('aria-label');
  check(/^Monthly invoice totals \(USD\), by what they pay for: 12 bars from 2026-03 to 2027-02/.test(barsName),
    `monthly bars are named for what they show ("${barsName}")`);

  // Charts fill their card at 1920 px too.
  await page.setViewportSize({ width: 1920, height: 1080 });
  const fill = await page.$$eval('svg.chart', (svgs) => svgs.map((s) => s.getBoundingClientRect().width / s.parentElement.clientWidth));
  check(fill.length === 2 && fill.every((f) => f > 0.97), `at 1920 px the charts fill their card (${fill.map((f) => f.toFixed(3)).join(', ')})`);
  await page.setViewportSize({ width: 1280, height: 1000 });

  // Compare: running totals with the break-even month; the card fits 1280 px.
  await page.click('#tab-compare');
  const evens = page.locator('#break-evens li');
  await evens.first().waitFor();
  const evenText = await evens.allTextContents();
  check(evenText.length === 1 && evenText[0] ===
    'Prepaid 8,000 units and List PAYG break even in 2027-01: from then on Prepaid 8,000 units has cost no more in total than List PAYG.',
  `Compare: the break-even month is said (${evenText.join(' | ')})`);
  const cum = page.locator('figure.cumulative svg');
  check((await cum.locator('g.break-even text').allTextContents()).join() === 'break-even 2027-01' &&
    (await cum.locator('g.series path').count()) === 3 && (await cum.locator('text.unit').textContent()) === 'USD',
  'Compare: the running-total chart has a line per offer, a USD axis and the break-even marked at 2027-01');
  const fit = await page.evaluate(() => {
    const card = document.querySelector('section.compare');
    const boxes = [card, main(), ...card.querySelectorAll('.table-fit')];
    function main() { return document.querySelector('main'); }
    const kind = [...card.querySelectorAll('td.kind')].find((td) => td.textContent === 'pay-as-you-go');
    const range = document.createRange();
    range.selectNodeContents(kind);
    return { over: boxes.map((b) => b.scrollWidth - b.clientWidth), lines: range.getClientRects().length };
  });
  check(fit.over.every((o) => o <= 0), `Compare at 1280 px: no horizontal overflow (scrollWidth − clientWidth: ${fit.over.join(', ')})`);
  check(fit.lines === 1, `Compare at 1280 px: "pay-as-you-go" on one line (${fit.lines})`);
  await page.screenshot({ path: join(outDir, 'compare-1280.png'), fullPage: true });

  // The comparison as CSV: the command line's layout, one row per offer and month.
  const dl = page.waitForEvent('download');
  await page.click('#export-compare');
  const download = await dl;
  const csv = (await readFile(await download.path())).toString();
  const rows = csv.trimEnd().split('\n');
  // Each row ends with its bill's fingerprint and its inputs' (`unitcalc compare -f csv --evidence`).
  const digests = /(,[0-9a-f]{64}){5}$/;
  check(download.suggestedFilename() === 'Example-C-comparison.csv' &&
    rows[0] === 'customer,offer,offer_kind,period,total,delta_vs_first,marketplace_fee,net_revenue,currency,bill_sha256,matrix_sha256,deal_sha256,usage_sha256,engine_sha256' &&
    rows.length === 1 + 3 * 12 && rows.slice(1).every((r) => digests.test(r)) &&
    rows[1].startsWith('Example C,Fixed 500 TB,fixed-capacity,2026-03,40002.10,0.00,0.00,40002.10,USD,') &&
    rows.some((r) => r.startsWith('Example C,"Prepaid 8,000 units",commitment,2026-03,7200.00,-32802.10,0.00,7200.00,USD,')),
  `comparison CSV downloaded with the fingerprints (${download.suggestedFilename()}, ${rows.length} rows: ${rows[1].slice(0, 90)}…)`);

  // The quote: printed from any tab (here Compare), one page on A4 and on Letter.
  for (const format of ['A4', 'Letter']) {
    const pdf = await page.pdf({ format });
    await writeFile(join(outDir, `quote-3-offers-${format}.pdf`), pdf);
    check(pdfPages(pdf) === 1, `the quote of 3 offers side by side, printed from Compare on ${format}: ${pdfPages(pdf)} page(s) (want 1)`);
  }
  await page.emulateMedia({ media: 'print' });
  const printed = await page.locator('body').innerText();
  await page.emulateMedia({ media: null }); // back to the default: page.pdf prints with print media
  const link = await page.inputValue('#share-link');
  check(printed.includes('Quote for Example C') && printed.includes('12 months, 2026-03-01 to 2027-02-28') &&
    printed.includes('500 TB of capacity (azure, hot)') && printed.includes('USD 40,000.00 a month') &&
    printed.includes('Up to 10% above the entitlement is free for up to 72 consecutive hours; beyond that, all usage above the entitlement is charged at the list price, USD 1.00 per unit.') &&
    printed.includes('USD 480,002.10') && printed.includes('In full with the first invoice: USD 7,200.00.') && printed.includes('Valid until') &&
    printed.includes(link), 'the printed quote has the customer, term, entitlement, fee, payment, overage rule in words, expected total, validity and link');
  const internal = ['Net revenue', 'Marketplace fee', 'Mkt fee', 'Qty-hours', 'quantity-hours', 'Δ'].filter((w) => printed.includes(w));
  check(internal.length === 0, `the printed quote has no internal figures (${internal.join(', ') || 'none'})`);
  const valid = await page.inputValue('#quote-valid');
  const want = new Date(Date.now() + 30 * 86400000).toISOString().slice(0, 10);
  check(valid === want, `the quote is valid for 30 days by default (${valid}, want ${want})`);

  // On screen, the Quote tab; one offer chosen: still one page.
  await page.click('#tab-quote');
  await page.fill('#quote-valid', '2026-12-31');
  await page.uncheck('#quote-offer-1');
  await page.uncheck('#quote-offer-2');
  await page.screenshot({ path: join(outDir, 'quote-1280.png'), fullPage: true });
  for (const format of ['A4', 'Letter']) {
    const pdf = await page.pdf({ format });
    await writeFile(join(outDir, `quote-1-offer-${format}.pdf`), pdf);
    check(pdfPages(pdf) === 1, `the quote of 1 offer, printed from the Quote tab on ${format}: ${pdfPages(pdf)} page(s) (want 1)`);
  }
  await page.emulateMedia({ media: 'print' });
  const one = await page.locator('body').innerText();
  const validPrinted = (await page.locator('#quote-valid').isVisible()) && (await page.inputValue('#quote-valid')) === '2026-12-31';
  await page.emulateMedia({ media: null }); // back to the default: page.pdf prints with print media
  check(one.includes('Fixed 500 TB') && !one.includes('List PAYG') && !one.includes('Prepaid 8,000 units') && validPrinted,
    'unticked offers leave the printed quote; the typed validity date is printed');

  // Four offers (the most a scenario has): Compare still fits 1280 px, the quote still one page.
  await page.click('#tab-bill');
  const json = JSON.parse(Buffer.from(threeOfferLink(base).split('#v1.')[1], 'base64url').toString());
  json.offers.push({ ...json.offers[0], name: 'Fixed 520 TB with a longer name', entitlements: [{ cell: 'capacity/azure/hot', quantity: '520' }] });
  await load(`${base}#v1.${Buffer.from(JSON.stringify(json)).toString('base64url')}`);
  await page.click('#tab-compare');
  await page.locator('#break-evens li').first().waitFor();
  const over4 = await page.evaluate(() => [...document.querySelectorAll('section.compare, .table-fit')].map((b) => b.scrollWidth - b.clientWidth));
  check(over4.every((o) => o <= 0), `Compare of 4 offers at 1280 px: no horizontal overflow (${over4.join(', ')})`);
  await page.click('#tab-bill');
  await page.locator('td[data-total="2026-03"]').waitFor();
  for (const format of ['A4', 'Letter']) {
    const pdf = await page.pdf({ format });
    await writeFile(join(outDir, `quote-4-offers-${format}.pdf`), pdf);
    check(pdfPages(pdf) === 1, `the quote of 4 offers side by side, printed from the Bill tab on ${format}: ${pdfPages(pdf)} page(s) (want 1)`);
  }
  // Leave the page as found: the default scenario (the timing that follows builds on it).
  await load(base);
}

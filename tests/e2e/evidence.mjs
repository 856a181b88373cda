// Audit evidence in the browser: the page's worker (a second module, loaded on first use) works
// out the trail under each invoice line, which opens with the keyboard, the bill's fingerprints
// show, and the hourly ledger downloads. Called from e2e.mjs on a page showing worked example C's
// deal.
import { readFile } from 'node:fs/promises';

export async function checkEvidence(page, check) {
  await page.click('#tab-bill');
  await page.check('#explain');
  const fp = page.locator('#bill-fingerprint');
  await fp.waitFor();
  const short = (await fp.innerText()).trim();
  const full = await fp.getAttribute('title');
  check(/^[0-9a-f]{12}$/.test(short) && full.startsWith(short) && full.length === 64,
    `the bill shows its short fingerprint ${short} (the full SHA-256 in its title)`);
  const march = page.locator('tbody.period[data-period="2026-03"] details.trail');
  check((await march.count()) >= 2, 'each March line has a trail');
  const overage = page.locator('tbody.period[data-period="2026-03"] details.trail').last();
  await overage.locator('summary').focus();
  await page.keyboard.press('Enter');
  const text = await overage.innerText();
  check(await overage.evaluate((d) => d.open) && /quantity-hours|units/.test(text) && text.includes('2.10'),
    `the overage line's trail opens with the keyboard and reaches 2.10: "${text.replace(/\s+/g, ' ').slice(0, 140)}"`);
  const dl = page.waitForEvent('download');
  await page.click('#export-ledger');
  const d = await dl;
  const ledger = (await readFile(await d.path())).toString();
  const rows = ledger.trim().split('\n');
  check(rows[0].startsWith('offer,hour,period,') && rows.length > 700 && d.suggestedFilename().endsWith(`-ledger-${short}.csv`),
    `the hourly ledger downloads (${rows.length - 1} rows) named with the bill's fingerprint`);
  const dj = page.waitForEvent('download');
  await page.click('#export-json');
  const json = JSON.parse((await readFile(await (await dj).path())).toString());
  check(json.evidence && json.evidence.bill === full && json.periods.length === 12 && json.trail.length > 12,
    'the bill JSON export carries the trail and the same fingerprints');
  await page.uncheck('#explain');

  // The deal TOML export starts with every digest as comments (`unitcalc fingerprint`).
  const dd = page.waitForEvent('download');
  await page.click('#export-deal');
  const deal = (await readFile(await (await dd).path())).toString();
  check(deal.startsWith('# SHA-256 fingerprints') && deal.includes(`#   ${json.evidence.deal}  deal.toml`) &&
    deal.includes(`#   ${full}  bill-1.json  (Fixed 500 TB)`),
    'the deal TOML export begins with the fingerprints as comments');
  // The quote carries the fingerprints: its tab asks the worker for them; each offer's short
  // bill fingerprint and the inputs' digests are on screen and in print.
  await page.click('#tab-quote');
  const q0 = page.locator('#quote-bill-0');
  await q0.waitFor();
  const digests = (await page.locator('#quote-digests').innerText()).match(/[0-9a-f]{64}/g) || [];
  check((await q0.innerText()).trim() === short && (await q0.getAttribute('title')) === full && digests.length === 4 &&
    digests[0] === json.evidence.matrix && digests[1] === json.evidence.deal && digests[2] === json.evidence.usage &&
    digests[3] === json.evidence.engine,
    `the quote shows the bill's fingerprint ${short} and the four input digests, as the bill JSON has them`);
  await page.emulateMedia({ media: 'print' });
  const printed = await page.locator('body').innerText();
  await page.emulateMedia({ media: null });
  check(printed.includes('Inputs (SHA-256)') && printed.includes(json.evidence.usage) && printed.includes(short),
    'the printed quote has the fingerprints');
  await page.click('#tab-bill');
}

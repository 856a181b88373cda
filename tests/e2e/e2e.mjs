// End-to-end test of the browser bill simulator in headless Debian Chromium.
//
//   node e2e.mjs            (after `trunk build --release` in web/; scripts/test-browser.sh does both)
//
// Serves web/dist on 127.0.0.1 with a tiny static server, drives /usr/bin/chromium through
// playwright-core, and checks, through the page's own inputs:
//   1. worked example C of the pricing model → the March total 40,002.10 is on screen;
//   2. a saved scenario survives a reload;
//   3. a broken or tampered share link shows a clear message (never a blank page);
//   4. no network request at all while the page is used (only the page's own files on load, and
//      its worker module the first time a bill's trail is opened);
//   5. speed.mjs: edit latency (p50, p95, max per edit kind) on the 36-month, 4-cell hourly scenario
//      with one and three offers, and over 120 months, and long tasks while typing, against the goals;
//   6. safety.mjs (undo, confirmations, edited matrix, a partial usage file, the README tour) and
//      a11y.mjs (tabs by keyboard, axe-core on every view, screenshots in target/e2e-artifacts/);
//   7. evidence.mjs (the trail per line, fingerprints and ledger, from the page's worker);
//   8. lab-book.mjs (a book under every model in the lab, in the worker: progress, cancel, the CLI's reprice figures).
//   9. metering.mjs (the Metering view of a marketplace deal file, from the page's worker).
// Writes target/e2e/bill.png. Exits non-zero on any failure.
import { readFile, writeFile, truncate, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from './lib.mjs';
import { speed } from './speed.mjs';
import { labChecks } from './lab.mjs';
import { labBookChecks } from './lab-book.mjs';
import { checkEvidence } from './evidence.mjs';
import { safety } from './safety.mjs';
import { a11y } from './a11y.mjs';
import { views } from './views.mjs';
import { meteringChecks } from './metering.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const dist = process.env.DIST_DIR || join(root, 'web/dist');
const outDir = join(root, 'target/e2e');
const chromePath = process.env.CHROMIUM || '/usr/bin/chromium';

const { server, base } = await serve(dist);

const failures = [];
const check = (ok, what) => { console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`); if (!ok) failures.push(what); };

const profile = await mkdtemp(join(tmpdir(), 'unitcalc-e2e-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: chromePath,
  headless: true,
  viewport: { width: 1280, height: 1000 },
  permissions: ['clipboard-read', 'clipboard-write'],
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0] || (await context.newPage());
page.setDefaultTimeout(30000);

// Network log: while `using` is set (after a load finished), any request is a failure, except
// the GETs of the page's own worker module (web/src/worker.rs), fetched from the same server the
// first time a user opens a bill's trail; they carry no data.
let using = false;
const leaks = [];
const foreign = [];
const ownWorker = (r) => r.method() === 'GET' && r.url().startsWith(base) &&
  /\/unitcalc-worker(_loader\.js|\.js|_bg\.wasm)$/.test(r.url());
page.on('request', (r) => {
  if (using && !ownWorker(r)) leaks.push(`${r.method()} ${r.url()}`);
  if (!r.url().startsWith(base) && !r.url().startsWith('data:')) foreign.push(r.url());
});
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(String(e)));
page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });

async function load(url) {
  using = false;
  await page.goto(url);
  await page.waitForSelector('#term-start');
  await page.waitForLoadState('networkidle');
  using = true;
}
async function mainText() { return page.locator('main').innerText(); }

try {
  // 1. Worked example C through the page's own inputs.
  await load(base);
  await page.fill('#deal-name', 'Example C');
  await page.selectOption('#matrix', 'spec-m');
  await page.fill('#term-start', '2026-03-01');
  await page.fill('#term-months', '12');
  await page.selectOption('#channel', 'direct');
  await page.selectOption('#offer-0-kind', 'fixed-capacity');
  await page.fill('#offer-0-name', 'Fixed 500 TB');
  await page.click('#offer-0-add-ent');
  await page.selectOption('#offer-0-ent-0-cell', 'capacity/azure/hot');
  await page.fill('#offer-0-ent-0-qty', '500');
  await page.fill('#offer-0-fee', '40000.00');
  await page.selectOption('#offer-0-payment', 'monthly');
  await page.fill('#offer-0-tolerance', '0.10');
  await page.fill('#offer-0-grace', '72');
  await page.fill('#offer-0-overage', '');
  await page.selectOption('#usage-0-cell', 'capacity/azure/hot');
  await page.fill('#usage-0-baseline', '500');
  for (const f of ['growth', 'daily', 'weekend', 'noise']) await page.fill(`#usage-0-${f}`, '0');
  await page.click('#usage-0-add-burst');
  await page.fill('#usage-0-burst-0-start', '2026-03-10T00:00:00Z');
  await page.fill('#usage-0-burst-0-hours', '100');
  await page.fill('#usage-0-burst-0-level', '540');
  const march = page.locator('td[data-total="2026-03"]');
  await march.waitFor();
  const marchText = (await march.innerText()).trim();
  check(marchText === '40,002.10', `example C: March total on screen is ${marchText} (want 40,002.10)`);
  const text = await mainText();
  check(text.includes('40,002.10'), 'example C: 40,002.10 is in the bill view');
  check(/Tolerated \/ charged hours\s*72 \/ 28/.test(text), 'example C: 72 tolerated and 28 charged hours in the KPIs');
  // The hourly chart marks the very hours: 72 tolerated from 2026-03-10, then 28 charged.
  const marks = await page.$$eval('svg.chart rect.tolerated title, svg.chart rect.charged title', (ts) => ts.map((t) => t.textContent));
  check(marks.includes('2026-03-10T00:00:00Z to 2026-03-13T00:00:00Z: 72 tolerated hours') &&
    marks.includes('2026-03-13T00:00:00Z to 2026-03-14T04:00:00Z: 28 charged hours') && marks.length === 2,
    `example C: the chart marks 72 tolerated then 28 charged hours (marks: ${JSON.stringify(marks)})`);
  // Effective price per TB-month: 480,002.10 ÷ (500 + 4,000/744 + 11 × 500) TB-months, half-even to 6 places.
  check(/Effective price per TB-month\s*USD 79\.928729 \(6,005\.376344 TB-months\)/.test(text),
    'example C: effective price per TB-month USD 79.928729 over 6,005.376344 TB-months');
  const april = (await page.locator('td[data-total="2026-04"]').innerText()).trim();
  check(april === '40,000.00', `example C: April total is ${april} (want 40,000.00)`);
  await checkEvidence(page, check);
  await mkdir(outDir, { recursive: true });
  await page.screenshot({ path: join(outDir, 'bill.png'), fullPage: false });
  await page.screenshot({ path: join(outDir, 'bill-full.png'), fullPage: true });
  console.log(`screenshot: ${join(outDir, 'bill.png')}`);
  const goodLink = await page.inputValue('#share-link');
  check(/#v1\.[A-Za-z0-9_-]+$/.test(goodLink), 'share link is #v1.<base64url>');
  // The Copy button puts the link on the clipboard and says so.
  await page.click('#copy-link');
  await page.locator('.note[role="status"]', { hasText: 'Share link copied to the clipboard.' }).waitFor();
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  check(clip === goodLink, `Copy puts the share link on the clipboard and confirms it (${clip.slice(0, 40)}…)`);

  // A bad or empty value keeps the last bill on screen (dimmed) and puts the message on its input.
  await page.fill('#offer-0-fee', '');
  await page.locator('#offer-0-fee-error').waitFor();
  const feeNote = await page.locator('#offer-0-fee-error').innerText();
  check(feeNote.includes('offer 1 monthly fee') && (await page.getAttribute('#offer-0-fee-error', 'role')) === 'alert',
    `an empty fee: the message is on its input, as an alert (${feeNote})`);
  check((await page.getAttribute('#offer-0-fee', 'aria-invalid')) === 'true' &&
    (await page.getAttribute('#offer-0-fee', 'aria-describedby')) === 'offer-0-fee-error',
    'an empty fee: the input is aria-invalid and described by the message');
  check((await page.getAttribute('main', 'class') || '').includes('stale') && (await page.getAttribute('main', 'aria-busy')) === 'true' &&
    (await march.innerText()).trim() === '40,002.10', 'an empty fee: the last bill stays on screen, dimmed (March 40,002.10)');
  await page.fill('#offer-0-fee', '40000.00');
  await page.locator('#offer-0-fee-error').waitFor({ state: 'detached' });
  check((await page.getAttribute('#offer-0-fee', 'aria-invalid')) === null && !((await page.getAttribute('main', 'class')) || '').includes('stale'),
    'the fee fixed: no mark, the bill is current again');
  // Typed as people type it: `$40,000.50` prices (March 40,002.60); the share link holds `40000.50`.
  await page.fill('#offer-0-fee', '$40,000.50');
  await page.locator('td[data-total="2026-03"]', { hasText: '40,002.60' }).waitFor();
  await page.waitForFunction(() => {
    const l = document.querySelector('#share-link').value.split('#v1.')[1];
    const b = l.replaceAll('-', '+').replaceAll('_', '/');
    return JSON.parse(atob(b + '='.repeat((4 - b.length % 4) % 4))).offers[0].monthly_fee === '40000.50';
  });
  check((await page.inputValue('#offer-0-fee')) === '$40,000.50', 'a fee typed as $40,000.50 prices (March 40,002.60), stays as typed, and the link holds 40000.50');
  await page.fill('#offer-0-fee', '40000.00');
  await march.filter({ hasText: '40,002.10' }).waitFor();

  // Compare: a second offer (pay-as-you-go at list) on the same usage.
  await page.click('#add-offer');
  await page.selectOption('#offer-1-kind', 'pay-as-you-go');
  await page.fill('#offer-1-name', 'List PAYG');
  await page.fill('#offer-1-discount', '0');
  await page.click('#tab-compare');
  const cmp = await mainText();
  check(cmp.includes('List PAYG') && cmp.includes('Fixed 500 TB') && cmp.includes('Δ total'), 'compare view shows both offers and deltas');
  await page.click('#offer-1-remove');
  await page.click('#tab-bill');

  // ISO-week toggle, matrix grid with live validation, exports, CSV upload.
  await page.click('#gran-week');
  await page.locator('figcaption', { hasText: 'by ISO week' }).waitFor();
  check((await page.locator('svg.bars rect.bar').count()) >= 52, 'ISO-week toggle shows weekly bars');
  await page.click('#gran-month');
  const dl = page.waitForEvent('download');
  await page.click('#export-csv');
  const csvPath = await (await dl).path();
  const csvText = csvPath ? (await readFile(csvPath)).toString() : '';
  check(csvText.includes(',2026-03,overage,"Overage capacity/azure/hot, 28 charged hours",capacity,azure,hot,1120,2.1,1.00,2.10,USD'),
    'bill CSV export (the tidy layout) has March\'s overage line, 28 charged hours for 2.10');
  const dl2 = page.waitForEvent('download');
  await page.click('#export-deal');
  const dealPath = await (await dl2).path();
  const dealText = dealPath ? (await readFile(dealPath)).toString() : '';
  check(dealText.includes('40000.00') && dealText.includes('azure'), 'deal TOML export names the fee and cell');
  await page.click('#tab-matrix');
  await page.fill('#mul-azure-hot', '1.2x');
  check(/multiplier `1.2x` is neither a decimal string/.test(await page.locator('main').innerText()), 'matrix grid flags a bad multiplier on its cell, in the matrix format\'s own words');
  await page.fill('#mul-azure-hot', '1.50');
  await page.click('#tab-bill');
  await page.locator('td[data-total="2026-03"]', { hasText: '40,002.52' }).waitFor();
  check(true, 'matrix grid edit (azure/hot 1.50) re-prices: March overage 2.52, total 40,002.52');
  await page.selectOption('#matrix', 'spec-m');
  await page.click('#confirm-yes'); // the edited matrix's edits are dropped: the page asks first
  await page.locator('td[data-total="2026-03"]', { hasText: '40,002.10' }).waitFor();
  const rows = ['timestamp,meter,environment,use_case,quantity'];
  for (let h = 0; h < 80; h++) {
    const t = new Date(Date.UTC(2026, 2, 10, h));
    rows.push(`${t.toISOString().slice(0, 13)}:00:00Z,capacity,azure,hot,540`);
  }
  await page.setInputFiles('#usage-csv', { name: 'burst.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n') + '\n') });
  await page.locator('.note', { hasText: 'Usage from burst.csv' }).waitFor();
  const marchCsv = (await page.locator('td[data-total="2026-03"]').innerText()).trim();
  // 80 consecutive hours at 540 TB (absent hours are 0): hours 73–80 charged, 40 TB × 8 h × 0.001875 = 0.60.
  check(marchCsv === '40,000.60', `CSV upload (80 h at 540 TB from 2026-03-10) prices March at ${marchCsv} (want 40,000.60)`);
  // A usage CSV that does not read is not used: the uploaded usage keeps pricing, the alert says why.
  await page.setInputFiles('#usage-csv', { name: 'bad.csv', mimeType: 'text/csv',
    buffer: Buffer.from('timestamp,meter,environment,use_case,quantity\n2026-03-10T00:00:00Z,capacity,azure,warm,540\n') });
  await page.locator('#alert', { hasText: 'bad.csv was not used' }).waitFor();
  const badCsv = (await page.locator('#alert').innerText()).trim();
  check(badCsv.includes('unknown use case `warm`') && badCsv.includes('The bill still uses the previous usage.') &&
    (await page.locator('td[data-total="2026-03"]').innerText()).trim() === '40,000.60' &&
    (await mainText()).includes('Usage from burst.csv') === false && (await page.locator('text=Usage from burst.csv').count()) === 1,
    `a bad usage CSV is refused and burst.csv keeps pricing (March 40,000.60): "${badCsv.slice(0, 90)}"`);
  await page.click('#alert button');
  await page.click('text=Use the profile generator instead');
  await page.locator('td[data-total="2026-03"]', { hasText: '40,002.10' }).waitFor();
  // An upload over the core's limit (usage_csv::MAX_UPLOAD_BYTES, 64 MiB) is refused unread.
  const huge = join(profile, 'huge.csv'); // sparse: 64 MiB + 1 B, made at once
  await writeFile(huge, '');
  await truncate(huge, 64 * 1024 * 1024 + 1);
  await page.setInputFiles('#usage-csv', huge);
  const refused = (await page.locator('#alert').innerText()).trim();
  check(refused.includes('Refused: huge.csv is 67108865 bytes; the limit is 67108864 bytes.'), `a 64 MiB + 1 B upload is refused: "${refused.slice(0, 90)}"`);
  check((await page.locator('td[data-total="2026-03"]').innerText()).trim() === '40,002.10', 'after a refused upload the bill is unchanged');
  await page.click('#alert button');

  // 2. A saved scenario survives a reload.
  await page.fill('#save-name', 'Example C e2e');
  await page.click('#save-scenario');
  await page.locator('.saved-name', { hasText: 'Example C e2e' }).waitFor();
  await load(base); // fresh page, no fragment: default scenario
  const savedNames = await page.locator('.saved-name').allInnerTexts();
  check(savedNames.includes('Example C e2e'), `saved scenario listed after reload (${JSON.stringify(savedNames)})`);
  await page.click('button[aria-label="Load Example C e2e"]');
  await page.locator('td[data-total="2026-03"]', { hasText: '40,002.10' }).waitFor();
  check(true, 'loading the saved scenario shows March 40,002.10 again');

  // The share link reproduces the bill in a fresh page.
  await load(goodLink);
  check((await page.locator('td[data-total="2026-03"]').innerText()).trim() === '40,002.10', 'share link reopens example C');
  await labChecks({ page, load, check, goodLink, root, setUsing: (v) => { using = v; } });
  await labBookChecks({ page, check, goodLink, root, setUsing: (v) => { using = v; } });

  // 3. Broken and tampered links give a clear message, not a blank page.
  const tampered = (() => {
    const json = Buffer.from(goodLink.split('#v1.')[1], 'base64url').toString();
    return '#v1.' + Buffer.from(json.replaceAll('capacity/azure/hot', 'capacity/azure/cold')).toString('base64url');
  })();
  const broken = [
    ['truncated', goodLink.slice(0, goodLink.length - 40), /could not be opened: .*truncated/],
    ['bad base64', `${base}#v1.@@@`, /could not be opened: .*base64url/],
    ['future version', `${base}#v9.e30`, /link version 9 is not supported/],
    ['tampered cell', base + tampered, /unknown use case `cold`/],
  ];
  for (const [what, url, want] of broken) {
    await load('about:blank').catch(() => {});
    using = false;
    await page.goto(url);
    const err = page.locator('#alert');
    await err.waitFor();
    const msg = await err.innerText();
    check(want.test(msg), `${what} link: message "${msg.split('\n')[0].slice(0, 110)}"`);
    check((await page.locator('#term-start').count()) === 1, `${what} link: the page still works`);
  }
  // A broken link pasted into an open page (hashchange).
  await load(base);
  using = false;
  await page.evaluate(() => { location.hash = '#v1.AAAA'; });
  await page.locator('#alert').waitFor();
  check(/could not be opened/.test(await page.locator('#alert').innerText()), 'broken link pasted into an open page shows the message');
  using = true;

  await views({ page, base, load, check, outDir });
  await meteringChecks({ page, root, check, goodLink });

  // 5. Edit latency: p50/p95/max per edit kind, one and three offers, 36 and 120 months (speed.mjs).
  await speed({ page, check });

  // 6. Nothing lost without a word, the README tour (safety.mjs); keyboard, axe-core, screenshots (a11y.mjs).
  await safety({ page, base, check, load });
  await a11y({ page, base, check, load, root });

  // 4. Nothing left the browser while it was used.
  check(leaks.length === 0, `no network request while using the page (${leaks.length}${leaks.length ? ': ' + leaks.slice(0, 5).join(', ') : ''})`);
  check(foreign.length === 0, `no request to any other host (${foreign.length}${foreign.length ? ': ' + foreign.slice(0, 5).join(', ') : ''})`);
  check(pageErrors.length === 0, `no page errors or panics (${pageErrors.slice(0, 3).join(' | ')})`);
} catch (e) {
  failures.push(String(e && e.stack || e));
  console.log(`FAIL ${e && e.stack || e}`);
  await mkdir(outDir, { recursive: true });
  await page.screenshot({ path: join(outDir, 'failure.png') }).catch(() => {});
} finally {
  await context.close();
  server.close();
  await rm(profile, { recursive: true, force: true });
}
if (failures.length) {
  console.log(`e2e: ${failures.length} failure(s)`);
  process.exit(1);
}
console.log('e2e: all checks passed');

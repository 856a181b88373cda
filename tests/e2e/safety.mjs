// "Nothing lost without a word" and the README's tour, through the page's own inputs:
//   - the README tour's steps, exactly as written, give worked example C (the usage follows
//     the first offer's entitlement);
//   - a usage file covering part of the term names the months it has no usage for;
//   - saving while a file is loaded says the file is not kept (at save time and on the entry);
//   - saving with an empty name says why nothing happened; saving over a name asks first;
//   - removing an offer or a saved scenario can be undone;
//   - an edited matrix is named "(edited)" on the bill, in the CSV export and on the quote;
//     switching matrices with such edits asks first (an in-page dialog, #confirm).
// Called by e2e.mjs: safety({ page, base, check, load }).
import { readFile } from 'node:fs/promises';

const march = (page) => page.locator('td[data-total="2026-03"]');

/** The README's tour, step 1, as written there (keep the two in step). */
export async function walkTour(page) {
  // Keep the bundled matrix spec-m; set the term start to 2026-03-01 (12 months).
  await page.selectOption('#matrix', 'spec-m');
  await page.fill('#term-start', '2026-03-01');
  // In the offer, choose fixed capacity, press "+ entitlement", pick capacity/azure/hot, entitle 500.
  await page.selectOption('#offer-0-kind', 'fixed-capacity');
  await page.click('#offer-0-add-ent');
  await page.selectOption('#offer-0-ent-0-cell', 'capacity/azure/hot');
  await page.fill('#offer-0-ent-0-qty', '500');
  // Monthly fee 40,000.00.
  await page.fill('#offer-0-fee', '40,000.00');
  // The usage follows the entitlement (azure/hot at 500 TB): set its monthly growth to 0,
  // press "+ burst" and make the burst 100 hours at 540.
  await page.fill('#usage-0-growth', '0');
  await page.click('#usage-0-add-burst');
  await page.fill('#usage-0-burst-0-hours', '100');
  await page.fill('#usage-0-burst-0-level', '540');
}

export async function safety({ page, base, check, load }) {
  const text = () => page.locator('main').innerText();

  // Item 10: the tour, step by step, on a fresh page.
  await load(base);
  await walkTour(page);
  await march(page).filter({ hasText: '40,002.10' }).waitFor();
  const usage = [await page.inputValue('#usage-0-cell'), await page.inputValue('#usage-0-baseline')];
  check(usage[0] === 'capacity/azure/hot' && usage[1] === '500',
    `tour: the usage follows the first offer's entitlement (${usage.join(' at ')})`);
  const bill = await text();
  check(/Tolerated \/ charged hours\s*72 \/ 28/.test(bill) &&
    /Effective price per TB-month\s*USD 79\.928729 \(6,005\.376344 TB-months\)/.test(bill),
    'tour: March 40,002.10, 72 tolerated / 28 charged hours, USD 79.928729 per TB-month over 6,005.376344 TB-months');

  // Item 6: a usage file for March and April only, on the 12-month term, names the other months.
  const rows = ['timestamp,meter,environment,use_case,quantity',
    '2026-03-10T00:00:00Z,capacity,azure,hot,500', '2026-04-02T00:00:00Z,capacity,azure,hot,500'];
  await page.setInputFiles('#usage-csv', { name: 'two-months.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n') + '\n') });
  const gap = await page.locator('#months-without-usage').innerText();
  check(gap === 'two-months.csv has no usage at all for 2026-05, 2026-06, 2026-07, 2026-08, 2026-09, 2026-10, ' +
    '2026-11, 2026-12, 2027-01, 2027-02: those months are priced as zero usage.', `a 2-month file on a 12-month term: "${gap}"`);

  // Saving while a file is loaded: said before saving, at save time, and on the entry.
  check((await page.locator('#csv-not-kept').innerText()).includes('not put in share links or saved scenarios'),
    'with a file loaded, the save panel says uploaded usage is not saved');
  await page.fill('#save-name', 'Tour with file');
  await page.click('#save-scenario');
  const savedNote = page.locator('.note[role="status"]');
  await savedNote.filter({ hasText: 'Saved “Tour with file”' }).waitFor();
  check((await savedNote.innerText()).includes('the uploaded usage (two-months.csv) is not kept'),
    `saving with a file loaded says the file is not kept: "${await savedNote.innerText()}"`);
  const entry = page.locator('.saved li', { hasText: 'Tour with file' });
  check((await entry.innerText()).includes('profile only (two-months.csv not kept)'), 'the saved entry says the file is not kept');
  await page.click('text=Use the profile generator instead');
  await march(page).filter({ hasText: '40,002.10' }).waitFor();

  // An empty name saves nothing and says why.
  await page.fill('#save-name', '   ');
  await page.click('#save-scenario');
  await savedNote.filter({ hasText: 'Nothing was saved: type a name for the scenario first.' }).waitFor();
  check(true, 'saving with an empty name says why nothing happened');

  // Saving over a name asks first (in-page dialog, focused); Cancel keeps the old one.
  await page.fill('#save-name', 'Tour with file');
  await page.click('#save-scenario');
  await page.locator('#confirm').waitFor();
  const question = await page.locator('#confirm-text').innerText();
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  check(question === 'A scenario named “Tour with file” is already saved in this browser. Replace it?' && focused === 'confirm-no',
    `saving over a name asks first, the focus on Cancel ("${question}", focus ${focused})`);
  await page.click('#confirm-no');
  await page.locator('#confirm').waitFor({ state: 'detached' });
  check((await page.locator('.saved li', { hasText: 'Tour with file' }).innerText()).includes('not kept'), 'Cancel keeps the saved entry as it was');
  await page.click('#save-scenario');
  await page.click('#confirm-yes');
  await savedNote.filter({ hasText: 'Saved “Tour with file” in this browser.' }).waitFor();
  check(!(await page.locator('.saved li', { hasText: 'Tour with file' }).innerText()).includes('not kept'),
    'Replace saves over it (now without a file: the mark is gone)');

  // Deleting a saved scenario can be undone.
  await page.click('button[aria-label="Delete Tour with file"]');
  await page.locator('#undo', { hasText: 'Deleted saved scenario “Tour with file”.' }).waitFor();
  check((await page.locator('.saved-name', { hasText: 'Tour with file' }).count()) === 0, 'Delete removes the saved entry and offers Undo');
  await page.click('#undo-button');
  await page.locator('.saved-name', { hasText: 'Tour with file' }).waitFor();
  check(true, 'Undo brings the deleted saved scenario back');

  // Removing an offer can be undone.
  await page.click('#add-offer');
  await page.fill('#offer-1-name', 'Second offer');
  await page.click('#offer-1-remove');
  await page.locator('#undo', { hasText: 'Removed offer “Second offer”.' }).waitFor();
  check((await page.locator('#offer-1-name').count()) === 0, 'Remove takes the offer away and offers Undo');
  await page.click('#undo-button');
  await page.locator('#offer-1-name').waitFor();
  check((await page.inputValue('#offer-1-name')) === 'Second offer', 'Undo puts the removed offer back');
  await page.click('#offer-1-remove');

  // An edited matrix is named as edited everywhere; switching away asks first.
  await page.click('#tab-matrix');
  await page.fill('#mul-azure-hot', '1.50');
  await page.click('#tab-bill');
  await march(page).filter({ hasText: '40,002.52' }).waitFor();
  check((await text()).includes('Matrix spec-m v1 (edited)') && (await page.locator('#matrix-label').innerText()).startsWith('spec-m v1 (edited)'),
    'an edited matrix is "spec-m v1 (edited)" on the bill and in the deal form');
  const dl = page.waitForEvent('download');
  await page.click('#export-csv');
  const csv = (await readFile(await (await dl).path())).toString();
  check(csv.split('\n')[1].includes(',spec-m,1 (edited),'), 'the bill CSV names the matrix version "1 (edited)"');
  await page.click('#tab-quote');
  check((await text()).includes('spec-m v1 (edited)'), 'the quote names the edited matrix');
  await page.click('#tab-bill');
  await page.selectOption('#matrix', 'illustrative');
  await page.locator('#confirm').waitFor();
  check((await page.locator('#confirm-text').innerText()).startsWith('The matrix spec-m v1 (edited) has edits that are not kept anywhere else'),
    'switching matrices with edits asks first');
  await page.click('#confirm-no');
  await page.locator('#confirm').waitFor({ state: 'detached' });
  check((await page.inputValue('#matrix')) === 'custom' && (await march(page).innerText()).trim() === '40,002.52',
    'Cancel keeps the edited matrix (the menu shows it still)');
  await page.selectOption('#matrix', 'spec-m');
  await page.click('#confirm-yes');
  await march(page).filter({ hasText: '40,002.10' }).waitFor();
  check((await page.locator('#matrix-label').innerText()).startsWith('spec-m v1 ·'), 'Switch drops the edits: spec-m v1 again');
}

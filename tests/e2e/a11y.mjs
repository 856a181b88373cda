// Keyboard and screen readers, and how each view looks:
//   - the view tabs follow the WAI-ARIA tabs pattern (tablist/tab/tabpanel, aria-selected,
//     aria-controls, roving tabindex; ArrowLeft/ArrowRight/Home/End move selection and focus);
//   - labels are at least 14 px;
//   - axe-core (npm `axe-core`, its axe.min.js injected into the page) finds no serious or
//     critical violation on any view;
//   - screenshots of every view at 1280 and 1920 px wide in target/e2e-artifacts/ (look at them).
// Called by e2e.mjs: a11y({ page, base, check, load, root }) on a page that prices.
import { readFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const VIEWS = ['bill', 'compare', 'matrix', 'quote'];

export async function a11y({ page, check, root }) {
  // The tabs pattern.
  const tabs = await page.$$eval('[role="tablist"] [role="tab"]', (ts) => ts.map((t) => ({
    id: t.id, selected: t.getAttribute('aria-selected'), controls: t.getAttribute('aria-controls'), tabindex: t.getAttribute('tabindex'),
  })));
  check(tabs.map((t) => t.id).join() === VIEWS.map((v) => `tab-${v}`).join() && tabs.every((t) => t.controls === 'main') &&
    tabs.filter((t) => t.tabindex === '0').length === 1 && tabs.find((t) => t.tabindex === '0').selected === 'true',
    `tabs: one tablist of ${tabs.length} tabs controlling the panel, only the selected one in the tab order`);
  check((await page.getAttribute('main', 'role')) === 'tabpanel', 'the views are shown in a tabpanel');
  await page.click('#tab-bill');
  const walk = [];
  for (const key of ['ArrowRight', 'ArrowRight', 'End', 'ArrowRight', 'ArrowLeft', 'Home']) {
    await page.keyboard.press(key);
    walk.push(await page.evaluate(() => {
      const f = document.activeElement;
      const main = document.getElementById('main');
      return f.getAttribute('aria-selected') === 'true' && f.tabIndex === 0 && main.getAttribute('aria-labelledby') === f.id ? f.id.slice(4) : `bad:${f.id}`;
    }));
  }
  check(walk.join() === 'compare,matrix,quote,bill,quote,bill',
    `keyboard: ArrowRight, ArrowRight, End, ArrowRight, ArrowLeft, Home select and focus ${walk.join(', ')}`);
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => !document.activeElement.closest('[role="tablist"]')), 'Tab leaves the tab list (one tab stop)');

  // Labels at least 14 px.
  const sizes = await page.$$eval('label, legend, .kpi dt, .hint, .note', (ls) => ls.filter((l) => l.offsetParent)
    .map((l) => parseFloat(getComputedStyle(l).fontSize)));
  check(sizes.length > 10 && Math.min(...sizes) >= 14, `labels, hints and notes at least 14 px (smallest ${Math.min(...sizes)} px of ${sizes.length})`);

  // axe-core on each view, and screenshots at 1280 and 1920 px, with a second offer to compare.
  await page.click('#add-offer');
  await page.selectOption('#offer-1-kind', 'pay-as-you-go');
  await page.fill('#offer-1-name', 'List PAYG');
  await page.click('#offer-0-show');
  const axe = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.addScriptTag({ content: axe });
  const out = join(root, 'target/e2e-artifacts');
  await mkdir(out, { recursive: true });
  for (const view of VIEWS) {
    await page.click(`#tab-${view}`);
    await page.waitForFunction((v) => document.getElementById('main').getAttribute('aria-labelledby') === `tab-${v}`, view);
    const found = await page.evaluate(async () => {
      const r = await window.axe.run(document, { resultTypes: ['violations'] });
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 2).map((n) => n.target.join(' ')).join(' | ')}`);
    });
    check(found.length === 0, `axe-core on the ${view} view: no serious or critical violation${found.length ? ` (${found.join('; ')})` : ''}`);
    for (const width of [1280, 1920]) {
      await page.setViewportSize({ width, height: 1000 });
      const path = join(out, `${view}-${width}.png`);
      await page.screenshot({ path, fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 1000 });
  }
  console.log(`screenshots: ${out}/{${VIEWS.join(',')}}-{1280,1920}.png`);
}

// End-to-end: the first visit reads like a static page. Every entry file carries its whole article as HTML
// (before any script runs, and with scripts off), the app takes the page over without a jump, fetches the
// other pages' articles as fragments (and says so plainly when one is missing or damaged), and search, history
// and the embed view keep working.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

import { serveStatic } from './static-server.mjs';
import { appReady, launch, openPage } from './browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', '..', 'dist');
const SLUGS = [
  'leverage-mechanics', 'leverage-and-liquidation-risks', 'leverage-skew', 'leverage-concentration',
  'leverage-dependency', 'leverage-ratio-monitoring', 'order-flow-imbalances', 'leverage-deleveraging-spiral',
  'systemic-leverage-risk', 'systemic-leverage-contagion', 'leverage-cycles', 'systemic-leverage-cycles',
  'leverage-deleveraging-cycles', 'leverage-management-in-cppi', 'options-trading-leverage',
  'leverage-dynamics-assessment', 'systemic-leverage',
];

let site;
let siteDir;
let browser;

before(async () => {
  // A copy, so tests can break a fragment without touching dist/.
  siteDir = await mkdtemp(join(tmpdir(), 'lens-first-'));
  await cp(dist, siteDir, { recursive: true });
  site = await serveStatic(siteDir, '/lens/');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.close();
  if (siteDir) await rm(siteDir, { recursive: true, force: true });
});

/** The first words of a page's definition, from the fragment the build wrote. */
async function definitionStart(slug) {
  const fragment = await readFile(join(siteDir, 'articles', `${slug}.html`), 'utf8');
  const paragraph = fragment.split('<section id="definition"')[1].split('<p>')[1];
  return paragraph.slice(0, 60);
}

describe('every entry file is a readable page', () => {
  test('the HTML of every entry file already holds its definition, formula and worked example', async () => {
    for (const slug of SLUGS) {
      const html = await (await fetch(`${site.url}${slug}.html`)).text();
      assert.ok(html.includes(await definitionStart(slug)), `${slug}: definition in the HTML`);
      assert.match(html, /<section id="formula"[\s\S]*<math/, `${slug}: formula as MathML`);
      assert.match(html, /<section id="worked-example"/, slug);
      assert.match(html, /<script type="application\/ld\+json">[^<]*"DefinedTerm"/, `${slug}: JSON-LD`);
    }
    const index = await (await fetch(site.url)).text();
    assert.equal((index.match(/class="term-card"/g) ?? []).length, 17);
    assert.match(index, /"FAQPage"/);
  });

  test('with scripts off, every page shows its text, formulas and tables, and its links lead to the other pages', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    for (const slug of SLUGS) {
      await page.goto(`${site.url}${slug}.html`);
      assert.ok((await page.locator('main #definition p').count()) >= 3, `${slug}: definition`);
      assert.ok(await page.locator('main #formula math').first().isVisible(), `${slug}: formula visible`);
      assert.ok(await page.locator('main #worked-example').isVisible(), slug);
      // Where the live example will be, a line says what it needs.
      assert.match(await page.textContent('main #live-example'), /needs\s+JavaScript and WebAssembly/);
      // Tables of the worked examples are there as tables.
      const fragment = await readFile(join(siteDir, 'articles', `${slug}.html`), 'utf8');
      if (fragment.includes('<table')) assert.ok(await page.locator('main table').first().isVisible(), `${slug}: table`);
    }
    // Links go to the other entry files: follow a related term and the pager, all without scripts.
    await page.goto(`${site.url}leverage-skew.html`);
    const related = page.locator('#related .term-card a').first();
    const title = (await related.textContent()).trim();
    await related.click();
    await page.waitForLoadState();
    assert.match(page.url(), /\/lens\/[a-z-]+\.html$/);
    assert.equal((await page.textContent('main h1')).trim(), title);
    await page.click('.pager-next');
    await page.waitForLoadState();
    assert.match(page.url(), /\/lens\/[a-z-]+\.html$/);
    await page.click('.sidebar-home');
    await page.waitForLoadState();
    assert.equal((await page.textContent('main h1')).trim(), 'Leverage Imbalances');
    assert.equal(await page.locator('main .term-card').count(), 17);
    await context.close();
  });
});

describe('the app takes the page over', () => {
  test('no console error, the live example draws, and the layout shift stays within 0.02', async () => {
    for (const slug of ['leverage-skew', 'leverage-mechanics', 'order-flow-imbalances']) {
      const page = await openPage(browser, { viewport: { width: 1280, height: 900 } });
      await page.addInitScript(() => {
        window.__shift = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
        }).observe({ type: 'layout-shift', buffered: true });
      });
      await page.goto(`${site.url}${slug}.html`);
      await appReady(page);
      await page.waitForFunction(() => {
        const canvas = document.querySelector('#live-example canvas');
        if (!canvas || !canvas.width) return false;
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        const colours = new Set();
        for (let i = 0; i < data.length; i += 4 * 97) colours.add(data[i] * 65536 + data[i + 1] * 256 + data[i + 2]);
        return colours.size > 3;
      }, null, { timeout: 20000 });
      const shift = await page.evaluate(() => window.__shift);
      assert.ok(shift <= 0.02, `${slug}: layout shift ${shift.toFixed(4)}`);
      // The article the app shows is the one the page carried.
      assert.ok((await page.textContent('main #definition')).includes(await definitionStart(slug)));
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
  });

  test('every live example\'s reserved box is within 15 % of the example it holds, on a desktop and a phone', async () => {
    const off = [];
    for (const width of [1280, 390]) {
      const page = await openPage(browser, { viewport: { width, height: 900 } });
      for (const slug of SLUGS) {
        await page.goto(`${site.url}${slug}.html`);
        const reserved = await page.evaluate(() => document.querySelector('#live-example').getBoundingClientRect().height);
        await appReady(page);
        await page.waitForSelector('#live-example canvas');
        await page.waitForTimeout(300);
        const natural = await page.evaluate(() => {
          const box = document.querySelector('#live-example');
          box.style.minHeight = '0px';
          return box.getBoundingClientRect().height;
        });
        if (Math.abs(natural - reserved) / natural > 0.15) off.push(`${slug} at ${width}px: reserved ${Math.round(reserved)}, drawn ${Math.round(natural)}`);
      }
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
    assert.deepEqual(off, [], 'update the reserved heights in style/main.css');
  });

  test('moving between terms fetches each article once (prefetched on hover), and history works', async () => {
    const page = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    const fragments = [];
    page.on('request', (r) => {
      if (r.url().includes('/articles/')) fragments.push(r.url().split('/').pop());
    });
    await page.goto(`${site.url}leverage-skew.html`);
    await appReady(page);
    const link = page.locator('.sidebar a[href="leverage-cycles.html"]');
    await link.hover();
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/articles/leverage-cycles.html')));
    await link.click();
    await page.waitForFunction(() => document.querySelector('main h1')?.textContent.trim() === 'Leverage Cycles');
    assert.match(page.url(), /\/lens\/leverage-cycles\.html$/);
    assert.ok((await page.locator('main #formula math').count()) >= 1);
    await page.goBack();
    await page.waitForFunction(() => document.querySelector('main h1')?.textContent.trim() === 'Leverage Skew');
    await page.goForward();
    await page.waitForFunction(() => document.querySelector('main h1')?.textContent.trim() === 'Leverage Cycles');
    // The opened page's own article was never fetched; the other one once.
    assert.deepEqual(fragments, ['leverage-cycles.html']);
    // ?term= links keep working, and search finds words of the articles' full text.
    await page.goto(`${site.url}?term=systemic-leverage`);
    await appReady(page);
    assert.equal((await page.textContent('main h1')).trim(), 'Systemic Leverage');
    await page.keyboard.press('/');
    await page.keyboard.type('geanakoplos');
    await page.waitForSelector('#site-search-results:not([hidden]) li[role=option] a');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('main h1')?.textContent.trim() === 'Leverage Cycles');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a missing or damaged article shows a friendly error with a link to the page; the rest keeps working', async () => {
    await rm(join(siteDir, 'articles', 'leverage-dependency.html'));
    await writeFile(join(siteDir, 'articles', 'leverage-concentration.html'), '<img src=x onerror="window.__pwned=1"><p>not an article</p>');
    const page = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    await page.goto(`${site.url}leverage-skew.html`);
    await appReady(page);
    for (const [slug, title] of [['leverage-dependency', 'Leverage Dependency'], ['leverage-concentration', 'Leverage Concentration']]) {
      await page.click(`.sidebar a[href="${slug}.html"]`);
      await page.waitForSelector('.article-host.failed [role=alert]');
      assert.equal((await page.textContent('main h1')).trim(), title);
      assert.equal(await page.getAttribute('.article-host.failed a.button', 'href'), `${slug}.html`);
    }
    assert.equal(await page.evaluate(() => window.__pwned ?? null), null, 'nothing from the file ran');
    assert.equal(await page.locator('main img').count(), 0);
    // The rest of the app still works.
    await page.click('.sidebar a[href="leverage-cycles.html"]');
    await page.waitForFunction(() => document.querySelector('main h1')?.textContent.trim() === 'Leverage Cycles');
    // 404s of the two fragments are the only console errors.
    assert.deepEqual(page.problems.filter((p) => !p.includes('/articles/leverage-dependency.html')), []);
    await page.context().close();
    await cp(join(dist, 'articles'), join(siteDir, 'articles'), { recursive: true });
  });

  test('the embed view shows the live example alone, from the entry file', async () => {
    const page = await openPage(browser, { viewport: { width: 700, height: 800 } });
    await page.goto(`${site.url}leverage-skew.html?embed=1`);
    await appReady(page);
    await page.waitForSelector('.embed #live-example canvas');
    assert.equal(await page.locator('.sidebar').count(), 0);
    assert.equal(await page.locator('#definition').count(), 0);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

// End-to-end: the release build in dist/, served under /lens/ by a plain static server, in headless Chromium.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

import { serveStatic } from './static-server.mjs';
import { appReady, launch, openPage } from './browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', '..', 'dist');
const artifacts = join(here, 'artifacts');

let site;
let browser;

before(async () => {
  await mkdir(artifacts, { recursive: true });
  site = await serveStatic(dist, '/lens/');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.close();
});

async function h1(page) {
  return (await page.textContent('main h1')).trim();
}

describe('glossary', () => {
  test('a deep link to a term page works on a plain static server under a sub-path', async () => {
    const page = await openPage(browser);
    const response = await page.goto(`${site.url}?term=leverage-skew`);
    assert.equal(response.status(), 200);
    await appReady(page);
    assert.equal(await h1(page), 'Leverage Skew');
    assert.equal(await page.title(), 'Leverage Skew · Leverage Lens');
    assert.ok((await page.locator('main #formula math').count()) >= 1, 'formula rendered as MathML');
    // MathML layout, not CSS block layout (which stacks a formula's parts vertically).
    const display = await page.locator('main #formula math[display=block]').first().evaluate((m) => getComputedStyle(m).display);
    assert.equal(display, 'block math');
    assert.equal(await page.locator('main section.page-section h2').first().textContent(), '#Definition');
    assert.deepEqual(page.problems, []);
  });

  test('index.html with a query string also deep-links', async () => {
    const page = await openPage(browser);
    await page.goto(`${site.url}index.html?term=leverage-cycles`);
    await appReady(page);
    assert.equal(await h1(page), 'Leverage Cycles');
    assert.deepEqual(page.problems, []);
  });

  test('the overview shows the three facets and every one of the 17 terms', async () => {
    const page = await openPage(browser);
    await page.goto(site.url);
    await appReady(page);
    assert.equal(await h1(page), 'Leverage Imbalances');
    const facets = await page.locator('main section.facet h2').allTextContents();
    assert.deepEqual(facets, ['Analysis', 'Adjustment', 'Algorithm']);
    assert.equal(await page.locator('main .term-card').count(), 17);
    // Every term page opens from its card.
    const hrefs = await page.locator('main .term-card a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    for (const href of hrefs) {
      await page.goto(new URL(href, site.url).href);
      await appReady(page);
      assert.notEqual(await h1(page), 'Page not found', href);
      assert.ok((await page.locator('main #definition p').count()) >= 3, `${href} has a real definition`);
    }
    assert.deepEqual(page.problems, []);
  });

  test('search with the keyboard: / focuses, arrows pick, Enter opens', async () => {
    const page = await openPage(browser);
    await page.goto(site.url);
    await appReady(page);
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'site-search-input');
    await page.keyboard.type('herfindahl');
    await page.waitForSelector('#site-search-results:not([hidden]) li[role=option] a');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForURL(/leverage-concentration\.html$/);
    assert.match(page.url(), /\/lens\/leverage-concentration\.html$/);
    assert.equal(await h1(page), 'Leverage Concentration');
    assert.deepEqual(page.problems, []);
  });

  test('related-term links, then back and forward through history', async () => {
    const page = await openPage(browser);
    await page.goto(`${site.url}?term=leverage-mechanics`);
    await appReady(page);
    const related = page.locator('#related .term-card a').first();
    const relatedTitle = (await related.textContent()).trim();
    await related.click();
    await page.waitForFunction((t) => document.querySelector('main h1')?.textContent.trim() === t, relatedTitle);
    assert.notEqual(relatedTitle, 'Leverage Mechanics');

    await page.goBack();
    await page.waitForFunction(() => document.querySelector('main h1')?.textContent.trim() === 'Leverage Mechanics');
    assert.match(page.url(), /\?term=leverage-mechanics$/);

    await page.goForward();
    await page.waitForFunction((t) => document.querySelector('main h1')?.textContent.trim() === t, relatedTitle);
    assert.deepEqual(page.problems, []);
  });

  test('an unknown page shows a friendly not-found view with search', async () => {
    const page = await openPage(browser);
    await page.goto(`${site.url}?term=leverage-skwe`);
    await appReady(page);
    assert.equal(await h1(page), 'Page not found');
    assert.equal(await page.inputValue('#not-found-search-input'), 'leverage skwe');
    await page.focus('#not-found-search-input');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.pathname.endsWith('/leverage-skew.html'));
    assert.equal(await h1(page), 'Leverage Skew');
    assert.deepEqual(page.problems, []);
  });

  test('usable at 360 px: no horizontal scrolling, screenshot for review', async () => {
    const page = await openPage(browser, { viewport: { width: 360, height: 800 }, deviceScaleFactor: 2 });
    await page.goto(`${site.url}?term=order-flow-imbalances`);
    await appReady(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    await page.screenshot({ path: join(artifacts, 'term-360px.png') });
    assert.deepEqual(page.problems, []);
  });

  test('dark theme follows the system, and a chosen theme survives a reload', async () => {
    const page = await openPage(browser, { colorScheme: 'dark', viewport: { width: 1280, height: 900 } });
    await page.goto(site.url);
    await appReady(page);
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(await background(), 'rgb(15, 20, 25)');
    await page.screenshot({ path: join(artifacts, 'overview-dark.png') });

    await page.click('.theme-toggle'); // system -> light
    assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
    await page.reload();
    await appReady(page);
    assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
    assert.equal(await background(), 'rgb(251, 251, 250)');
    await page.screenshot({ path: join(artifacts, 'overview-light.png') });
    assert.deepEqual(page.problems, []);
  });

  test('keyboard users see where focus is', async () => {
    const page = await openPage(browser);
    await page.goto(site.url);
    await appReady(page);
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => document.activeElement.textContent);
    assert.equal(skip, 'Skip to content');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.equal(outline, 'solid');
  });
});

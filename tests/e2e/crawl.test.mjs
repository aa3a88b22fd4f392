// End-to-end crawl: every page (overview, 17 terms, data, charts, embeds), where a click-everything visitor
// presses every button, toggles every legend, hovers every chart, clicks every chart marker, steps every control
// through its values (and past its bounds), and follows every internal link once. Nothing may raise a page error.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

import { serveStatic } from './static-server.mjs';
import { appReady, launch, openPage } from './browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));

let site;
let browser;
let page;
/** Internal link targets already followed (each is followed once in the whole crawl). */
const followed = new Set();

before(async () => {
  site = await serveStatic(join(here, '..', '..', 'dist'), '/lens/');
  browser = await launch();
  page = await openPage(browser, { viewport: { width: 1280, height: 900 }, acceptDownloads: true });
});

after(async () => {
  await browser?.close();
  await site?.close();
});

const settle = (ms = 320) => page.waitForTimeout(ms);

async function open(query) {
  await page.goto(`${site.url}${query}`);
  await appReady(page);
  await settle(400);
}

/** Steps each control of the live example through its values: every option, and numbers at and past bounds. */
async function stepControls() {
  // Choices apply at once; typed numbers after a 250 ms pause, so only the last of each burst is waited for.
  for (const select of await page.locator('#live-example .control select:visible').all()) {
    const values = await select.evaluate((s) => [...s.options].map((o) => o.value));
    for (const value of values) {
      await select.selectOption(value, { timeout: 2000 }).catch(() => {});
      await settle(60);
    }
  }
  for (const input of await page.locator('#live-example .control input[type=number]:visible').all()) {
    const { min, max } = await input.evaluate((i) => ({ min: i.min, max: i.max }));
    const mid = min && max ? String((Number(min) + Number(max)) / 2) : '1';
    for (const value of [min, max, mid, String(Number(max || 1) * 1000), '-1e309', 'abc', '']) {
      await input.fill(value, { timeout: 2000 }).catch(() => {});
      await settle(value === '' ? 320 : 120);
    }
  }
}

/** Presses every button in the main content that stays on the page (toggles, presets, exports, tables). */
async function pressButtons() {
  const buttons = await page.locator('main button:visible').all();
  for (const button of buttons) {
    if (await button.isDisabled().catch(() => true)) continue;
    const text = (await button.textContent().catch(() => '')) ?? '';
    const download = /PNG|CSV|Download/.test(text) ? page.waitForEvent('download', { timeout: 2000 }).catch(() => null) : null;
    await button.click({ timeout: 1000 }).catch(() => {});
    await download;
    await settle(30);
  }
}

/** Hovers each chart, then clicks each of its annotation markers (each navigates; the crawl comes back). */
async function chartsAndMarkers(query) {
  for (const chart of await page.locator('main .chart-box').all()) {
    await chart.hover({ timeout: 1000 }).catch(() => {});
    await chart.press('ArrowRight', { timeout: 1000 }).catch(() => {});
    await chart.dispatchEvent('wheel', { deltaY: -100 }, { timeout: 1000 }).catch(() => {});
  }
  const markers = await page.locator('main .marker-link').count();
  for (let i = 0; i < Math.min(markers, 3); i++) {
    const marker = page.locator('main .marker-link').nth(i);
    if (!(await marker.isVisible().catch(() => false))) continue;
    await marker.hover({ timeout: 1000 }).catch(() => {});
    await marker.click({ timeout: 1000 }).catch(() => {});
    await settle(200);
    await open(query);
  }
}

/** Follows every internal link not followed before, coming back to `query` after each. */
async function followLinks(query) {
  const hrefs = await page.$$eval('a[href]', (as) => [...new Set(as.map((a) => a.getAttribute('href')))]);
  for (const href of hrefs) {
    if (!href.startsWith('?') && !href.startsWith('#')) continue;
    if (followed.has(href)) continue;
    followed.add(href);
    const link = page.locator(`a[href="${href.replace(/"/g, '\\"')}"]:visible`).first();
    if (!(await link.count())) continue;
    await link.click({ timeout: 1000 }).catch(() => {});
    await settle(150);
    if (href.startsWith('?')) await open(query);
  }
}

const SLUGS = [
  'leverage-mechanics', 'leverage-and-liquidation-risks', 'leverage-skew', 'leverage-concentration',
  'leverage-dependency', 'leverage-ratio-monitoring', 'order-flow-imbalances', 'leverage-deleveraging-spiral',
  'systemic-leverage-risk', 'systemic-leverage-contagion', 'leverage-cycles', 'systemic-leverage-cycles',
  'leverage-deleveraging-cycles', 'leverage-management-in-cppi', 'options-trading-leverage',
  'leverage-dynamics-assessment', 'systemic-leverage',
];

const PAGES = ['', ...SLUGS.map((s) => `?term=${s}`), '?page=data', '?page=charts', '?embed=1', '?term=leverage-skew&embed=1'];

describe('click everything', () => {
  for (const query of PAGES) {
    test(`${query || 'the overview'}`, async () => {
      await open(query);
      await stepControls();
      await pressButtons();
      await chartsAndMarkers(query);
      await followLinks(query);
      // Back and forward through what the crawl did, then the page must still stand.
      await page.goBack().catch(() => {});
      await page.goForward().catch(() => {});
      await page.waitForSelector('main h1', { timeout: 15000 });
      assert.deepEqual(page.problems, [], `on ${query || 'the overview'}`);
    });
  }
});

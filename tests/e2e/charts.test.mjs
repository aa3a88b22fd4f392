// End-to-end: the chart gallery on the embedded sample — crosshair, zoom, legend, exports, annotation links.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

import { serveStatic } from './static-server.mjs';
import { appReady, launch, openPage } from './browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
let site;
let browser;

before(async () => {
  site = await serveStatic(join(here, '..', '..', 'dist'), '/lens/');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.close();
});

async function gallery(options = {}) {
  const page = await openPage(browser, { acceptDownloads: true, viewport: { width: 1280, height: 900 }, ...options });
  await page.goto(`${site.url}?page=charts`);
  await appReady(page);
  // The sample is simulated after the first paint; the chart shows data once the legend has entries.
  await page.waitForFunction(() => Number(document.querySelector('#chart-price-oi .chart-box')?.dataset.to) > 1e12);
  return page;
}

const chartBox = (page) => page.locator('#chart-price-oi .chart-box');

describe('charts', () => {
  test('every chart kind draws something (non-blank canvases) without page errors', async () => {
    const page = await gallery();
    const blank = await page.evaluate(() =>
      [...document.querySelectorAll('main canvas')].map((c) => {
        const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const colours = new Set();
        for (let i = 0; i < data.length; i += 4 * 97) colours.add(data[i] * 65536 + data[i + 1] * 256 + data[i + 2]);
        return colours.size;
      }),
    );
    assert.equal(blank.length, 6, 'six charts');
    for (const colours of blank) assert.ok(colours > 3, `a canvas looks blank (${colours} colours)`);
    assert.deepEqual(page.problems, []);
  });

  test('hover shows the tooltip with the value the data table holds for that time', async () => {
    const page = await gallery();
    await page.click('#chart-price-oi button:has-text("7D")'); // few enough rows for the table to hold them all
    const box = await chartBox(page).boundingBox();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await page.waitForSelector('#chart-price-oi .chart-tooltip');
    const time = (await page.textContent('#chart-price-oi .chart-tooltip strong')).trim();
    const label = (await page.textContent('#chart-price-oi .chart-tooltip div span')).trim();
    const price = (await page.textContent('#chart-price-oi .chart-tooltip div b')).trim();
    assert.equal(label, 'BTC price');
    assert.match(time, /^\d{4}-\d\d-\d\d \d\d:\d\d$/);
    await page.click('#chart-price-oi button:has-text("Data table")');
    const row = page.locator('#chart-price-oi .chart-table tr', { hasText: time });
    assert.equal(await row.count(), 1, `the table has ${time}`);
    assert.equal((await row.locator('td').nth(1).textContent()).trim(), price);
  });

  test('wheel zooms, a preset narrows the range, double-click resets', async () => {
    const page = await gallery();
    const range = async () => chartBox(page).evaluate((b) => Number(b.dataset.to) - Number(b.dataset.from));
    const all = await range();
    const box = await chartBox(page).boundingBox();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -300);
    await page.waitForFunction((a) => {
      const b = document.querySelector('#chart-price-oi .chart-box');
      return Number(b.dataset.to) - Number(b.dataset.from) < a;
    }, all);
    await page.click('#chart-price-oi button:has-text("7D")');
    assert.equal(await range(), 7 * 86_400_000);
    await chartBox(page).dblclick();
    await page.waitForFunction((a) => {
      const b = document.querySelector('#chart-price-oi .chart-box');
      return Number(b.dataset.to) - Number(b.dataset.from) === a;
    }, all);
  });

  test('the legend hides a series (tooltip and table lose it)', async () => {
    const page = await gallery();
    const oi = page.locator('#chart-price-oi .legend-item', { hasText: 'Open interest' });
    await oi.click();
    assert.equal(await oi.getAttribute('aria-pressed'), 'false');
    await page.click('#chart-price-oi button:has-text("Data table")');
    const headers = await page.locator('#chart-price-oi .chart-table th').allTextContents();
    assert.ok(!headers.some((h) => h.includes('Open interest')), headers.join());
  });

  test('PNG and CSV export download the chart and the data in view', async () => {
    const page = await gallery();
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('#chart-price-oi button:has-text("PNG")')]);
    const bytes = await readFile(await png.path());
    assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
    await page.click('#chart-price-oi button:has-text("7D")');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#chart-price-oi button:has-text("CSV")')]);
    const lines = (await readFile(await csv.path(), 'utf8')).trim().split('\n');
    assert.match(lines[0], /^time \(UTC\),BTC price,Open interest \(BTC\)$/);
    assert.ok(lines.length >= 7 * 24 && lines.length <= 7 * 24 + 3, `${lines.length} rows for 7 days hourly`);
  });

  test('an annotation link navigates to the glossary term that explains it', async () => {
    const page = await gallery();
    const link = page.locator('#chart-price-oi .chart-events a').first();
    const title = (await link.textContent()).trim();
    await link.click();
    await page.waitForFunction((t) => document.querySelector('main h1')?.textContent.trim() === t, title);
  });

  test('a zoomed range goes into the link, and the link restores it', async () => {
    const page = await gallery();
    await page.click('#chart-price-oi button:has-text("7D")');
    await page.waitForFunction(() => /[?&]range=\d+~\d+/.test(location.search));
    const link = page.url();
    const range = await chartBox(page).evaluate((b) => [b.dataset.from, b.dataset.to]);
    const other = await gallery();
    await other.goto(link);
    await appReady(other);
    await other.waitForFunction(
      ([from, to]) => {
        const b = document.querySelector('#chart-price-oi .chart-box');
        return b?.dataset.from === from && b?.dataset.to === to;
      },
      range,
    );
    // A hostile range falls back to the whole data, without errors.
    await other.goto(`${site.url}?page=charts&range=abc~-1`);
    await appReady(other);
    await other.waitForFunction(() => Number(document.querySelector('#chart-price-oi .chart-box')?.dataset.to) > 1e12);
    assert.deepEqual(other.problems, []);
  });

  test('every static chart has a summary and a data table', async () => {
    const page = await gallery();
    const charts = page.locator('main figure.chart:not(.time-chart)');
    assert.equal(await charts.count(), 5);
    for (let i = 0; i < 5; i++) {
      const chart = charts.nth(i);
      assert.ok((await chart.locator('canvas').getAttribute('aria-label')).length > 20);
      await chart.locator('button', { hasText: 'Data table' }).click();
      assert.ok((await chart.locator('.chart-table tbody tr').count()) > 0, `chart ${i} has rows`);
    }
  });

  test('keyboard moves the crosshair, zooms with + and resets with 0, as its label says', async () => {
    const page = await gallery();
    await chartBox(page).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('#chart-price-oi .chart-tooltip');
    assert.match(await page.textContent('#chart-price-oi .chart-tooltip'), /BTC price/);
    assert.match(await chartBox(page).getAttribute('aria-label'), /0 resets/);
    const span = async () => {
      const box = chartBox(page);
      return Number(await box.getAttribute('data-to')) - Number(await box.getAttribute('data-from'));
    };
    const full = await span();
    await page.keyboard.press('+');
    await page.waitForFunction((w) => {
      const b = document.querySelector('#chart-price-oi .chart-box');
      return Number(b.dataset.to) - Number(b.dataset.from) < w;
    }, full);
    await page.keyboard.press('0');
    await page.waitForFunction((w) => {
      const b = document.querySelector('#chart-price-oi .chart-box');
      return Number(b.dataset.to) - Number(b.dataset.from) === w;
    }, full);
  });

  test('crisp on HiDPI: the backing store is CSS size × dpr', async () => {
    for (const dpr of [1, 2]) {
      const page = await gallery({ deviceScaleFactor: dpr });
      const sizes = await page.evaluate(() => {
        const c = document.querySelector('#chart-price-oi canvas');
        const r = c.getBoundingClientRect();
        return { w: c.width, h: c.height, cw: r.width, ch: r.height, dpr: window.devicePixelRatio };
      });
      assert.equal(sizes.dpr, dpr);
      assert.equal(sizes.w, Math.round(sizes.cw * dpr));
      assert.equal(sizes.h, Math.round(sizes.ch * dpr));
    }
  });

  test('in the system theme, the canvases redraw when the OS scheme or the pixel ratio changes', async () => {
    const page = await gallery({ colorScheme: 'light' });
    assert.equal(await page.getAttribute('html', 'data-theme'), 'system');
    // Mean brightness of the painted pixels (the dark theme paints light text and lines), then whether it moved
    // more than `by` from `from`.
    const moved = ({ from, by }) => {
      const c = document.querySelector('#chart-price-oi canvas');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let sum = 0;
      let n = 0;
      for (let i = 0; i < d.length; i += 4 * 13) {
        if (d[i + 3] === 0) continue;
        sum += (d[i] + d[i + 1] + d[i + 2]) / 3;
        n += 1;
      }
      const mean = n ? sum / n : -1;
      return from === undefined ? mean : by < 0 ? Math.abs(mean - from) <= -by : Math.abs(mean - from) > by;
    };
    const light = await page.evaluate(moved, {});
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.waitForFunction(moved, { from: light, by: 20 });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.waitForFunction(moved, { from: light, by: -1 });

    // The pixel ratio changes without a window resize (zoom, or the window moved to another screen).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 900, deviceScaleFactor: 2, mobile: false });
    // Headless Chromium re-evaluates media queries only when it produces a frame; a capture makes one.
    await cdp.send('Page.captureScreenshot', {});
    await page.waitForFunction(() => {
      const c = document.querySelector('#chart-price-oi canvas');
      return window.devicePixelRatio === 2 && c.width === Math.round(c.getBoundingClientRect().width * 2);
    });
    assert.deepEqual(page.problems, []);
  });
});

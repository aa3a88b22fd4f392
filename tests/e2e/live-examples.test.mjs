// End-to-end: the live example on every term page, on the embedded sample — it renders, it reads numbers, its
// controls recompute it without a reload, and a link carries its inputs (validated).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

import { serveStatic } from './static-server.mjs';
import { appReady, launch, openPage } from './browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const SLUGS = [
  'leverage-mechanics', 'leverage-and-liquidation-risks', 'leverage-skew', 'leverage-concentration',
  'leverage-dependency', 'leverage-ratio-monitoring', 'order-flow-imbalances', 'leverage-deleveraging-spiral',
  'systemic-leverage-risk', 'systemic-leverage-contagion', 'leverage-cycles', 'systemic-leverage-cycles',
  'leverage-deleveraging-cycles', 'leverage-management-in-cppi', 'options-trading-leverage',
  'leverage-dynamics-assessment', 'systemic-leverage',
];

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

/** Opens a term page (with extra query) and waits for its live example to read numbers. */
async function termPage(query, page) {
  page ??= await openPage(browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(`${site.url}?term=${query}`);
  await appReady(page);
  await page.waitForFunction(() => /\d/.test(document.querySelector('#live-example .reading')?.textContent ?? ''), null, {
    timeout: 20000,
  });
  return page;
}

/** What the example shows as text: the sentence and every key number. */
const output = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('#live-example .reading, #live-example .fact')].map((e) => e.textContent).join(' | '),
  );

/** The number of distinct colours on each canvas of the example (a blank canvas has one or two). */
const canvasColours = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('#live-example canvas')].map((c) => {
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const colours = new Set();
      for (let i = 0; i < data.length; i += 4 * 97) colours.add(data[i] * 65536 + data[i + 1] * 256 + data[i + 2]);
      return colours.size;
    }),
  );

const fact = async (page, key) => (await page.textContent(`#live-example [data-fact="${key}"] dd`))?.trim();

describe('live examples on the embedded sample', () => {
  for (const slug of SLUGS) {
    test(`${slug}: renders its example and a control changes the output`, async () => {
      const page = await termPage(slug);
      const reading = await page.textContent('#live-example .reading');
      assert.match(reading, /\d/, 'the reading has numbers');
      assert.equal(await page.locator('#live-example .unavailable, #live-example .message.bad').count(), 0, 'no error');
      // Charts draw after layout; wait a frame or two.
      await page.waitForFunction(() => document.querySelectorAll('#live-example canvas').length > 0);
      await page.waitForTimeout(150);
      const colours = await canvasColours(page);
      assert.ok(colours.length >= 1, 'at least one chart');
      assert.ok(colours.every((c) => c > 3), `a canvas looks blank: ${colours}`);

      // Try the controls in order until one changes what the example says; at least one must.
      const before = await output(page);
      let changed = false;
      const controls = await page.locator('#live-example .control').all();
      for (const control of controls) {
        const number = control.locator('input[type=number]');
        if ((await number.count()) > 0) {
          const min = Number(await number.getAttribute('min'));
          const max = Number(await number.getAttribute('max'));
          const current = Number((await number.inputValue()) || NaN);
          const next = Number.isFinite(current) ? Math.min(max, Math.max(min, current * 1.5 + (current === 0 ? 1 : 0))) : null;
          if (next === null || next === current) continue;
          await number.fill(String(next));
        } else {
          const select = control.locator('select');
          const values = await select.locator('option').evaluateAll((os) => os.map((o) => o.value).filter((v) => v));
          const current = await select.inputValue();
          const other = values.find((v) => v !== current);
          if (!other) continue;
          await select.selectOption(other);
        }
        try {
          await page.waitForFunction((b) => {
            const now = [...document.querySelectorAll('#live-example .reading, #live-example .fact, #live-example .unavailable')]
              .map((e) => e.textContent)
              .join(' | ');
            return now !== b && now.length > 0;
          }, before, { timeout: 3000 });
          changed = true;
          break;
        } catch {
          // This control did not change the numbers (e.g. a venue with identical data); try the next.
        }
      }
      assert.ok(changed, 'some control changes the output');
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  }

  test('Leverage Mechanics takes its inputs from the link and reproduces the result', async () => {
    // Short 10× at 10 with a flat 0.5 % MMR: liquidation at 10 × (1 + 1/10 − 0.005) = 10.95.
    const page = await termPage('leverage-mechanics&side=short&entry=10&lev=10&mmr=0.5&wallet=1000');
    assert.equal(await fact(page, 'liquidation-price'), '$10.95');
    assert.equal(await fact(page, 'notional'), '$10,000');
    assert.equal(await page.inputValue('#control-lev'), '10');
    assert.equal(await page.inputValue('#control-side'), 'short');
    assert.equal(await page.locator('.validation').count(), 0);
    await page.context().close();
  });

  test('a moved control goes into the link, and the link opened elsewhere shows the same numbers', async () => {
    const page = await termPage('leverage-mechanics');
    await page.fill('#control-lev', '20');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('lev') === '20');
    await page.waitForFunction(() => /20×/.test(document.querySelector('#live-example .reading').textContent));
    const url = page.url();
    const shown = await output(page);
    const other = await openPage(browser);
    await other.goto(url);
    await other.waitForFunction((s) => {
      const now = [...document.querySelectorAll('#live-example .reading, #live-example .fact')].map((e) => e.textContent).join(' | ');
      return now === s;
    }, shown, { timeout: 20000 });
    await other.context().close();
    await page.context().close();
  });

  test('hostile or out-of-range link values show a validation message and fall back to defaults', async () => {
    const hostile = encodeURIComponent('<img src=x onerror=alert(1)>');
    const page = await termPage(`leverage-mechanics&lev=500&entry=${hostile}&side=sideways&venue=evil.example`);
    const message = await page.textContent('.validation');
    assert.match(message, /Leverage must be between 1× and 125×; using 10×/);
    assert.match(message, /Entry price: .* is not a number/);
    assert.match(message, /Side: .* is not one of the choices/);
    assert.match(message, /Venue: .* is not a venue of this site/);
    assert.equal(await page.locator('main img').count(), 0, 'no injected markup');
    assert.equal(await page.inputValue('#control-lev'), '10');
    assert.match(await page.textContent('#live-example .reading'), /10× long/);
    // A bad value typed into the page is refused next to the field and the last good numbers stay.
    const shown = await output(page);
    await page.fill('#control-lev', '0');
    await page.waitForSelector('#control-lev-error:not(:empty)');
    assert.match(await page.textContent('#control-lev-error'), /between 1× and 125×/);
    assert.equal(await output(page), shown);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a venue without the data is explained, and the offered venue works', async () => {
    const page = await openPage(browser);
    await page.goto(`${site.url}?term=options-trading-leverage&venue=binance`);
    await appReady(page);
    await page.waitForSelector('#live-example .unavailable');
    assert.match(await page.textContent('#live-example .unavailable'), /Binance has no options/);
    await page.click('#live-example .unavailable button[data-venue="deribit"]');
    await page.waitForFunction(() => /\d/.test(document.querySelector('#live-example .reading')?.textContent ?? ''));
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('the overview dashboard shows every tile with a verdict, linked to its term', async () => {
    const page = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    await page.goto(site.url);
    await appReady(page);
    await page.waitForFunction(() => document.querySelectorAll('#dynamics [data-tile]').length >= 6, null, { timeout: 20000 });
    const keys = await page.locator('#dynamics [data-tile]').evaluateAll((ts) => ts.map((t) => t.dataset.tile));
    for (const k of ['funding', 'quadrant', 'basis', 'skew', 'leverage', 'hot-zones']) assert.ok(keys.includes(k), k);
    assert.match(await page.textContent('#dynamics .verdict'), /\w/);
    const btc = await page.textContent('#dynamics .tiles');
    await page.selectOption('#dashboard-asset', 'ETH');
    await page.waitForFunction((b) => document.querySelector('#dynamics .tiles').textContent !== b, btc);
    assert.match(page.url(), /asset=ETH/);
    await page.click('#dynamics [data-tile="funding"]');
    await page.waitForFunction(() => location.pathname.endsWith('/leverage-skew.html') && document.querySelector('main h1') !== null);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

describe('the sample tells its scale, and the inverse calculator', () => {
  test('every view of the sample says its sizes are calibrated, with the sources one click away', async () => {
    const page = await termPage('systemic-leverage&data=sample');
    const note = page.locator('#live-example .data-status .sample-scale');
    assert.match(await note.textContent(), /Sizes calibrated to January 2025, not measured \(sources\)\./);
    const href = await note.locator('a').getAttribute('href');
    await page.goto(new URL(href, page.url()).href);
    // A static page: the whole table, its sources, and no policy violation (no script, no inline style).
    assert.match(await page.textContent('h1'), /Calibration of the embedded sample \(January 2025\)/);
    assert.ok((await page.locator('table tr').count()) > 40);
    assert.ok((await page.locator('a[href^="https://"]').count()) >= 10);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('an inverse short from a link shows Bybit’s example: fee to close, bankruptcy and liquidation prices', async () => {
    // 30,000 USD at 60,000, 10× (3,000 USD of margin), MMR 0.5 %, taker 0.055 %, computed here from the formulas:
    // fee to close (Q/EP)(1 − 1/L)·f, bankruptcy EP·L/(L − 1), liquidation Q(1 − MMR)/(Q/EP − Q/(EP·L)).
    const page = await termPage('leverage-mechanics&contract=inverse&side=short&entry=60000&wallet=3000&lev=10&mmr=0.5&fee=0.055');
    const dollars = (v) => `$${Math.round(v).toLocaleString('en-US')}`;
    assert.equal(await fact(page, 'fee-to-close'), `${(0.5 * 0.9 * 0.00055).toFixed(8)} BTC`);
    assert.equal(await fact(page, 'bankruptcy-price'), dollars((60000 * 10) / 9));
    assert.equal(await fact(page, 'liquidation-price'), dollars((30000 * 0.995) / (0.5 - 0.05)));
    assert.match(page.url(), /contract=inverse/);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

// End-to-end: live data through the local mock exchange. The release dist/ is copied to a temp folder with a
// config.json that points every venue at the mock, and the browser clock is set to the data set's time so the
// app's "last 30 days" is the mock's 30 days.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

import { appReady, openPage } from './browser.mjs';
import { startLiveSite } from './live-site.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// The simulator's own month (make test-e2e writes it from Rust), else the mock's small hand-made fixture.
const generated = join(here, 'artifacts', 'sample-dataset.json');
const dataFile = existsSync(generated) ? generated : join(here, 'mock', 'fixture-dataset.json');

let live;
let mock;
let site;
let browser;
let siteDir;
let dataSet;

before(async () => {
  dataSet = JSON.parse(await readFile(dataFile, 'utf8'));
  live = await startLiveSite(dataSet, 'manual');
  ({ mock, site, siteDir, browser } = live);
});

after(async () => {
  await live?.close();
});

beforeEach(() => {
  mock.clearFaults();
  mock.clearRequests();
});

/** A page on the data page with the clock at the data set's time and storage shared within the context. */
async function dataPage(context) {
  const page = context ? await context.newPage() : await openPage(browser, { acceptDownloads: true });
  page.problems ??= [];
  await page.clock.setFixedTime(new Date(dataSet.as_of_ms));
  await page.goto(`${site.url}?page=data`);
  await appReady(page);
  await page.waitForFunction(() => !document.querySelector('#try-fetch')?.disabled);
  return page;
}

async function fetchFunding(page, venue, asset = 'BTC') {
  await page.selectOption('#try-asset', asset);
  await page.selectOption('#try-venue', venue);
  await page.click('#try-fetch');
  await page.waitForSelector('.fetch-result .message');
  return (await page.textContent('.fetch-result')).replace(/\s+/g, ' ');
}

const requestsTo = (venue) => mock.requests.filter((r) => r.venue === venue && r.method !== 'OPTIONS');

describe('live data through the mock exchange', () => {
  test('a live request shows the data with status "live", then a reload is served from the cache', async () => {
    const page = await dataPage();
    const text = await fetchFunding(page, 'binance');
    assert.match(text, /Binance: \d+ funding payments, live/);
    const rows = await page.locator('.fetch-result tbody tr').count();
    assert.ok(rows > 0, 'rows shown');
    const sent = requestsTo('binance').length;
    assert.ok(sent >= 1, 'the mock was asked');
    assert.match(await page.textContent('.data-badge'), /live/);

    await page.reload();
    await appReady(page);
    await page.waitForFunction(() => !document.querySelector('#try-fetch')?.disabled);
    const again = await fetchFunding(page, 'binance');
    assert.match(again, /Binance: \d+ funding payments, cached, \d+ s old/);
    assert.equal(requestsTo('binance').length, sent, 'no new request: the cache answered');
  });

  test('a geo-blocked venue (451 without CORS) is reported and the next venue answers', async () => {
    mock.setFault('binance', { type: 'geo-block' });
    const page = await dataPage();
    const text = await fetchFunding(page, 'binance');
    assert.match(text, /Bybit: \d+ funding payments, live/);
    assert.match(text, /Skipped: Binance \(Binance is blocked or unreachable from this browser\)/);
    const row = page.locator('tr[data-venue=binance]');
    assert.match(await row.textContent(), /failed.*blocked or unreachable/);
    // Retry clears the mark; with the fault gone the venue answers again.
    mock.clearFaults();
    await row.locator('button', { hasText: 'Retry' }).click();
    const text2 = await fetchFunding(page, 'binance');
    assert.match(text2, /Binance: \d+ funding payments/);
  });

  // Every other fault the mock can inject on one venue: its message is shown and the next venue answers.
  const faults = [
    [{ type: 'ban' }, /Skipped: Binance \(Binance paused requests from this address for 2 min \(HTTP 418\)\)/],
    [{ type: 'cloudfront-403' }, /Skipped: Binance \(Binance is blocked or unreachable from this browser\)/],
    [{ type: 'no-cors' }, /Skipped: Binance \(Binance is blocked or unreachable from this browser\)/],
    [{ type: 'truncated' }, /Skipped: Binance \(Binance sent something that is not JSON/],
    [{ type: 'html' }, /Skipped: Binance \(Binance sent something that is not JSON \(it starts with “<!/],
    [{ type: 'wrong-types' }, /Skipped: Binance \(Binance sent data in an unexpected format/],
  ];
  for (const [fault, message] of faults) {
    test(`fault ${fault.type}: reported, and the next venue answers`, async () => {
      mock.setFault('binance', fault);
      const page = await dataPage();
      const text = await fetchFunding(page, 'binance');
      assert.match(text, message);
      assert.match(text, /Bybit: \d+ funding payments, live/);
    });
  }

  test('an empty answer is shown as no data, not as an error', async () => {
    mock.setFault('binance', { type: 'empty' });
    const page = await dataPage();
    assert.match(await fetchFunding(page, 'binance'), /Binance: 0 funding payments, live/);
  });

  test('a slow answer past the 10 s limit is retried', async () => {
    mock.setFault('binance', { type: 'slow', delayMs: 12000, times: 1 });
    const page = await dataPage();
    await page.selectOption('#try-venue', 'binance');
    await page.click('#try-fetch');
    await page.waitForSelector('.fetch-result .message', { timeout: 30000 });
    assert.match(await page.textContent('.fetch-result'), /Binance: \d+ funding payments, live/);
    assert.ok(requestsTo('binance').length >= 2, 'timed out once, then retried');
  });

  test('429 with Retry-After is retried and then succeeds', async () => {
    mock.setFault('bybit', { type: 'rate-limit', retryAfter: 1, times: 1 });
    const page = await dataPage();
    const text = await fetchFunding(page, 'bybit');
    assert.match(text, /Bybit: \d+ funding payments, live/);
    const statuses = requestsTo('bybit').map((r) => r.status);
    assert.equal(statuses[0], 429);
    assert.ok(statuses.slice(1).every((s) => s === 200), JSON.stringify(statuses));
  });

  test('a venue that keeps failing, and broken answers, give clear messages; the page keeps working', async () => {
    mock.setFault('*', { type: 'bad-json' });
    const page = await dataPage();
    const text = await fetchFunding(page, 'hyperliquid');
    assert.match(text, /No venue could answer/);
    assert.match(text, /Hyperliquid: Hyperliquid sent something that is not JSON/);
    // Navigation and the glossary still work.
    await page.click('.sidebar a[href="leverage-skew.html"]');
    await page.waitForFunction(() => document.querySelector('main h1')?.textContent.trim() === 'Leverage Skew');
  });

  test('server errors are retried, then the venue is skipped for the next one', async () => {
    mock.setFault('dydx', { type: 'server-error', status: 503 });
    const page = await dataPage();
    const text = await fetchFunding(page, 'dydx');
    assert.match(text, /Skipped: dYdX \(dYdX had a server error \(HTTP 503\)\)/);
    assert.match(text, /Binance: \d+ funding payments/);
    assert.equal(requestsTo('dydx').length, 4, 'four attempts before giving up');
  });

  test('a stream delivers best quotes, reconnects after a refused upgrade, and closes when the page is left', async () => {
    mock.setFault('binance', { type: 'server-error', times: 1, path: 'bookTicker' });
    const page = await dataPage();
    await page.click('#binance-quotes-btc button');
    await page.waitForFunction(
      () => {
        const panel = document.querySelector('#binance-quotes-btc');
        return /connected/.test(panel.querySelector('.stream-status').textContent) &&
          parseInt(panel.querySelector('.stream-count').textContent, 10) >= 3;
      },
      null,
      { timeout: 20000 },
    );
    assert.match(await page.textContent('#binance-quotes-btc .stream-last'), /bid \d+\.\d × /);
    const upgrades = () => mock.requests.filter((r) => r.method === 'WS' && /bookTicker/.test(r.path));
    assert.equal(upgrades()[0].status, 503, 'the first upgrade was refused');
    assert.ok(upgrades().some((r) => r.status === 101), 'and a reconnect got through');

    await page.click('.sidebar a[href="order-flow-imbalances.html"]');
    await page.waitForFunction(() => document.querySelector('main h1')?.textContent.trim() === 'Order Flow Imbalances');
    const open = upgrades().find((r) => r.status === 101);
    for (let i = 0; i < 50 && !open.closed; i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(open.closed, 'leaving the page closed the stream');
  });

  test('snapshot export then import restores exactly the same data; a bad file is refused clearly', async () => {
    const page = await dataPage();
    await fetchFunding(page, 'binance');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Download snapshot')]);
    const first = await readFile(await download.path(), 'utf8');
    const exported = JSON.parse(first);
    assert.equal(exported.format, 'leverage-lens-snapshot');
    assert.equal(exported.version, 1);

    const file = join(siteDir, 'view-1.json');
    await writeFile(file, first);
    await page.setInputFiles('input[type=file]', file);
    await page.waitForSelector('.data-page .message.good >> text=Loaded snapshot');
    assert.match(await page.textContent('.data-origin'), /snapshot “view-1.json”/);

    const [download2] = await Promise.all([page.waitForEvent('download'), page.click('text=Download snapshot')]);
    const second = JSON.parse(await readFile(await download2.path(), 'utf8'));
    assert.deepEqual(second.data.entries, exported.data.entries, 'same data after the round trip');
    const normalise = (s) => JSON.stringify({ ...s, created_ms: 0, data: { ...s.data, origin: null } });
    assert.equal(normalise(second), normalise(exported), 'byte-identical apart from time and origin');

    const bad = join(siteDir, 'bad.json');
    await writeFile(bad, '{"format":"leverage-lens-snapshot","version":99,"data":{}}');
    await page.setInputFiles('input[type=file]', bad);
    await page.waitForSelector('.data-page .message.bad');
    assert.match(await page.textContent('.data-page .message.bad'), /version 99, newer than this site understands/);
  });

  test('?snapshot= loads a file hosted next to the site, and refuses other hosts', async () => {
    const page = await dataPage();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Download snapshot')]);
    await writeFile(join(siteDir, 'shared-view.json'), await readFile(await download.path()));
    await page.goto(`${site.url}?page=data&snapshot=shared-view.json`);
    await appReady(page);
    await page.waitForFunction(() => /snapshot/.test(document.querySelector('.data-origin')?.textContent ?? ''));

    await page.goto(`${site.url}?page=data&snapshot=${encodeURIComponent('https://evil.example/x.json')}`);
    await appReady(page);
    await page.waitForSelector('.notices li');
    assert.match(await page.textContent('.notices'), /not a snapshot file next to this site/);
    assert.match(await page.textContent('.data-origin'), /simulated sample/);
  });
});

// End-to-end: the app as the open internet treats it. Live by default (the shipped config.json, with venues that
// cannot be reached from here, and the mock exchange), the faults real venues produce (resets mid-body, huge
// bodies, Retry-After as a date, refusals without CORS, 429 storms), sockets that drop, go quiet or want pings,
// a config.json that is broken or says "off", Copy link without a clipboard, and the crash banner.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

import { appReady, launch, openPage } from './browser.mjs';
import { deployConfig, startLiveSite } from './live-site.mjs';
import { serveStatic } from './static-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', '..', 'dist');
const dataSet = JSON.parse(await readFile(join(here, 'artifacts', 'sample-dataset.json'), 'utf8'));

/** Page errors only: a page that cannot reach a venue logs "Failed to load resource", which is the point here. */
const pageErrors = (page) => page.problems.filter((p) => p.startsWith('pageerror'));

describe('live by default, with the shipped config.json and no venue reachable', () => {
  let site;
  let browser;
  before(async () => {
    site = await serveStatic(dist, '/lens/', { config: null });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  test('the page waits at most 1.5 s, then shows the sample labelled with the reason', async () => {
    const page = await openPage(browser);
    const started = Date.now();
    await page.goto(`${site.url}leverage-skew.html`);
    await appReady(page);
    // While the venues are asked, the example is held back behind a loading note.
    await page.waitForSelector('#live-example .live-example-inner.loading .example-loading', { timeout: 5000 });
    await page.waitForSelector('#live-example .live-example-inner:not(.loading)', { timeout: 5000 });
    assert.ok(Date.now() - started < 6000);
    await page.waitForFunction(
      () => /unreachable from this browser/.test(document.querySelector('#live-example .data-status')?.textContent ?? ''),
      null,
      { timeout: 15000 },
    );
    const status = await page.textContent('#live-example .data-status');
    assert.match(status, /Data: simulated sample — .*Binance.* unreachable from this browser/);
    assert.match(await page.textContent('#live-example .reading'), /\d/);
    assert.match(await page.getAttribute('.data-badge', 'title'), /simulated sample — .* unreachable from this browser/);
    // Every page of the build carries the policy, with the venues config.json enables.
    const html = await (await fetch(`${site.url}leverage-skew.html`)).text();
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="[^"]*connect-src 'self' https:\/\/fapi\.binance\.com/);
    assert.deepEqual(pageErrors(page), []);
    await page.context().close();
  });
});

describe('live by default against the mock exchange', () => {
  let live;
  before(async () => {
    live = await startLiveSite(dataSet, 'auto', { disabled: ['dydx', 'okx'] });
  });
  after(() => live?.close());
  beforeEach(() => {
    live.mock.clearFaults();
    live.mock.clearRequests();
  });

  const binanceRequests = () => live.mock.requests.filter((r) => r.venue === 'binance' && r.method === 'GET');

  test('live numbers replace the sample; a reload within the time-to-live is served from the cache', async () => {
    const context = await live.browser.newContext();
    const page = await context.newPage();
    page.problems = [];
    page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
    await page.clock.setFixedTime(new Date(dataSet.as_of_ms));
    await page.goto(`${live.site.url}leverage-skew.html?venue=binance`);
    await appReady(page);
    await page.waitForFunction(() => /Binance live/.test(document.querySelector('#live-example .data-status')?.textContent ?? ''), null, { timeout: 15000 });
    assert.match(await page.textContent('.data-badge'), /live/);
    const asked = binanceRequests().length;
    assert.ok(asked > 0);

    await page.clock.setFixedTime(new Date(dataSet.as_of_ms + 60_000));
    await page.reload();
    await appReady(page);
    await page.waitForFunction(() => /Binance cached, 1 min old/.test(document.querySelector('#live-example .data-status')?.textContent ?? ''), null, { timeout: 15000 });
    assert.equal(binanceRequests().length, asked, 'the reload sent nothing to Binance');
    assert.deepEqual(page.problems, []);
    await context.close();
  });
});

describe('faults real venues produce', () => {
  let live;
  before(async () => {
    live = await startLiveSite(dataSet, 'manual');
  });
  after(() => live?.close());
  beforeEach(() => {
    live.mock.clearFaults();
    live.mock.clearRequests();
  });

  const requestsTo = (venue) => live.mock.requests.filter((r) => r.venue === venue && r.method !== 'OPTIONS' && r.method !== 'WS');

  /** The data page; the clock at the data set's time unless `realClock` (an HTTP-date is read against it). */
  async function dataPage({ realClock = false } = {}) {
    const page = await openPage(live.browser);
    if (!realClock) await page.clock.setFixedTime(new Date(dataSet.as_of_ms));
    await page.goto(`${live.site.url}?page=data`);
    await appReady(page);
    await page.waitForFunction(() => !document.querySelector('#try-fetch')?.disabled);
    return page;
  }

  async function fetchFunding(page, venue) {
    await page.selectOption('#try-venue', venue);
    await page.click('#try-fetch');
    await page.waitForSelector('.fetch-result .message', { timeout: 30000 });
    return (await page.textContent('.fetch-result')).replace(/\s+/g, ' ');
  }

  test('a connection reset mid-body is retried once, then the venue cools down instead of being asked again', async () => {
    live.mock.setFault('binance', { type: 'reset' });
    const page = await dataPage();
    const text = await fetchFunding(page, 'binance');
    assert.match(text, /Skipped: Binance \(Binance is blocked or unreachable from this browser\)/);
    assert.match(text, /Bybit: \d+ funding payments, live/);
    assert.equal(requestsTo('binance').length, 2, 'one retry');
    // Asked again at once: the venue is cooling down, so nothing is sent to it.
    await page.click('#try-fetch');
    await page.waitForFunction(() => /asking again after a pause/.test(document.querySelector('.fetch-result')?.textContent ?? ''));
    assert.equal(requestsTo('binance').length, 2, 'no request during the cool-down');
    // Retry on the venue's row lifts the cool-down.
    live.mock.clearFaults();
    await page.locator('tr[data-venue=binance] button.retry').click();
    assert.match(await fetchFunding(page, 'binance'), /Binance: \d+ funding payments, live/);
    assert.deepEqual(pageErrors(page), []);
    await page.context().close();
  });

  for (const contentLength of [false, true]) {
    test(`a 200 MB body${contentLength ? ' with its Content-Length' : ''} is cut off at 8 MB, and the next venue answers`, async () => {
      live.mock.setFault('binance', { type: 'huge', contentLength, bytes: 200_000_000 });
      const page = await dataPage();
      const text = await fetchFunding(page, 'binance');
      assert.match(text, /Skipped: Binance \(Binance sent more than 8 MB; the answer was not read\)/);
      assert.match(text, /Bybit: \d+ funding payments, live/);
      const sent = requestsTo('binance').map((r) => r.bytesSent ?? 0);
      // What the mock wrote is not what the app read: on loopback the kernel's socket buffers alone take up to
      // tcp_rmem + tcp_wmem (36 MB on a stock Debian 12) before the browser closes the socket. An app that kept
      // reading would take all 200 MB; one that stopped at 8 MB leaves most of it unsent.
      assert.ok(sent.every((b) => b < 100_000_000), `the app stopped reading: ${sent}`);
      assert.deepEqual(pageErrors(page), []);
      await page.context().close();
    });
  }

  test('Retry-After as an HTTP-date is honoured', async () => {
    live.mock.setFault('bybit', { type: 'rate-limit', retryAfter: 2, retryAfterDate: true, times: 1 });
    const page = await dataPage({ realClock: true });
    assert.match(await fetchFunding(page, 'bybit'), /Bybit: \d+ funding payments, live/);
    const [limited, ok] = requestsTo('bybit');
    assert.equal(limited.status, 429);
    assert.equal(ok.status, 200);
    assert.ok(ok.time - limited.time >= 1000, `waited ${ok.time - limited.time} ms`);
    await page.context().close();
  });

  for (const type of ['server-error', 'rate-limit']) {
    test(`a ${type === 'rate-limit' ? '429' : '5xx'} without CORS headers reads as unreachable, and the next venue answers`, async () => {
      live.mock.setFault('binance', { type, cors: false });
      const page = await dataPage();
      const text = await fetchFunding(page, 'binance');
      assert.match(text, /Skipped: Binance \(Binance is blocked or unreachable from this browser\)/);
      assert.match(text, /Bybit: \d+ funding payments, live/);
      assert.deepEqual(pageErrors(page), []);
      await page.context().close();
    });
  }

  test('a 429 storm: the venue is paused as a whole, asked a bounded number of times, and used again after', async () => {
    live.mock.setFault('bybit', { type: 'rate-limit', retryAfter: 1, untilMs: Date.now() + 60_000 });
    const page = await dataPage();
    const text = await fetchFunding(page, 'bybit');
    assert.match(text, /Skipped: Bybit \(Bybit is rate-limiting requests \(HTTP 429\)/);
    assert.match(text, /funding payments, live/);
    assert.ok(requestsTo('bybit').length <= 4, `${requestsTo('bybit').length} requests in the storm`);
    live.mock.clearFaults();
    await page.locator('tr[data-venue=bybit] button.retry').click();
    assert.match(await fetchFunding(page, 'bybit'), /Bybit: \d+ funding payments, live/);
    assert.deepEqual(pageErrors(page), []);
    await page.context().close();
  });

  test('sockets that drop after one frame back off, quiet ones are replaced, pinged ones stay up', async () => {
    // Binance quotes: one frame, then closed, every time. Bybit liquidations: open but silent (no pong either).
    // Hyperliquid's book: closed by the venue unless a ping arrives within 35 s (the app pings every 30 s).
    live.mock.setFault('binance', { type: 'ws-one-frame' });
    live.mock.setFault('bybit', { type: 'ws-silent', times: 1 });
    live.mock.setFault('hyperliquid', { type: 'ws-needs-ping', pingTimeoutMs: 35_000, times: 1 });
    const page = await openPage(live.browser);
    await page.goto(`${live.site.url}?page=data`);
    await appReady(page);
    await page.waitForFunction(() => !document.querySelector('#binance-quotes-btc button')?.disabled);
    for (const id of ['binance-quotes-btc', 'bybit-liquidations-btc', 'hyperliquid-book-btc']) {
      await page.click(`#${id} button`);
    }
    await page.waitForTimeout(45_000);
    const sockets = (venue) => live.mock.requests.filter((r) => r.venue === venue && r.method === 'WS');
    // Without a backoff that survives one-frame connections this would be ~45 (one a second) or more.
    assert.ok(sockets('binance').length <= 12, `${sockets('binance').length} Binance connections in 45 s`);
    assert.ok(sockets('binance').length >= 3, 'it kept trying');
    // The silent Bybit socket was replaced after 40 s of nothing, and the new one delivers.
    assert.ok(sockets('bybit').length >= 2, 'the quiet socket was replaced');
    assert.ok(sockets('bybit')[0].pings >= 1, 'it was pinged before being given up');
    assert.match(await page.textContent('#bybit-liquidations-btc .stream-status'), /connected|went quiet/);
    // The Hyperliquid socket is still the first one: its pings kept it open past the venue's 35 s limit.
    const [hl] = sockets('hyperliquid');
    assert.equal(sockets('hyperliquid').length, 1);
    assert.equal(hl.closed, undefined);
    assert.ok(hl.pings >= 1);
    assert.deepEqual(pageErrors(page), []);
    await page.context().close();
  });
});

describe('config.json fails closed, and "off" is off everywhere', () => {
  let live;
  before(async () => {
    live = await startLiveSite(dataSet, 'auto');
  });
  after(() => live?.close());

  test('a config.json that cannot be parsed means no live data, with a notice and disabled buttons', async () => {
    await writeFile(join(live.siteDir, 'config.json'), '{"live": "auto", "venues": {');
    live.mock.clearRequests();
    const page = await openPage(live.browser);
    await page.goto(`${live.site.url}?page=data`);
    await appReady(page);
    await page.waitForSelector('.notices li');
    assert.match(await page.textContent('.notices'), /config\.json: not valid .*live data is off until it is fixed/);
    assert.match(await page.textContent('.mode-text'), /switched off on this site/);
    assert.ok(await page.locator('button', { hasText: 'Use live data' }).isDisabled());
    assert.ok(await page.locator('#try-fetch').isDisabled());
    assert.ok(await page.locator('#binance-quotes-btc button').isDisabled());
    await page.goto(`${live.site.url}leverage-skew.html`);
    await appReady(page);
    await page.waitForTimeout(1500);
    assert.equal(live.mock.requests.length, 0, 'nothing was asked of any venue');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('unknown keys are reported; "off" sends nothing even from a link that asks for live data', async () => {
    await deployConfig(live.siteDir, { ...live.mock.config(), live: 'off', embed_origin: ['https://docs.example'] });
    live.mock.clearRequests();
    const page = await openPage(live.browser);
    await page.goto(`${live.site.url}?page=data&data=live`);
    await appReady(page);
    await page.waitForSelector('.notices li');
    assert.match(await page.textContent('.notices'), /unknown key “embed_origin” is ignored/);
    assert.ok(await page.locator('#try-fetch').isDisabled());
    assert.match(await page.textContent('.off-note'), /switched off/);
    await page.goto(`${live.site.url}?term=order-flow-imbalances&data=live`);
    await appReady(page);
    await page.waitForTimeout(1500);
    assert.equal(live.mock.requests.length, 0, 'no REST request and no socket');
    assert.match(await page.textContent('#live-example .data-status'), /simulated sample/);
    assert.deepEqual(page.problems, []);
    await page.context().close();
    await deployConfig(live.siteDir, live.mock.config());
  });
});

describe('what the visitor made is kept', () => {
  let site;
  let browser;
  before(async () => {
    site = await serveStatic(dist, '/lens/');
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });

  test('loading a snapshot leaves the saved choice of live data alone', async () => {
    const page = await openPage(browser);
    await page.goto(`${site.url}?page=data`);
    await appReady(page);
    await page.evaluate(() => localStorage.setItem('leverage-lens.live', '1'));
    const snapshot = { format: 'leverage-lens-snapshot', version: 1, created_ms: 0, view: '', data: { ...dataSet, origin: { kind: 'snapshot', name: 'x' } } };
    await page.setInputFiles('input[type=file]', { name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(snapshot)) });
    await page.waitForSelector('.data-page .message.good');
    assert.match(await page.textContent('.data-origin'), /snapshot “mine.json”/);
    assert.equal(await page.evaluate(() => localStorage.getItem('leverage-lens.live')), '1');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a snapshot file too large to be one is refused before it is read', async () => {
    const page = await openPage(browser);
    await page.goto(`${site.url}?page=data`);
    await appReady(page);
    await page.setInputFiles('input[type=file]', { name: 'big.json', mimeType: 'application/json', buffer: Buffer.alloc(21 * 1024 * 1024, 32) });
    await page.waitForSelector('.data-page .message.bad');
    assert.match(await page.textContent('.data-page .message.bad'), /The file is 21 MB; snapshots are at most 20 MB/);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('Copy link without a clipboard (plain http) shows the link selected for copying', async () => {
    const page = await openPage(browser);
    await page.addInitScript(() => {
      Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true });
    });
    await page.goto(`${site.url}leverage-skew.html?days=7`);
    await appReady(page);
    await page.click('#copy-link');
    await page.waitForFunction(() => document.activeElement?.id === 'share-link');
    assert.match(await page.textContent('.share-result'), /Copy this link/);
    const selected = await page.evaluate(() => {
      const input = document.activeElement;
      return input.value.slice(input.selectionStart, input.selectionEnd);
    });
    assert.match(selected, /leverage-skew\.html\?days=7/);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a crash shows "Something went wrong" with a Reload button that works', async () => {
    const page = await openPage(browser);
    await page.goto(`${site.url}leverage-skew.html`);
    await appReady(page);
    // A trap inside the wasm surfaces as a WebAssembly.RuntimeError; the banner does not need the wasm to show.
    await page.evaluate(() => setTimeout(() => { throw new WebAssembly.RuntimeError('unreachable'); }));
    await page.waitForSelector('.crash-banner[role=alert]');
    assert.match(await page.textContent('.crash-banner'), /Something went wrong/);
    assert.match(await page.textContent('.crash-banner pre'), /unreachable/);
    await Promise.all([page.waitForEvent('load'), page.click('.crash-banner button')]);
    await appReady(page);
    assert.equal(await page.locator('.crash-banner').count(), 0);
    await page.context().close();
  });

  test('hovering a chart and clicking an annotation marker navigates without an error', async () => {
    const page = await openPage(browser, { viewport: { width: 1280, height: 900 } });
    await page.goto(`${site.url}leverage-deleveraging-cycles.html`);
    await appReady(page);
    await page.waitForSelector('#live-example .marker-link', { timeout: 15000 });
    const chart = page.locator('#live-example .chart-box').first();
    await chart.hover();
    const marker = page.locator('#live-example .marker-link').first();
    await marker.hover();
    await marker.click();
    await page.waitForFunction(() => !location.pathname.endsWith('leverage-deleveraging-cycles.html') || /term=/.test(location.search));
    await page.waitForTimeout(300);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

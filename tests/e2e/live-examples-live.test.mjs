// End-to-end: term pages on live data from the local mock exchange. The mock serves the simulator's month with a
// few numbers changed, so a number that matches the change can only have come through the live path; each
// expected number is computed here from the data the mock served, not read from the app.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

import { appReady, openPage } from './browser.mjs';
import { startLiveSite } from './live-site.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const generated = join(here, 'artifacts', 'sample-dataset.json');
const DAY = 86_400_000;

let live;
let site;
let browser;
let data;

const entry = (venue, asset, item, extra = {}) =>
  data.entries.find((e) => e.venue === venue && e.asset === asset && e.item === item && Object.entries(extra).every(([k, v]) => e[k] === v));
const rowsOf = (venue, asset, item, extra) => entry(venue, asset, item, extra)?.payload.data ?? [];

// The app's sentence formatting (src/lesson/text.rs), for the expected strings.
const pct = (fraction, decimals) => `${(fraction * 100).toFixed(decimals)} %`;
const usd = (v) => {
  const a = Math.abs(v);
  const sign = v < 0 ? '−' : '';
  const body = a >= 1e9 ? `${(a / 1e9).toFixed(2)}bn`
    : a >= 1e6 ? `${(a / 1e6).toFixed(2)}M`
    : a >= 100 ? Math.round(a).toLocaleString('en-US')
    : a >= 1 ? a.toFixed(2) : a.toFixed(4);
  return `${sign}$${body}`;
};

before(async () => {
  data = JSON.parse(await readFile(generated, 'utf8'));
  // Changes only the live path can show: the last Binance BTC funding, long/short ratio and taker hour, and
  // every Deribit BTC option scaled by 1.1 (prices, strikes and underlying alike, so volatilities stay sane).
  const funding = rowsOf('binance', 'BTC', 'funding');
  funding[funding.length - 1].rate = 0.000321;
  const ratios = rowsOf('binance', 'BTC', 'ratio', { kind: 'global_accounts' });
  ratios[ratios.length - 1].ratio = 2.5;
  for (const r of rowsOf('binance', 'BTC', 'taker')) r.buy_base *= 1.5;
  for (const o of rowsOf('deribit', 'BTC', 'options')) {
    o.strike *= 1.1;
    o.underlying_price *= 1.1;
    o.mark_price_usd *= 1.1;
    o.instrument = o.instrument.replace(/-(\d+)-([CP])$/, (_, k, c) => `-${Math.round(Number(k) * 1.1)}-${c}`);
  }
  // dYdX and OKX are switched off: the mock would answer them from Binance's rows (the first venue with the data;
  // for dYdX under its own rules, open interest read from candles), which is the mock's logic, not a number this
  // test can compute independently.
  live = await startLiveSite(data, 'auto', { disabled: ['dydx', 'okx'] });
  ({ site, browser } = live);
});

after(async () => {
  await live?.close();
});

/** A term page with the clock at the data set's time, waiting until `key` shows `expected` and the status is live. */
async function liveFact(query, key, expected) {
  const page = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  await page.clock.setFixedTime(new Date(data.as_of_ms));
  await page.goto(`${site.url}?term=${query}`);
  await appReady(page);
  try {
    await page.waitForFunction(
      ([k, v]) => document.querySelector(`#live-example [data-fact="${k}"] dd`)?.textContent.trim() === v,
      [key, expected],
      { timeout: 20000 },
    );
  } catch (e) {
    const shown = await page.textContent(`#live-example [data-fact="${key}"] dd`).catch(() => '(none)');
    const status = await page.textContent('#live-example .data-status').catch(() => '(none)');
    throw new Error(`${query}: ${key} shows ${shown}, expected ${expected}; ${status}`, { cause: e });
  }
  assert.match(await page.textContent('#live-example .data-status'), /live/);
  assert.deepEqual(page.problems, []);
  return page;
}

describe('live examples on the mock exchange', () => {
  test('funding and positioning on Leverage Skew are the numbers the mock served', async () => {
    const funding = rowsOf('binance', 'BTC', 'funding').at(-1);
    const page = await liveFact('leverage-skew&venue=binance', 'funding-8h', pct((funding.rate * 8) / funding.interval_hours, 4));
    const ratio = rowsOf('binance', 'BTC', 'ratio', { kind: 'global_accounts' }).at(-1).ratio;
    assert.equal((await page.textContent('#live-example [data-fact="long-share"] dd')).trim(), pct(ratio / (1 + ratio), 1));
    await page.context().close();
  });

  test('order flow: the taker buy share over the window is the mock’s', async () => {
    const to = data.as_of_ms;
    // Binance keeps 30 days of statistics, and the client asks only for rows after the last 30 days less an hour
    // (a margin for the clocks), so the window's first hour is not fetched.
    const rows = rowsOf('binance', 'BTC', 'taker').filter((r) => r.time_ms > to - 30 * DAY + 3_600_000);
    const buy = rows.reduce((s, r) => s + r.buy_base, 0);
    const sell = rows.reduce((s, r) => s + r.sell_base, 0);
    const page = await liveFact('order-flow-imbalances&venue=binance&days=30', 'taker-buy-share', pct(buy / (buy + sell), 1));
    await page.context().close();
  });

  test('open interest: the total across venues is the sum of what each venue served', async () => {
    // Live mode shows only live data: Hyperliquid publishes no open-interest history (only the current value),
    // so the total is Binance's and Bybit's.
    let total = 0;
    for (const venue of ['binance', 'bybit']) {
      const last = rowsOf(venue, 'BTC', 'open_interest').at(-1);
      const close = rowsOf(venue, 'BTC', 'candles', { price: 'last' }).at(-1).close;
      total += last.usd ?? last.base * close;
    }
    const page = await liveFact('systemic-leverage', 'total-oi', usd(total));
    await page.context().close();
  });

  test('options: the chain on Deribit is the one the mock served', async () => {
    const calls = rowsOf('deribit', 'BTC', 'options').filter((o) => o.kind === 'call' && o.expiry_ms > data.as_of_ms);
    const nearest = Math.min(...calls.map((o) => o.expiry_ms));
    const first = calls.filter((o) => o.expiry_ms === nearest).sort((a, b) => a.strike - b.strike)[0];
    const page = await liveFact('options-trading-leverage', 'underlying', usd(first.underlying_price));
    await page.context().close();
  });
});

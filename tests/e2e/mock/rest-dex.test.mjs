// The mock's Hyperliquid, Deribit and dYdX REST answers, requested exactly as src/market/venues/*/mod.rs builds
// them. Deribit and dYdX have no entries in the fixture data set: they answer from Binance's (the first venue in
// the fallback order), with funding re-cut to their hourly schedule.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { AS_OF, HOUR, assertOrdered, assertShape, fixture, getOk, info, request, rows, startFixtureMock } from './testkit.mjs';

let mock;
before(async () => {
  mock = await startFixtureMock();
});
after(() => mock.close());

describe('hyperliquid', () => {
  test('metaAndAssetCtxs: universe and contexts in step, the explicit ticker wins', async () => {
    const { status, json } = await info(mock, { type: 'metaAndAssetCtxs' });
    assert.equal(status, 200);
    assertShape(json, fixture('hyperliquid', 'metaAndAssetCtxs'), 'metaAndAssetCtxs');
    assert.deepEqual(json[0].universe.map((u) => u.name), ['BTC', 'ETH']);
    assert.deepEqual([json[1][0].funding, json[1][0].openInterest], ['0.0000091342', '31844.27114']);
    assert.equal(Number(json[1][1].funding), rows('hyperliquid', 'ETH', 'funding').at(-1).rate);
  });

  test('fundingHistory: hourly rows from startTime, oldest first, endTime honoured', async () => {
    const all = rows('hyperliquid', 'BTC', 'funding');
    const start = all[10].time_ms;
    const { json } = await info(mock, { type: 'fundingHistory', coin: 'BTC', startTime: start, endTime: all[14].time_ms });
    assertShape(json, fixture('hyperliquid', 'fundingHistory'), 'fundingHistory');
    assert.deepEqual(json.map((r) => [r.time, Number(r.fundingRate)]), all.slice(10, 15).map((r) => [r.time_ms, r.rate]));
    assert.equal((await info(mock, { type: 'fundingHistory', coin: 'ETH', startTime: 0 })).json.length, 72);
  });

  test('candleSnapshot and l2Book', async () => {
    const req = { coin: 'ETH', interval: '1h', startTime: AS_OF - 3 * HOUR, endTime: AS_OF };
    const { json } = await info(mock, { type: 'candleSnapshot', req });
    assertShape(json, fixture('hyperliquid', 'candleSnapshot'), 'candleSnapshot');
    assert.deepEqual(json.map((c) => c.t), [AS_OF - 3 * HOUR, AS_OF - 2 * HOUR, AS_OF - HOUR]);
    const h4 = await info(mock, { type: 'candleSnapshot', req: { ...req, interval: '4h', startTime: AS_OF - 8 * HOUR } });
    assert.deepEqual(h4.json.map((c) => c.T - c.t + 1), [4 * HOUR, 4 * HOUR]);
    const book = await info(mock, { type: 'l2Book', coin: 'BTC' });
    assertShape(book.json, fixture('hyperliquid', 'l2Book'), 'l2Book');
    assert.equal(book.json.levels[0].length, 20);
    assertOrdered(book.json.levels[0].map((l) => Number(l.px)), 'descending', 'bids');
  });

  test('what Hyperliquid says no with: null, 422 text, 404', async () => {
    assert.equal((await info(mock, { type: 'l2Book', coin: 'DOGEX' })).text, 'null');
    for (const body of [{ type: 'nope' }, { type: 'l2Book' }, { coin: 'BTC' }]) {
      const res = await info(mock, body);
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.match(res.headers.get('content-type'), /text\/plain/);
      assert.match(res.text, /^Failed to deserialize the JSON body/);
    }
    assert.equal((await request(`${mock.baseUrl('hyperliquid')}/info`)).status, 404, 'GET /info');
  });
});

describe('deribit', () => {
  const get = (p) => getOk(mock, 'deribit', p);
  const name = 'instrument_name=BTC-PERPETUAL';

  test('ticker: the envelope, USD open interest, funding per 8 h', async () => {
    const body = await get(`/api/v2/public/ticker?${name}`);
    assertShape(body, fixture('deribit', 'ticker_perpetual'), 'ticker');
    assert.equal(body.result.mark_price, rows('binance', 'BTC', 'candles:mark').at(-1).close);
    assert.equal(body.result.open_interest % 10, 0, 'whole $10 contracts');
    assert.equal(body.result.current_funding, rows('binance', 'BTC', 'funding').at(-1).rate);
  });

  test('funding history: hourly, the 8-hour payments spread over their hours, inclusive window', async () => {
    const body = await get(`/api/v2/public/get_funding_rate_history?${name}&start_timestamp=${AS_OF - 8 * HOUR - 1}&end_timestamp=${AS_OF}`);
    assertShape(body, fixture('deribit', 'get_funding_rate_history'), 'get_funding_rate_history');
    const rates = body.result.map((r) => r.interest_1h);
    assert.equal(body.result.length, 9);
    assertOrdered(body.result.map((r) => r.timestamp), 'ascending', 'funding');
    const last = rows('binance', 'BTC', 'funding').at(-1);
    assert.deepEqual(rates.slice(1), Array(8).fill(last.rate / 8));
    assert.ok(Math.abs(body.result.at(-1).interest_8h - last.rate) < 1e-12);
    const missing = await request(`${mock.baseUrl('deribit')}/api/v2/public/get_funding_rate_history?${name}&start_timestamp=1&end_timestamp=x`);
    assert.equal(missing.status, 400);
    const strip = ({ usIn, usOut, usDiff, ...rest }) => rest;
    assert.deepEqual(strip(missing.json), strip(fixture('deribit', 'error_invalid_params')));
  });

  test('chart data in columns; an empty window is no_data', async () => {
    const w = `start_timestamp=${AS_OF - 3 * HOUR - 1}&end_timestamp=${AS_OF}&resolution=60`;
    const body = await get(`/api/v2/public/get_tradingview_chart_data?${name}&${w}`);
    assertShape(body, fixture('deribit', 'get_tradingview_chart_data'), 'chart');
    assert.deepEqual(body.result.ticks, [AS_OF - 3 * HOUR, AS_OF - 2 * HOUR, AS_OF - HOUR]);
    const none = await get(`/api/v2/public/get_tradingview_chart_data?${name}&start_timestamp=1&end_timestamp=2&resolution=60`);
    assertShape(none, fixture('deribit', 'get_tradingview_chart_data_no_data'), 'no_data');
    assert.equal(none.result.status, 'no_data');
  });

  test('order book in USD amounts, depth checked; the option board in coin', async () => {
    const book = await get(`/api/v2/public/get_order_book?${name}&depth=5`);
    assertShape(book, fixture('deribit', 'get_order_book'), 'get_order_book');
    assert.equal(book.result.bids.length, 5);
    assert.ok(book.result.bids.every(([, usd]) => usd % 10 === 0 && usd >= 10));
    assert.equal((await request(`${mock.baseUrl('deribit')}/api/v2/public/get_order_book?${name}&depth=7`)).status, 400);
    const board = await get('/api/v2/public/get_book_summary_by_currency?currency=BTC&kind=option');
    assertShape(board, fixture('deribit', 'get_book_summary_by_currency_option'), 'get_book_summary_by_currency');
    const first = rows('bybit', 'BTC', 'options')[0];
    const row = board.result[0];
    assert.match(row.instrument_name, /^BTC-\d{1,2}[A-Z]{3}\d{2}-\d+-[CP]$/);
    assert.ok(Math.abs(row.mark_price * row.underlying_price - first.mark_price_usd) < 0.01);
    assert.equal(row.mark_iv, first.mark_iv * 100);
  });

  test('an unknown method is JSON-RPC’s -32601', async () => {
    const res = await request(`${mock.baseUrl('deribit')}/api/v2/public/get_nothing`);
    assert.deepEqual([res.status, res.json.error.code, res.json.jsonrpc], [400, -32601, '2.0']);
  });
});

describe('dydx', () => {
  const get = (p) => getOk(mock, 'dydx', p);
  const iso = (ms) => encodeURIComponent(new Date(ms).toISOString());

  test('perpetual markets: all, or the one named', async () => {
    const all = await get('/v4/perpetualMarkets');
    assertShape(all, fixture('dydx', 'perpetualMarkets'), 'perpetualMarkets');
    const one = await get('/v4/perpetualMarkets?ticker=ETH-USD');
    assert.deepEqual(Object.keys(one.markets), ['ETH-USD']);
    assert.equal(Number(one.markets['ETH-USD'].nextFundingRate), rows('binance', 'ETH', 'funding').at(-1).rate / 8, 'hourly');
    const missing = await request(`${mock.baseUrl('dydx')}/v4/historicalFunding/DOGEX-USD`);
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json, fixture('dydx', 'error_not_found'));
  });

  test('historical funding: hourly, newest first, up to effectiveBeforeOrAt', async () => {
    const body = await get(`/v4/historicalFunding/BTC-USD?effectiveBeforeOrAt=${iso(AS_OF - HOUR)}&limit=3`);
    assertShape(body, fixture('dydx', 'historicalFunding'), 'historicalFunding');
    assert.deepEqual(body.historicalFunding.map((r) => r.effectiveAt), [1, 2, 3].map((h) => new Date(AS_OF - h * HOUR).toISOString()));
    const bad = await request(`${mock.baseUrl('dydx')}/v4/historicalFunding/BTC-USD?limit=1500`);
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json, fixture('dydx', 'error_validation'));
  });

  test('candles carry the open interest at their start', async () => {
    const body = await get(`/v4/candles/perpetualMarkets/BTC-USD?resolution=1HOUR&fromISO=${iso(AS_OF - 3 * HOUR)}&toISO=${iso(AS_OF - HOUR)}&limit=3`);
    assertShape(body, fixture('dydx', 'candles'), 'candles');
    const times = body.candles.map((c) => Date.parse(c.startedAt));
    assert.deepEqual(times, [AS_OF - HOUR, AS_OF - 2 * HOUR, AS_OF - 3 * HOUR]);
    const oi = rows('binance', 'BTC', 'open_interest').find((r) => r.time_ms === times[0]).base;
    assert.equal(Number(body.candles[0].startingOpenInterest), oi);
  });

  test('order book and trades (the liquidations among them)', async () => {
    assertShape(await get('/v4/orderbooks/perpetualMarket/BTC-USD'), fixture('dydx', 'orderbook'), 'orderbook');
    const body = await get('/v4/trades/perpetualMarket/BTC-USD?limit=1000');
    assertShape(body, fixture('dydx', 'trades'), 'trades');
    const liquidated = body.trades.filter((t) => t.type === 'LIQUIDATED');
    const want = rows('binance', 'BTC', 'liquidations');
    assert.equal(liquidated.length, want.length);
    assertOrdered(body.trades.map((t) => Date.parse(t.createdAt)), 'descending', 'trades');
    const newest = want.at(-1);
    assert.deepEqual([liquidated[0].side, Number(liquidated[0].size)], [newest.side === 'long' ? 'SELL' : 'BUY', newest.quantity_base]);
  });
});

// The mock's Binance, Bybit and OKX REST answers, requested exactly as src/market/venues/*/mod.rs builds them:
// same shape as the adapters' fixtures, windows, limits and ordering honoured, values from the data set.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { AS_OF, HOUR, assertOrdered, assertShape, fixture, getOk, request, rows, startFixtureMock } from './testkit.mjs';

const DAY = 24 * HOUR;
let mock;
before(async () => {
  mock = await startFixtureMock();
});
after(() => mock.close());

describe('binance', () => {
  const get = (p) => getOk(mock, 'binance', p);
  const win = (from, to = AS_OF) => `startTime=${from}&endTime=${to}`;

  test('premium index: shape, values from the data set, every symbol without one', async () => {
    const body = await get('/fapi/v1/premiumIndex?symbol=BTCUSDT');
    assertShape(body, fixture('binance', 'premium_index'), 'premiumIndex');
    assert.equal(Number(body.markPrice), rows('binance', 'BTC', 'candles:mark').at(-1).close);
    assert.equal(Number(body.lastFundingRate), rows('binance', 'BTC', 'funding').at(-1).rate);
    assert.ok(body.nextFundingTime > AS_OF && body.nextFundingTime % (8 * HOUR) === 0);
    assert.deepEqual((await get('/fapi/v1/premiumIndex')).map((r) => r.symbol), ['BTCUSDT', 'ETHUSDT']);
  });

  test('funding info lists only symbols with adjusted settings', async () => {
    const body = await get('/fapi/v1/fundingInfo');
    assertShape(body, fixture('binance', 'funding_info'), 'fundingInfo');
    assert.deepEqual(body.map((r) => [r.symbol, r.adjustedFundingRateCap]), [['ETHUSDT', '0.02']]);
  });

  test('funding history: exact rates ascending, limit counts from startTime, else keeps the newest', async () => {
    const all = rows('binance', 'BTC', 'funding');
    const body = await get(`/fapi/v1/fundingRate?symbol=BTCUSDT&${win(AS_OF - 30 * DAY)}&limit=1000`);
    assertShape(body, fixture('binance', 'funding_rate'), 'fundingRate');
    assert.deepEqual(body.map((r) => [r.fundingTime, Number(r.fundingRate), Number(r.markPrice)]), all.map((r) => [r.time_ms, r.rate, r.mark_price]));
    const first = await get(`/fapi/v1/fundingRate?symbol=BTCUSDT&${win(0)}&limit=2`);
    assert.deepEqual(first.map((r) => r.fundingTime), all.slice(0, 2).map((r) => r.time_ms));
    const newest = await get('/fapi/v1/fundingRate?symbol=BTCUSDT&limit=2');
    assert.deepEqual(newest.map((r) => r.fundingTime), all.slice(-2).map((r) => r.time_ms));
  });

  test('statistics: open interest, the three ratios, taker volume and basis', async () => {
    const from = AS_OF - 6 * HOUR;
    const q = `symbol=BTCUSDT&period=1h&${win(from)}&limit=500`;
    const oi = await get(`/futures/data/openInterestHist?${q}`);
    assertShape(oi, fixture('binance', 'open_interest_hist'), 'openInterestHist');
    assert.deepEqual(oi.map((r) => Number(r.sumOpenInterest)), rows('binance', 'BTC', 'open_interest').filter((r) => r.time_ms >= from).map((r) => r.base));
    assertOrdered(oi.map((r) => r.timestamp), 'ascending', 'openInterestHist');
    for (const [path, kind, name] of [
      ['globalLongShortAccountRatio', 'global_accounts', 'global_long_short_account_ratio'],
      ['topLongShortAccountRatio', 'top_accounts', 'top_long_short_position_ratio'],
      ['topLongShortPositionRatio', 'top_positions', 'top_long_short_position_ratio'],
    ]) {
      const body = await get(`/futures/data/${path}?${q}`);
      assertShape(body, fixture('binance', name), path);
      assert.deepEqual(body.map((r) => Number(r.longShortRatio)), rows('binance', 'BTC', `ratio:${kind}`).filter((r) => r.time_ms >= from).map((r) => r.ratio));
    }
    const taker = await get(`/futures/data/takerlongshortRatio?${q}`);
    assertShape(taker, fixture('binance', 'taker_long_short_ratio'), 'takerlongshortRatio');
    assert.equal(Number(taker[0].buyVol), rows('binance', 'BTC', 'taker').find((r) => r.time_ms === from).buy_base);
    const basis = await get(`/futures/data/basis?pair=BTCUSDT&contractType=PERPETUAL&period=4h&${win(AS_OF - DAY)}&limit=500`);
    assertShape(basis, fixture('binance', 'basis'), 'basis');
    assert.equal(basis.length, 6, 'a day of 4h rows');
    assert.ok(basis.every((r) => r.timestamp % (4 * HOUR) === 0));
    const at = (item, t) => rows('binance', 'BTC', item).find((c) => c.open_time_ms === t).close;
    assert.equal(Number(basis[0].futuresPrice), at('candles:last', basis[0].timestamp));
    assert.equal(Number(basis[0].indexPrice), at('candles:index', basis[0].timestamp));
    assert.equal((await get(`/futures/data/openInterestHist?symbol=BTCUSDT&period=1h`)).length, 30, 'default limit');
  });

  test('klines of every price: 12 columns, resampled to the interval asked for', async () => {
    const from = AS_OF - 8 * HOUR;
    const last = await get(`/fapi/v1/klines?symbol=BTCUSDT&interval=1h&${win(from)}&limit=1500`);
    assertShape(last, fixture('binance', 'klines'), 'klines');
    assert.equal(last.length, 8);
    const mark = await get(`/fapi/v1/markPriceKlines?symbol=BTCUSDT&interval=1h&${win(from)}&limit=1500`);
    assertShape(mark, fixture('binance', 'mark_price_klines'), 'markPriceKlines');
    const index = await get(`/fapi/v1/indexPriceKlines?pair=BTCUSDT&interval=1h&${win(from)}&limit=1500`);
    assert.deepEqual(index.map((r) => Number(r[4])), rows('binance', 'BTC', 'candles:index').filter((c) => c.open_time_ms >= from).map((c) => c.close));
    const h4 = await get(`/fapi/v1/klines?symbol=BTCUSDT&interval=4h&${win(from)}&limit=1500`);
    const src = rows('binance', 'BTC', 'candles:last').filter((c) => c.open_time_ms >= from && c.open_time_ms < from + 4 * HOUR);
    assert.deepEqual(h4[0].slice(0, 6).map(Number), [from, src[0].open, Math.max(...src.map((c) => c.high)), Math.min(...src.map((c) => c.low)), src[3].close, src.reduce((s, c) => s + c.volume_base, 0)]);
  });

  test('depth is cut to the limit, bids best first', async () => {
    const body = await get('/fapi/v1/depth?symbol=ETHUSDT&limit=5');
    assertShape(body, fixture('binance', 'depth'), 'depth');
    assert.equal(body.bids.length, 5);
    assertOrdered(body.bids.map((l) => Number(l[0])), 'descending', 'bids');
    assertOrdered(body.asks.map((l) => Number(l[0])), 'ascending', 'asks');
  });

  test('errors are Binance’s', async () => {
    const bad = await request(`${mock.baseUrl('binance')}/fapi/v1/premiumIndex?symbol=DOGEXUSDT`);
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json, fixture('binance', 'error_invalid_symbol'));
    const interval = await request(`${mock.baseUrl('binance')}/fapi/v1/klines?symbol=BTCUSDT&interval=7m`);
    assert.deepEqual([interval.status, interval.json.code], [400, -1120]);
  });
});

describe('bybit', () => {
  const get = (p) => getOk(mock, 'bybit', p);
  const base = 'category=linear&symbol=BTCUSDT';

  test('tickers: the envelope, one side of open interest, interval and cap', async () => {
    const body = await get(`/v5/market/tickers?${base}`);
    assertShape(body, fixture('bybit', 'tickers_linear'), 'tickers');
    const row = body.result.list[0];
    assert.equal(body.time, AS_OF);
    assert.equal(Number(row.singleOpenInterest), rows('bybit', 'BTC', 'open_interest').at(-1).base);
    assert.deepEqual([row.fundingIntervalHour, row.fundingCap], ['8', '0.005']);
    assert.equal((await get('/v5/market/tickers?category=linear')).result.list.length, 2);
  });

  test('funding history: newest first, window and limit; startTime alone is refused', async () => {
    const body = await get(`/v5/market/funding/history?${base}&startTime=${AS_OF - 2 * DAY}&endTime=${AS_OF}&limit=200`);
    assertShape(body, fixture('bybit', 'funding_history'), 'funding/history');
    const want = rows('bybit', 'BTC', 'funding').filter((r) => r.time_ms >= AS_OF - 2 * DAY).reverse();
    assert.deepEqual(body.result.list.map((r) => [Number(r.fundingRateTimestamp), Number(r.fundingRate)]), want.map((r) => [r.time_ms, r.rate]));
    const two = await get(`/v5/market/funding/history?${base}&endTime=${AS_OF}&limit=2`);
    assert.deepEqual(two.result.list.map((r) => Number(r.fundingRateTimestamp)), want.slice(0, 2).map((r) => r.time_ms));
    const refused = await get(`/v5/market/funding/history?${base}&startTime=${AS_OF - DAY}`);
    assert.equal(refused.retCode, 10001);
  });

  test('open interest and account ratio', async () => {
    const w = `startTime=${AS_OF - 5 * HOUR}&endTime=${AS_OF}`;
    const oi = await get(`/v5/market/open-interest?${base}&intervalTime=1h&${w}&limit=200`);
    assertShape(oi, fixture('bybit', 'open_interest'), 'open-interest');
    assertOrdered(oi.result.list.map((r) => Number(r.timestamp)), 'descending', 'open-interest');
    assert.equal(oi.result.list.length, 5);
    const ratio = await get(`/v5/market/account-ratio?${base}&period=1h&${w}&limit=500`);
    assertShape(ratio, fixture('bybit', 'account_ratio'), 'account-ratio');
    const r = ratio.result.list[0];
    const want = rows('bybit', 'BTC', 'ratio:global_accounts').find((x) => x.time_ms === Number(r.timestamp)).ratio;
    assert.ok(Math.abs(Number(r.buyRatio) / Number(r.sellRatio) - want) < 1e-12);
    const h4 = await get(`/v5/market/open-interest?${base}&intervalTime=4h&startTime=${AS_OF - 8 * HOUR}&endTime=${AS_OF}`);
    assert.deepEqual(h4.result.list.map((r) => Number(r.timestamp)), [AS_OF - 4 * HOUR, AS_OF - 8 * HOUR], '4h rows');
    const page = await get(`/v5/market/open-interest?${base}&intervalTime=1h&${w}&limit=2`);
    const next = await get(`/v5/market/open-interest?${base}&intervalTime=1h&${w}&limit=2&cursor=${page.result.nextPageCursor}`);
    assert.equal(Number(next.result.list[0].timestamp), Number(page.result.list[1].timestamp) - HOUR, 'the cursor continues');
  });

  test('klines: traded rows have volume and turnover, mark and index stop at the close', async () => {
    const w = `interval=60&start=${AS_OF - 3 * HOUR}&end=${AS_OF}&limit=1000`;
    const last = await get(`/v5/market/kline?${base}&${w}`);
    assertShape(last, fixture('bybit', 'kline_linear'), 'kline');
    assert.deepEqual(last.result.list.map((r) => r.length), [7, 7, 7]);
    assertOrdered(last.result.list.map((r) => Number(r[0])), 'descending', 'kline');
    const mark = await get(`/v5/market/mark-price-kline?${base}&${w}`);
    assertShape(mark, fixture('bybit', 'mark_price_kline'), 'mark-price-kline');
    assert.equal((await get(`/v5/market/index-price-kline?${base}&${w}`)).result.list[0].length, 5);
  });

  test('order book and errors', async () => {
    const book = await get(`/v5/market/orderbook?${base}&limit=3`);
    assertShape(book, fixture('bybit', 'orderbook_linear'), 'orderbook');
    assert.deepEqual([book.result.b.length, book.result.a.length], [3, 3]);
    const bad = await get('/v5/market/tickers?category=linear&symbol=DOGEXUSDT');
    assert.deepEqual({ ...bad, time: 0 }, { ...fixture('bybit', 'error_params'), time: 0 });
  });
});

describe('okx (answered from the other venues: the data set has no OKX entries)', () => {
  const get = (p) => getOk(mock, 'okx', p);
  const inst = 'instId=BTC-USDT-SWAP';

  test('funding rate snapshot: next two settlements and the cap', async () => {
    const body = await get(`/api/v5/public/funding-rate?${inst}`);
    assertShape(body, fixture('okx', 'funding_rate'), 'funding-rate');
    const row = body.data[0];
    assert.equal(Number(row.nextFundingTime) - Number(row.fundingTime), 8 * HOUR);
    assert.deepEqual([row.maxFundingRate, row.minFundingRate], ['0.005', '-0.005']);
  });

  test('funding history: exclusive bounds, newest first', async () => {
    const all = rows('binance', 'BTC', 'funding');
    const [start, end] = [all[2].time_ms, all[5].time_ms];
    const body = await get(`/api/v5/public/funding-rate-history?${inst}&after=${end + 1}&before=${start - 1}&limit=400`);
    assertShape(body, fixture('okx', 'funding_rate_history'), 'funding-rate-history');
    assert.deepEqual(body.data.map((r) => Number(r.fundingTime)), all.slice(2, 6).map((r) => r.time_ms).reverse());
    const strict = await get(`/api/v5/public/funding-rate-history?${inst}&after=${end}&before=${start}`);
    assert.deepEqual(strict.data.map((r) => Number(r.fundingTime)), [all[4].time_ms, all[3].time_ms]);
  });

  test('rubik statistics: positional rows in coin, contracts or USD', async () => {
    const w = `period=1H&end=${AS_OF + 1}&begin=${AS_OF - 4 * HOUR - 1}&limit=100`;
    const oi = await get(`/api/v5/rubik/stat/contracts/open-interest-history?${inst}&${w}`);
    assertShape(oi, fixture('okx', 'open_interest_history'), 'open-interest-history');
    const base = rows('binance', 'BTC', 'open_interest').at(-1).base;
    assert.deepEqual(oi.data[0].slice(1, 3).map(Number), [base / 0.01, base].map((x) => Number(x.toFixed(4))));
    const taker = await get(`/api/v5/rubik/stat/taker-volume-contract?${inst}&${w}&unit=0`);
    assertShape(taker, fixture('okx', 'taker_volume_contract'), 'taker-volume-contract');
    const t = rows('binance', 'BTC', 'taker').at(-1);
    assert.deepEqual(taker.data[0].map(Number), [t.time_ms, t.sell_base, t.buy_base], 'sell before buy');
    for (const path of ['long-short-account-ratio-contract', 'long-short-account-ratio-contract-top-trader', 'long-short-position-ratio-contract-top-trader']) {
      const body = await get(`/api/v5/rubik/stat/contracts/${path}?${inst}&${w}`);
      assertShape(body, fixture('okx', 'long_short_account_ratio_contract'), path);
      assert.equal(body.data.length, 4);
    }
  });

  test('candles of every price, books in contracts, the option summary', async () => {
    const w = `bar=1H&after=${AS_OF + 1}&before=${AS_OF - 3 * HOUR - 1}&limit=300`;
    const last = await get(`/api/v5/market/history-candles?${inst}&${w}`);
    assertShape(last, fixture('okx', 'history_candles'), 'history-candles');
    assertOrdered(last.data.map((r) => Number(r[0])), 'descending', 'history-candles');
    const mark = await get(`/api/v5/market/history-mark-price-candles?${inst}&${w.replace('300', '100')}`);
    assertShape(mark, fixture('okx', 'history_mark_price_candles'), 'history-mark-price-candles');
    assert.equal((await get(`/api/v5/market/history-index-candles?instId=BTC-USDT&${w}`)).data.length, 3);
    const books = await get(`/api/v5/market/books?${inst}&sz=3`);
    assertShape(books, fixture('okx', 'books'), 'books');
    const bid = rows('binance', 'BTC', 'book').bids[0];
    assert.deepEqual(books.data[0].bids[0].slice(0, 2).map(Number), [bid.price, Number((bid.size / 0.01).toFixed(4))], 'contracts of 0.01 BTC');
    const options = await get('/api/v5/public/opt-summary?instFamily=BTC-USD');
    assertShape(options, fixture('okx', 'opt_summary'), 'opt-summary');
    assert.equal(options.data.length, rows('bybit', 'BTC', 'options').length);
    assert.match(options.data[0].instId, /^BTC-USD-\d{6}-\d+-[CP]$/);
  });

  test('an unknown instrument is OKX’s 51001', async () => {
    const bad = await request(`${mock.baseUrl('okx')}/api/v5/public/funding-rate?instId=DOGEX-USDT-SWAP`);
    assert.equal(bad.status, 200);
    assert.deepEqual(bad.json, fixture('okx', 'error_instrument'));
  });
});

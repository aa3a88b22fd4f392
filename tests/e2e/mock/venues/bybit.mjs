// Bybit v5 REST for the linear USDT perpetual, as src/market/venues/bybit/ requests and parses it (shapes from
// tests/fixtures/bybit/). Envelope `{"retCode":0,"retMsg":"OK","result":{…,"list":[…]},"retExtInfo":{},"time":…}`,
// every number and time a string, lists newest first, the newest `limit` rows of a window. Errors keep HTTP 200
// and say so in `retCode` (10001 for bad parameters), as Bybit does.

import { dec, pseudoCount, round } from '../format.mjs';
import { DAY, HOUR, resample, select } from '../series.mjs';
import { fail, intParam, limitParam, ok, param, periods, route } from './shared.mjs';

const V = 'bybit';
const KLINE = periods([
  ['1', 1], ['3', 3], ['5', 5], ['15', 15], ['30', 30], ['60', 60], ['120', 120], ['240', 240], ['360', 360],
  ['720', 720], ['D', 1440], ['W', 10080],
]);
const STATS = periods([['5min', 5], ['15min', 15], ['30min', 30], ['1h', 60], ['4h', 240], ['1d', 1440]]);

/** Bybit's envelope around a result, `time` being the data set's "now" (the adapter dates tickers with it). */
const envelope = (asOf, result) => ({ retCode: 0, retMsg: 'OK', result, retExtInfo: {}, time: asOf });
/** A list answer: the payload is the list, `head` the result's other keys (category, symbol…). */
const listed = (req, list, head = {}, tail = {}) =>
  ok(list, (l) => envelope(req.data.asOf, { ...head, list: l, ...tail }));

export function error(status, retCode, retMsg, asOf = Date.now()) {
  return fail(status, { retCode, retMsg, result: {}, retExtInfo: {}, time: asOf });
}
const params = (req, what) => error(200, 10001, `params error: ${what}`, req.data.asOf);

export function notFound(req) {
  return error(404, 10404, `Route not found: ${req.method} ${req.path}`, req.data.asOf);
}

/** `category=linear&symbol=BTCUSDT` → BTC; else the venue's error reply. */
function linearAsset(req, symbolRequired = true) {
  if (param(req.query, 'category') !== 'linear') return { err: params(req, 'category invalid') };
  const symbol = param(req.query, 'symbol');
  if (symbol === undefined) return symbolRequired ? { err: params(req, 'symbol invalid') } : {};
  const m = /^([A-Z0-9]+)USDT$/.exec(symbol);
  if (!m || !req.data.hasAsset(m[1])) return { err: params(req, 'symbol invalid') };
  return { asset: m[1], symbol };
}

/** The newest `limit` rows of the window, newest first. A `cursor` (from nextPageCursor) continues before the
 * oldest row of the previous page. */
function windowed(req, rows, keys, fallback, max) {
  const from = intParam(req.query, keys[0]);
  let to = intParam(req.query, keys[1]);
  const cursor = /lasttime=(\d+)/.exec(decodeURIComponent(param(req.query, 'cursor') ?? ''));
  if (cursor) to = Math.min(to ?? Infinity, Number(cursor[1]) * 1000 - 1);
  const limit = limitParam(req.query, 'limit', fallback, max);
  if ([from, to, limit].some(Number.isNaN)) return { err: params(req, 'invalid number') };
  return { rows: select(rows, { from, to, limit }).reverse() };
}

function tickerRow(data, asset) {
  const t = data.ticker(V, asset);
  const s = data.fundingSettings(V, asset);
  const book = data.get(V, asset, 'book');
  const quote = data.last(V, asset, 'quotes');
  const bid = book?.bids?.[0] ?? (quote && { price: quote.bid_price, size: quote.bid_size });
  const ask = book?.asks?.[0] ?? (quote && { price: quote.ask_price, size: quote.ask_size });
  const day = data.rows(V, asset, 'candles:last').filter((c) => c.open_time_ms > data.asOf - DAY);
  const prev24h = data.priceAt(V, asset, data.asOf - DAY) ?? t.last_price;
  const oi = t.open_interest_base ?? 0;
  const volume = t.volume_24h_base ?? 0;
  const row = {
    symbol: `${asset}USDT`,
    lastPrice: dec(t.last_price),
    indexPrice: dec(t.index_price),
    markPrice: dec(t.mark_price),
    prevPrice24h: dec(prev24h),
    price24hPcnt: dec(prev24h ? round((t.last_price - prev24h) / prev24h, 6) : 0),
    highPrice24h: dec(day.length ? Math.max(...day.map((c) => c.high)) : t.last_price),
    lowPrice24h: dec(day.length ? Math.min(...day.map((c) => c.low)) : t.last_price),
    prevPrice1h: dec(data.priceAt(V, asset, data.asOf - HOUR) ?? t.last_price),
    // Since 2026 `openInterest` is both sides and `singleOpenInterest` one side (the model's figure).
    openInterest: dec(round(2 * oi, 8)),
    openInterestValue: dec(round(2 * oi * t.mark_price, 2)),
    singleOpenInterest: dec(oi),
    singleOpenInterestValue: dec(round(oi * t.mark_price, 2)),
    turnover24h: dec(round(volume * t.last_price, 4)),
    volume24h: dec(volume),
    fundingRate: dec(t.funding_rate ?? 0),
    nextFundingTime: String(t.next_funding_time_ms ?? 0),
    predictedDeliveryPrice: '', basisRate: '', deliveryFeeRate: '', deliveryTime: '0',
    ask1Size: dec(ask?.size ?? 0), bid1Price: dec(bid?.price ?? t.last_price),
    ask1Price: dec(ask?.price ?? t.last_price), bid1Size: dec(bid?.size ?? 0),
    basis: '', preOpenPrice: '', preQty: '', curPreListingPhase: '',
    fundingIntervalHour: String(s.interval_hours),
    basisRateYear: '',
  };
  // Bybit states one cap for both directions; left out when the data set does not know it.
  if (s.cap != null) row.fundingCap = dec(s.cap);
  return row;
}

function tickers(req) {
  const { asset, err } = linearAsset(req, false);
  if (err) return err;
  const assets = asset ? [asset] : req.data.assets();
  return listed(req, assets.map((a) => tickerRow(req.data, a)), { category: 'linear' });
}

function fundingHistory(req) {
  const { asset, symbol, err } = linearAsset(req);
  if (err) return err;
  // Documented: a startTime alone is refused; an endTime alone gives the rows up to it.
  if (param(req.query, 'startTime') !== undefined && param(req.query, 'endTime') === undefined) {
    return params(req, 'endTime is required when startTime is passed');
  }
  const { rows, err: bad } = windowed(req, req.data.rows(V, asset, 'funding'), ['startTime', 'endTime'], 200, 200);
  return bad ?? listed(req, rows.map((r) => ({
    symbol, fundingRate: dec(r.rate), fundingRateTimestamp: String(r.time_ms),
  })), { category: 'linear' });
}

/** A statistics series with a required period parameter (`intervalTime` or `period`); `head` gives the result's
 * keys before `list`. */
function stats(item, periodKey, fallback, max, render, head) {
  return (req) => {
    const { asset, symbol, err } = linearAsset(req);
    if (err) return err;
    const step = STATS.get(param(req.query, periodKey) ?? '');
    if (!step) return params(req, `${periodKey} invalid`);
    const series = resample(req.data.rows(V, asset, item), step, 'point');
    const { rows, err: bad } = windowed(req, series, ['startTime', 'endTime'], fallback, max);
    if (bad) return bad;
    // Bybit's cursor names the oldest row sent (in seconds); it is "" once nothing is left.
    const oldest = rows[rows.length - 1]?.time_ms;
    const cursor = oldest === undefined ? '' : `lastid%3D${pseudoCount(oldest / 1000, 1e6, 9e7)}%26lasttime%3D${Math.floor(oldest / 1000)}`;
    return listed(req, rows.map((r) => render(r, symbol)), head(symbol), { nextPageCursor: cursor });
  };
}

function klines(price) {
  return (req) => {
    const { asset, symbol, err } = linearAsset(req);
    if (err) return err;
    const step = KLINE.get(param(req.query, 'interval') ?? '');
    if (!step) return params(req, 'interval invalid');
    const series = resample(req.data.rows(V, asset, `candles:${price}`), step, 'candle');
    const { rows, err: bad } = windowed(req, series, ['start', 'end'], 200, 1000);
    if (bad) return bad;
    const list = rows.map((c) => {
      const row = [String(c.open_time_ms), dec(c.open), dec(c.high), dec(c.low), dec(c.close)];
      // Mark and index rows stop after the close; traded rows add volume (base) and turnover (USDT).
      return price === 'last' ? [...row, dec(c.volume_base), dec(round(c.volume_base * c.close, 4))] : row;
    });
    return listed(req, list, { category: 'linear', symbol });
  };
}

function orderbook(req) {
  const { asset, symbol, err } = linearAsset(req);
  if (err) return err;
  const limit = limitParam(req.query, 'limit', 25, 1000);
  if (Number.isNaN(limit)) return params(req, 'limit invalid');
  const book = req.data.get(V, asset, 'book') ?? { time_ms: req.data.asOf, bids: [], asks: [] };
  const side = (levels) => levels.slice(0, limit).map((l) => [dec(l.price), dec(l.size)]);
  const result = {
    s: symbol, b: side(book.bids), a: side(book.asks), ts: book.time_ms,
    u: pseudoCount(book.time_ms / 1000, 1e6, 9e6), seq: pseudoCount(book.time_ms, 1e9, 9e9) * 100, cts: book.time_ms - 8,
  };
  return ok(result, (r) => envelope(req.data.asOf, r));
}

const ROUTES = [
  ['/v5/market/tickers', tickers],
  ['/v5/market/funding/history', fundingHistory],
  ['/v5/market/open-interest', stats('open_interest', 'intervalTime', 50, 200, (r) => ({
    openInterest: dec(round(2 * r.base, 8)), singleOpenInterest: dec(r.base), timestamp: String(r.time_ms),
  }), (symbol) => ({ symbol, category: 'linear' }))],
  ['/v5/market/account-ratio', stats('ratio:global_accounts', 'period', 50, 500, (r, symbol) => ({
    // Shares of accounts net long and short, kept unrounded so that buy ÷ sell gives the data set's ratio back.
    symbol, buyRatio: dec(r.ratio / (1 + r.ratio)), sellRatio: dec(1 / (1 + r.ratio)), timestamp: String(r.time_ms),
  }), () => ({}))],
  ['/v5/market/kline', klines('last')],
  ['/v5/market/mark-price-kline', klines('mark')],
  ['/v5/market/index-price-kline', klines('index')],
  ['/v5/market/orderbook', orderbook],
];

export function handle(req) {
  if (req.method !== 'GET') return undefined;
  return route(ROUTES, req.path)?.(req);
}

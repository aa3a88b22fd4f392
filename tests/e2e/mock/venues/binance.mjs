// Binance USDⓈ-M futures REST, as src/market/venues/binance/ requests and parses it (shapes from
// tests/fixtures/binance/). Bare JSON answers (no envelope), numbers as decimal strings, times as ms numbers,
// series ascending. With `startTime` a window counts `limit` rows forward from it, without one the newest rows
// are kept. Errors: `{"code":-1121,"msg":"Invalid symbol."}` with HTTP 400.

import { dec, pseudoCount, round } from '../format.mjs';
import { resample, select } from '../series.mjs';
import { fail, intParam, limitParam, ok, param, periods, route } from './shared.mjs';

const V = 'binance';
const KLINE = periods([
  ['1m', 1], ['3m', 3], ['5m', 5], ['15m', 15], ['30m', 30], ['1h', 60], ['2h', 120], ['4h', 240],
  ['6h', 360], ['8h', 480], ['12h', 720], ['1d', 1440], ['3d', 4320], ['1w', 10080],
]);
const STATS = periods([
  ['5m', 5], ['15m', 15], ['30m', 30], ['1h', 60], ['2h', 120], ['4h', 240], ['6h', 360], ['12h', 720], ['1d', 1440],
]);
/** `/futures/data/openInterestHist` rows carry it; the data set has no such figure, so a fixed plausible one. */
const CIRCULATING = { BTC: '19971130.000', ETH: '120700000.000' };

export const error = (status, code, msg) => fail(status, { code, msg });
const mandatory = (name) => error(400, -1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);
const illegal = () => error(400, -1100, 'Illegal characters found in a parameter.');

export function notFound(req) {
  return error(404, -5000, `Path ${req.path}, Method ${req.method} is invalid`);
}

/** `BTCUSDT` → BTC, when the data set has the asset; else the venue's error reply. */
function symbolAsset(req, key = 'symbol') {
  const symbol = param(req.query, key);
  if (symbol === undefined) return { err: mandatory(key) };
  const m = /^([A-Z0-9]+)USDT$/.exec(symbol);
  if (!m || !req.data.hasAsset(m[1])) return { err: error(400, -1121, 'Invalid symbol.') };
  return { asset: m[1], symbol };
}

/** `startTime`/`endTime` (inclusive) and `limit`, Binance's way. */
function windowed(req, rows, fallback, max) {
  const from = intParam(req.query, 'startTime');
  const to = intParam(req.query, 'endTime');
  const limit = limitParam(req.query, 'limit', fallback, max);
  if ([from, to, limit].some(Number.isNaN)) return { err: illegal() };
  return { rows: select(rows, { from, to, limit, keep: from === undefined ? 'newest' : 'oldest' }) };
}

function premiumRow(data, asset) {
  const t = data.ticker(V, asset);
  return {
    symbol: `${asset}USDT`,
    markPrice: dec(t.mark_price),
    indexPrice: dec(t.index_price),
    estimatedSettlePrice: dec(t.index_price),
    lastFundingRate: dec(t.funding_rate ?? 0),
    interestRate: '0.00010000',
    nextFundingTime: t.next_funding_time_ms ?? 0,
    time: t.time_ms,
  };
}

function premiumIndex(req) {
  if (param(req.query, 'symbol') === undefined) return ok(req.data.assets().map((a) => premiumRow(req.data, a)));
  const { asset, err } = symbolAsset(req);
  return err ?? ok(premiumRow(req.data, asset));
}

/** Only symbols whose interval or caps differ from the defaults are listed (8 h, no adjusted cap). */
function fundingInfo(req) {
  const rows = [];
  for (const asset of req.data.assets()) {
    const s = req.data.fundingSettings(V, asset);
    if (s.interval_hours === 8 && s.cap == null && s.floor == null) continue;
    const row = { symbol: `${asset}USDT` };
    if (s.cap != null) row.adjustedFundingRateCap = dec(s.cap);
    if (s.floor != null) row.adjustedFundingRateFloor = dec(s.floor);
    rows.push({ ...row, fundingIntervalHours: s.interval_hours, disclaimer: false });
  }
  return ok(rows);
}

function fundingRate(req) {
  const assets = param(req.query, 'symbol') === undefined ? req.data.assets() : [symbolAsset(req)];
  if (assets[0]?.err) return assets[0].err;
  const all = assets
    .flatMap((a) => {
      const asset = a.asset ?? a;
      return req.data.rows(V, asset, 'funding').map((r) => ({ ...r, asset }));
    })
    .sort((x, y) => x.time_ms - y.time_ms);
  const { rows, err } = windowed(req, all, 100, 1000);
  return err ?? ok(rows.map((r) => ({
    symbol: `${r.asset}USDT`,
    fundingTime: r.time_ms,
    fundingRate: dec(r.rate),
    // "" is what Binance sends for an unknown mark price, and what the data set's absent mark_price means.
    markPrice: r.mark_price == null ? '' : dec(r.mark_price),
  })));
}

function openInterest(req) {
  const { asset, symbol, err } = symbolAsset(req);
  if (err) return err;
  const base = req.data.last(V, asset, 'open_interest')?.base ?? req.data.ticker(V, asset)?.open_interest_base ?? 0;
  return ok({ openInterest: dec(base), symbol, time: req.data.asOf });
}

/** A `/futures/data/*` statistics series: `period` required, 30 rows by default, 500 at most. */
function stats(item, how, key, render) {
  return (req) => {
    const { asset, symbol, err } = symbolAsset(req, key);
    if (err) return err;
    const name = param(req.query, 'period');
    if (name === undefined) return mandatory('period');
    if (!STATS.has(name)) return error(400, -1120, 'Invalid period.');
    const series = typeof item === 'function' ? item(req.data, asset) : req.data.rows(V, asset, item);
    const { rows, err: bad } = windowed(req, resample(series, STATS.get(name), how), 30, 500);
    return bad ?? ok(rows.map((r) => render(r, { asset, symbol, data: req.data })));
  };
}

const ratioRow = (r, { symbol }) => ({
  symbol,
  longShortRatio: dec(r.ratio),
  longAccount: dec(round(r.ratio / (1 + r.ratio), 4)),
  shortAccount: dec(round(1 / (1 + r.ratio), 4)),
  timestamp: r.time_ms,
});

/** The basis entry, else futures and index closes of the same candle times. */
function basisSeries(data, asset) {
  const own = data.rows(V, asset, 'basis');
  if (own.length) return own;
  const index = new Map(data.rows(V, asset, 'candles:index').map((c) => [c.open_time_ms, c.close]));
  return data
    .rows(V, asset, 'candles:last')
    .filter((c) => index.has(c.open_time_ms))
    .map((c) => ({ time_ms: c.open_time_ms, futures_price: c.close, index_price: index.get(c.open_time_ms) }));
}

function basis(req) {
  const type = param(req.query, 'contractType');
  if (type === undefined) return mandatory('contractType');
  // Only the perpetual is simulated: a quarterly contract has no rows, like one not listed yet.
  const render = (r, { symbol }) => ({
    indexPrice: dec(r.index_price),
    contractType: type,
    basisRate: dec(round((r.futures_price - r.index_price) / r.index_price, 4)),
    futuresPrice: dec(r.futures_price),
    annualizedBasisRate: '',
    basis: dec(round(r.futures_price - r.index_price, 8)),
    pair: symbol,
    timestamp: r.time_ms,
  });
  const series = (data, asset) => (type === 'PERPETUAL' ? basisSeries(data, asset) : []);
  return stats(series, 'point', 'pair', render)(req);
}

/** 12-column kline rows; mark and index klines carry no volume (zeros, and the count of samples). */
function klines(price, key) {
  return (req) => {
    const { asset, err } = symbolAsset(req, key);
    if (err) return err;
    const name = param(req.query, 'interval');
    if (name === undefined) return mandatory('interval');
    const step = KLINE.get(name);
    if (!step) return error(400, -1120, 'Invalid interval.');
    const series = resample(req.data.rows(V, asset, `candles:${price}`), step, 'candle');
    const { rows, err: bad } = windowed(req, series, 500, 1500);
    if (bad) return bad;
    return ok(rows.map((c) => {
      const head = [c.open_time_ms, dec(c.open), dec(c.high), dec(c.low), dec(c.close)];
      const close = c.open_time_ms + step - 1;
      if (price !== 'last') return [...head, '0', close, '0', Math.round(step / 1000), '0', '0', '0'];
      const typical = (c.high + c.low + c.close) / 3;
      const takerBuy = c.taker_buy_base ?? c.volume_base / 2;
      return [
        ...head, dec(c.volume_base), close, dec(round(c.volume_base * typical, 5)),
        pseudoCount(c.open_time_ms / 1000 + c.volume_base, 1_000, 60_000),
        dec(takerBuy), dec(round(takerBuy * typical, 5)), '0',
      ];
    }));
  };
}

function depth(req) {
  const { asset, err } = symbolAsset(req);
  if (err) return err;
  const limit = limitParam(req.query, 'limit', 500, 1000);
  if (Number.isNaN(limit)) return illegal();
  const book = req.data.get(V, asset, 'book') ?? { time_ms: req.data.asOf, bids: [], asks: [] };
  const side = (levels) => levels.slice(0, limit).map((l) => [dec(l.price), dec(l.size)]);
  return ok({
    lastUpdateId: pseudoCount(book.time_ms / 1000, 1e9, 9e9) * 1000,
    E: book.time_ms + 5,
    T: book.time_ms,
    bids: side(book.bids),
    asks: side(book.asks),
  });
}

const ROUTES = [
  ['/fapi/v1/premiumIndex', premiumIndex],
  ['/fapi/v1/fundingInfo', fundingInfo],
  ['/fapi/v1/fundingRate', fundingRate],
  ['/fapi/v1/openInterest', openInterest],
  ['/futures/data/openInterestHist', stats('open_interest', 'point', 'symbol', (r, { asset, symbol, data }) => ({
    symbol,
    sumOpenInterest: dec(r.base),
    sumOpenInterestValue: dec(r.usd ?? round(r.base * data.priceAt(V, asset, r.time_ms), 8)),
    CMCCirculatingSupply: CIRCULATING[asset] ?? '0',
    timestamp: r.time_ms,
  }))],
  ['/futures/data/globalLongShortAccountRatio', stats('ratio:global_accounts', 'point', 'symbol', ratioRow)],
  ['/futures/data/topLongShortAccountRatio', stats('ratio:top_accounts', 'point', 'symbol', ratioRow)],
  ['/futures/data/topLongShortPositionRatio', stats('ratio:top_positions', 'point', 'symbol', ratioRow)],
  ['/futures/data/takerlongshortRatio', stats('taker', 'taker', 'symbol', (r) => ({
    buySellRatio: dec(r.sell_base > 0 ? round(r.buy_base / r.sell_base, 4) : 0),
    buyVol: dec(r.buy_base),
    sellVol: dec(r.sell_base),
    timestamp: r.time_ms,
  }))],
  ['/futures/data/basis', basis],
  ['/fapi/v1/klines', klines('last', 'symbol')],
  ['/fapi/v1/markPriceKlines', klines('mark', 'symbol')],
  ['/fapi/v1/indexPriceKlines', klines('index', 'pair')],
  ['/fapi/v1/depth', depth],
];

/** The reply for a request, or undefined for a path Binance does not have (here). */
export function handle(req) {
  if (req.method !== 'GET') return undefined;
  return route(ROUTES, req.path)?.(req);
}

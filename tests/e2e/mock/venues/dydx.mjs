// dYdX v4 indexer `GET /v4/…`, as src/market/venues/dydx/ requests and parses it (shapes from
// tests/fixtures/dydx/). Bare JSON objects naming their list (`{"candles":[…]}`), numbers as decimal strings,
// times ISO-8601 with milliseconds, lists newest first, at most 1000 rows (API_LIMIT_V4). Funding is hourly.
// Errors: `{"errors":[{"msg":…}]}` — 404 for an unknown market, 400 with the field for a bad parameter.

import { dec, iso, parseTime, pseudoCount, round } from '../format.mjs';
import { atOrBefore, hourlyFunding, resample, select } from '../series.mjs';
import { fail, ok, param, periods, route } from './shared.mjs';

const V = 'dydx';
const RESOLUTIONS = periods([
  ['1MIN', 1], ['5MINS', 5], ['15MINS', 15], ['30MINS', 30], ['1HOUR', 60], ['4HOURS', 240], ['1DAY', 1440],
]);
const MAX_ROWS = 1000;
/** Market constants the indexer lists; only BTC and ETH are known, others get small-cap values. */
const MARKET = {
  BTC: { atomicResolution: -10, tickSize: '1', stepSize: '0.0001' },
  ETH: { atomicResolution: -9, tickSize: '0.1', stepSize: '0.001' },
};
const OTHER = { atomicResolution: -6, tickSize: '0.0001', stepSize: '1' };

/** A block height for a time (about one block per 1.1 s), so heights grow with time like the chain's. */
const height = (ms) => String(60_000_000 + Math.floor((ms - 1_700_000_000_000) / 1_100));

/** The body of a list answer: `{ key: list }`. */
const listed = (key, list) => ok(list, (l) => ({ [key]: l }));

export const error = (status, msg, field) => fail(status, { errors: [field ? { type: 'field', ...field, msg } : { msg }] });
const notListed = (ticker) => error(404, `${ticker} not found in markets of type PERPETUAL`);
const badField = (req, path, msg) =>
  error(400, msg, { value: req.query.get(path) ?? '', path, location: 'query' });

export function notFound(req) {
  return error(404, `Cannot ${req.method} ${req.path}`);
}

/** `BTC-USD` → BTC when the data set has it. */
function assetOf(data, ticker) {
  const m = /^([A-Z0-9]+)-USD$/.exec(ticker ?? '');
  return m && data.hasAsset(m[1]) ? m[1] : undefined;
}

/** `limit`: 1 to 1000, the maximum by default. */
function limitOf(req) {
  const text = param(req.query, 'limit');
  if (text === undefined) return MAX_ROWS;
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 && n <= MAX_ROWS ? n : undefined;
}
const badLimit = (req) => badField(req, 'limit', `limit must be a positive integer that is not greater than max: ${MAX_ROWS}`);

function market(data, asset, i) {
  const t = data.ticker(V, asset);
  const constants = MARKET[asset] ?? OTHER;
  const prev = data.priceAt(V, asset, data.asOf - 86_400_000) ?? t.index_price;
  const volume = t.volume_24h_base ?? 0;
  return {
    clobPairId: String(i), ticker: `${asset}-USD`, status: 'ACTIVE',
    oraclePrice: dec(t.index_price), priceChange24H: dec(round(t.index_price - prev, 6)),
    volume24H: dec(round(volume * t.last_price, 4)), trades24H: pseudoCount(volume, 5_000, 60_000),
    // Hourly, whatever interval the data set's source pays on.
    nextFundingRate: dec((t.funding_rate ?? 0) / (t.funding_interval_hours ?? 1)),
    initialMarginFraction: '0.02', maintenanceMarginFraction: '0.012',
    openInterest: dec(t.open_interest_base ?? 0), atomicResolution: constants.atomicResolution,
    quantumConversionExponent: -9, tickSize: constants.tickSize, stepSize: constants.stepSize,
    stepBaseQuantums: 1_000_000, subticksPerTick: 100_000, marketType: 'CROSS',
    openInterestLowerCap: '0', openInterestUpperCap: '0',
    baseOpenInterest: dec(round((t.open_interest_base ?? 0) * 2, 4)), defaultFundingRate1H: '0',
  };
}

/** `?ticker=` (what the app sends) or `?market=` (what the docs list); neither lists every market. */
function perpetualMarkets(req) {
  const ticker = param(req.query, 'ticker') ?? param(req.query, 'market');
  const assets = req.data.assets();
  if (ticker !== undefined && !assetOf(req.data, ticker)) return notListed(ticker);
  const chosen = ticker === undefined ? assets : [assetOf(req.data, ticker)];
  const markets = Object.fromEntries(chosen.map((a) => [`${a}-USD`, market(req.data, a, assets.indexOf(a))]));
  return ok(markets, (m) => ({ markets: m }));
}

function historicalFunding(req, ticker) {
  const asset = assetOf(req.data, ticker);
  if (!asset) return notListed(ticker);
  const limit = limitOf(req);
  if (!limit) return badLimit(req);
  const to = parseTime(param(req.query, 'effectiveBeforeOrAt'));
  if (Number.isNaN(to)) return badField(req, 'effectiveBeforeOrAt', 'effectiveBeforeOrAt must be a valid ISO 8601 date');
  const rows = select(hourlyFunding(req.data.rows(V, asset, 'funding')), { to, limit }).reverse();
  return listed('historicalFunding', rows.map((r) => ({
    ticker, rate: dec(r.rate), price: dec(r.mark_price ?? req.data.priceAt(V, asset, r.time_ms) ?? 0),
    effectiveAtHeight: height(r.time_ms), effectiveAt: iso(r.time_ms),
  })));
}

function candles(req, ticker) {
  const asset = assetOf(req.data, ticker);
  if (!asset) return notListed(ticker);
  const name = param(req.query, 'resolution');
  const step = RESOLUTIONS.get(name ?? '');
  if (!step) return badField(req, 'resolution', `resolution must be a valid Candle Resolution, one of ${[...RESOLUTIONS.keys()].join(',')}`);
  const limit = limitOf(req);
  if (!limit) return badLimit(req);
  const from = parseTime(param(req.query, 'fromISO'));
  const to = parseTime(param(req.query, 'toISO'));
  if (Number.isNaN(from) || Number.isNaN(to)) return badField(req, Number.isNaN(from) ? 'fromISO' : 'toISO', 'must be a valid ISO 8601 date');
  const series = resample(req.data.rows(V, asset, 'candles:last'), step, 'candle');
  const oi = req.data.rows(V, asset, 'open_interest');
  const oiAt = (t) => (atOrBefore(oi, t) ?? oi[0])?.base ?? 0;
  const rows = select(series, { from, to, limit }).reverse();
  return listed('candles', rows.map((c) => ({
    startedAt: iso(c.open_time_ms), ticker, resolution: name,
    low: dec(c.low), high: dec(c.high), open: dec(c.open), close: dec(c.close),
    baseTokenVolume: dec(c.volume_base), usdVolume: dec(round(c.volume_base * c.close, 4)),
    trades: pseudoCount(c.open_time_ms / 1000 + c.volume_base, 100, 5_000),
    // The open interest when the candle opened: what the adapter reads as open-interest history.
    startingOpenInterest: dec(oiAt(c.open_time_ms)),
    orderbookMidPriceOpen: dec(c.open), orderbookMidPriceClose: dec(c.close),
  })));
}

function orderbook(req, ticker) {
  const asset = assetOf(req.data, ticker);
  if (!asset) return notListed(ticker);
  const book = req.data.get(V, asset, 'book') ?? { bids: [], asks: [] };
  const side = (levels) => levels.slice(0, 100).map((l) => ({ price: dec(l.price), size: dec(l.size) }));
  return ok({ bids: side(book.bids), asks: side(book.asks) });
}

/**
 * Taker fills: each liquidation of the data set as a LIQUIDATED fill (SELL closes a long, BUY a short), each
 * followed two seconds later by an ordinary LIMIT fill, so the adapter's filtering has something to filter.
 */
function trades(req, ticker) {
  const asset = assetOf(req.data, ticker);
  if (!asset) return notListed(ticker);
  const limit = limitOf(req);
  if (!limit) return badLimit(req);
  const before = parseTime(param(req.query, 'createdBeforeOrAt'));
  const fills = req.data.rows(V, asset, 'liquidations').flatMap((l, i) => [
    { time_ms: l.time_ms, side: l.side === 'long' ? 'SELL' : 'BUY', size: l.quantity_base, price: l.price, type: 'LIQUIDATED', i },
    { time_ms: l.time_ms + 2_000, side: i % 2 ? 'BUY' : 'SELL', size: round(l.quantity_base / 10, 4) || 0.0001, price: l.price, type: 'LIMIT', i },
  ]).sort((a, b) => a.time_ms - b.time_ms);
  const rows = select(fills, { to: Number.isNaN(before) ? undefined : before, limit }).reverse();
  return listed('trades', rows.map((f) => ({
    id: `${f.time_ms.toString(16).padStart(16, '0')}${f.type === 'LIMIT' ? '1' : '0'}${String(f.i).padStart(7, '0')}`,
    side: f.side, size: dec(f.size), price: dec(f.price), type: f.type,
    createdAt: iso(f.time_ms), createdAtHeight: height(f.time_ms),
  })));
}

const ROUTES = [
  ['/v4/perpetualMarkets', perpetualMarkets],
  [/^\/v4\/historicalFunding\/([^/]+)$/, historicalFunding],
  [/^\/v4\/candles\/perpetualMarkets\/([^/]+)$/, candles],
  [/^\/v4\/orderbooks\/perpetualMarket\/([^/]+)$/, orderbook],
  [/^\/v4\/trades\/perpetualMarket\/([^/]+)$/, trades],
];

export function handle(req) {
  if (req.method !== 'GET') return undefined;
  return route(ROUTES, req.path)?.(req);
}

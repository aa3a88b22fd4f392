// Deribit `GET /api/v2/public/<method>`, as src/market/venues/deribit/ requests and parses it (shapes from
// tests/fixtures/deribit/). JSON-RPC envelope `{jsonrpc, result, usIn, usOut, usDiff, testnet}`, numbers as
// JSON numbers, lists ascending, windows `[start_timestamp, end_timestamp]` inclusive. The perpetuals are
// inverse: open interest and book amounts are USD (multiples of the $10 contract); options are priced in coin.
// Errors: HTTP 400 with `{"jsonrpc":"2.0","error":{"message","data":{"reason","param"},"code"}}`.

import { deribitExpiryCode, deribitOptionName, pseudoCount, round } from '../format.mjs';
import { DAY, atOrBefore, hourlyFunding, resample, select } from '../series.mjs';
import { fail, intParam, ok, param, route } from './shared.mjs';

const V = 'deribit';
const RESOLUTIONS = new Map(
  [['1', 1], ['3', 3], ['5', 5], ['10', 10], ['15', 15], ['30', 30], ['60', 60], ['120', 120], ['180', 180],
    ['360', 360], ['720', 720], ['1D', 1440]].map(([k, m]) => [k, m * 60_000]),
);
const DEPTHS = [1, 5, 10, 20, 50, 100, 1000, 10000];
/** get_funding_rate_history holds at most 744 rows, get_tradingview_chart_data 5000 candles. */
const FUNDING_ROWS = 744;
const CHART_ROWS = 5000;

/** The JSON-RPC envelope; the µs stamps are derived from the data set's "now" so answers are reproducible. */
function rpc(asOf, body) {
  const usIn = asOf * 1000 + 1200;
  return { jsonrpc: '2.0', ...body, usIn, usOut: usIn + 260, usDiff: 260, testnet: false };
}
const answer = (req, result) => ok(result, (r) => rpc(req.data.asOf, { result: r }));

export function error(status, code, message, data, asOf = Date.now()) {
  return fail(status, rpc(asOf, { error: data ? { message, data, code } : { message, code } }));
}
const invalid = (req, param, reason) => error(400, -32602, 'Invalid params', { reason, param }, req.data.asOf);

export function notFound(req) {
  return error(400, -32601, 'Method not found', undefined, req.data.asOf);
}

/** `BTC-PERPETUAL` → BTC; else the venue's error reply. */
function perpetual(req) {
  const name = param(req.query, 'instrument_name');
  if (name === undefined) return { err: invalid(req, 'instrument_name', 'missing') };
  const m = /^([A-Z0-9]+)-PERPETUAL$/.exec(name);
  return m && req.data.hasAsset(m[1]) ? { asset: m[1], name } : { err: invalid(req, 'instrument_name', 'instrument not found') };
}

/** Both window bounds are required; inclusive. */
function bounds(req) {
  const from = intParam(req.query, 'start_timestamp');
  const to = intParam(req.query, 'end_timestamp');
  if (from === undefined || Number.isNaN(from)) return { err: invalid(req, 'start_timestamp', from === undefined ? 'missing' : 'wrong format') };
  if (to === undefined || Number.isNaN(to)) return { err: invalid(req, 'end_timestamp', to === undefined ? 'missing' : 'wrong format') };
  return { from, to };
}

/** The index price at `t`: the close of the index candle open then, else the traded price. */
function indexAt(data, asset, t) {
  return atOrBefore(data.rows(V, asset, 'candles:index'), t)?.close ?? data.priceAt(V, asset, t) ?? 0;
}

/** A USD amount in whole $10 contracts (at least one), as Deribit's inverse perpetuals count. */
const usd = (base, price) => Math.max(10, Math.round((base * price) / 10) * 10);

/** The fields get_order_book and ticker share. */
function perpetualState(data, asset, name) {
  const t = data.ticker(V, asset);
  const day = data.rows(V, asset, 'candles:last').filter((c) => c.open_time_ms > data.asOf - DAY);
  const prev = data.priceAt(V, asset, data.asOf - DAY) ?? t.last_price;
  const volume = t.volume_24h_base ?? 0;
  // current_funding and funding_8h are per 8 hours, whatever interval the data set's source pays on.
  const per8h = ((t.funding_rate ?? 0) * 8) / (t.funding_interval_hours ?? 8);
  return {
    timestamp: data.asOf,
    stats: {
      volume_usd: round(volume * t.last_price, 1),
      volume,
      price_change: prev ? round(((t.last_price - prev) / prev) * 100, 4) : 0,
      low: day.length ? Math.min(...day.map((c) => c.low)) : t.last_price,
      high: day.length ? Math.max(...day.map((c) => c.high)) : t.last_price,
    },
    state: 'open',
    settlement_price: t.index_price,
    open_interest: usd(t.open_interest_base ?? 0, t.mark_price),
    min_price: round(t.mark_price * 0.985, 1),
    max_price: round(t.mark_price * 1.015, 1),
    mark_price: t.mark_price,
    last_price: t.last_price,
    interest_value: 0,
    instrument_name: name,
    index_price: t.index_price,
    funding_8h: per8h,
    estimated_delivery_price: t.index_price,
    current_funding: per8h,
  };
}

function best(data, asset, t) {
  const book = data.get(V, asset, 'book');
  const bid = book?.bids?.[0] ?? { price: t.last_price, size: 0 };
  const ask = book?.asks?.[0] ?? { price: t.last_price, size: 0 };
  return {
    best_bid_price: bid.price, best_bid_amount: usd(bid.size, bid.price),
    best_ask_price: ask.price, best_ask_amount: usd(ask.size, ask.price),
  };
}

function ticker(req) {
  const { asset, name, err } = perpetual(req);
  if (err) return err;
  const state = perpetualState(req.data, asset, name);
  return answer(req, { ...state, ...best(req.data, asset, state) });
}

function fundingHistory(req) {
  const { asset, err } = perpetual(req);
  if (err) return err;
  const { from, to, err: bad } = bounds(req);
  if (bad) return bad;
  // Hourly rows: interest_1h is the hour's rate, interest_8h the sum of the last eight hours.
  const hourly = hourlyFunding(req.data.rows(V, asset, 'funding'));
  const summed = hourly.map((r, i) => ({
    ...r, interest_8h: hourly.slice(Math.max(0, i - 7), i + 1).reduce((sum, x) => sum + x.rate, 0),
  }));
  const kept = select(summed, { from, to, limit: FUNDING_ROWS });
  const index = (t) => indexAt(req.data, asset, t);
  return answer(req, kept.map((r) => ({
    timestamp: r.time_ms,
    index_price: index(r.time_ms),
    prev_index_price: index(r.time_ms - 3_600_000),
    interest_8h: round(r.interest_8h, 12),
    interest_1h: r.rate,
  })));
}

function chart(req) {
  const { asset, err } = perpetual(req);
  if (err) return err;
  const { from, to, err: bad } = bounds(req);
  if (bad) return bad;
  const step = RESOLUTIONS.get(param(req.query, 'resolution') ?? '');
  if (!step) return invalid(req, 'resolution', 'must be one of the supported resolutions');
  const candles = select(resample(req.data.rows(V, asset, 'candles:last'), step, 'candle'), { from, to, limit: CHART_ROWS });
  const column = (f) => candles.map(f);
  return answer(req, {
    volume: column((c) => c.volume_base),
    ticks: column((c) => c.open_time_ms),
    status: candles.length ? 'ok' : 'no_data',
    open: column((c) => c.open),
    low: column((c) => c.low),
    high: column((c) => c.high),
    cost: column((c) => usd(c.volume_base, c.close)),
    close: column((c) => c.close),
  });
}

function orderBook(req) {
  const { asset, name, err } = perpetual(req);
  if (err) return err;
  const depth = intParam(req.query, 'depth') ?? 20;
  if (!DEPTHS.includes(depth)) return invalid(req, 'depth', 'must be one of 1, 5, 10, 20, 50, 100, 1000, 10000');
  const book = req.data.get(V, asset, 'book') ?? { time_ms: req.data.asOf, bids: [], asks: [] };
  const state = perpetualState(req.data, asset, name);
  const side = (levels) => levels.slice(0, depth).map((l) => [l.price, usd(l.size, l.price)]);
  return answer(req, {
    ...state,
    timestamp: book.time_ms,
    change_id: pseudoCount(book.time_ms / 1000, 1e8, 9e8) * 1000,
    bids: side(book.bids),
    asks: side(book.asks),
    ...best(req.data, asset, state),
  });
}

function bookSummary(req) {
  const currency = param(req.query, 'currency');
  if (currency === undefined) return invalid(req, 'currency', 'missing');
  if (!req.data.hasAsset(currency)) return invalid(req, 'currency', 'must be one of the supported currencies');
  // Only options are simulated: other kinds answer an empty board.
  if (param(req.query, 'kind') !== 'option') return answer(req, []);
  const index = req.data.ticker(V, currency).index_price;
  return answer(req, req.data.rows(V, currency, 'options').map((o) => {
    const mark = o.underlying_price > 0 ? round(o.mark_price_usd / o.underlying_price, 8) : 0;
    const volume = round((o.open_interest_base ?? 0) * 0.1, 1);
    return {
      high: round(mark * 1.12, 4), low: round(mark * 0.9, 4), last: round(mark, 4),
      instrument_name: deribitOptionName(currency, o.expiry_ms, o.strike, o.kind),
      bid_price: round(mark * 0.985, 4), ask_price: round(mark * 1.015, 4),
      open_interest: o.open_interest_base ?? 0, mark_price: mark, mark_iv: round(o.mark_iv * 100, 2),
      creation_timestamp: req.data.asOf, price_change: 0, volume, interest_rate: 0,
      underlying_price: o.underlying_price, underlying_index: deribitExpiryCode(currency, o.expiry_ms),
      estimated_delivery_price: index, base_currency: currency, quote_currency: currency,
      volume_usd: round(volume * mark * o.underlying_price, 2), mid_price: round(mark, 4),
    };
  }));
}

const ROUTES = [
  ['/api/v2/public/ticker', ticker],
  ['/api/v2/public/get_funding_rate_history', fundingHistory],
  ['/api/v2/public/get_tradingview_chart_data', chart],
  ['/api/v2/public/get_order_book', orderBook],
  ['/api/v2/public/get_book_summary_by_currency', bookSummary],
];

export function handle(req) {
  if (req.method !== 'GET') return undefined;
  return route(ROUTES, req.path)?.(req);
}

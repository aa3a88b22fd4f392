// Hyperliquid `POST /info`, as src/market/venues/hyperliquid/ requests and parses it (shapes from
// tests/fixtures/hyperliquid/). The JSON body names the request `type`; answers are bare JSON, numbers as
// decimal strings, times as ms numbers, lists oldest first. A coin Hyperliquid does not list is answered with
// `null`; a body that is not a known request gets HTTP 422 with a plain-text message, as the real API does.

import { dec, pseudoCount, round } from '../format.mjs';
import { DAY, hourlyFunding, resample, select } from '../series.mjs';
import { ok } from './shared.mjs';

const V = 'hyperliquid';
const INTERVALS = new Map(
  [['1m', 1], ['3m', 3], ['5m', 5], ['15m', 15], ['30m', 30], ['1h', 60], ['2h', 120], ['4h', 240], ['8h', 480],
    ['12h', 720], ['1d', 1440], ['3d', 4320], ['1w', 10080]].map(([k, m]) => [k, m * 60_000]),
);
/** Coins listed per 1000 tokens under a lowercase k (kPEPE); the app spells their assets KPEPE. */
const THOUSAND_UNIT = ['KPEPE', 'KSHIB', 'KBONK', 'KFLOKI', 'KLUNC', 'KDOGS', 'KNEIRO'];
const SIZE_DECIMALS = { BTC: 5, ETH: 4 };
const MAX_LEVERAGE = { BTC: 40, ETH: 25 };
/** fundingHistory answers at most 500 rows; candleSnapshot serves only the newest 5000 candles. */
const FUNDING_ROWS = 500;
const CANDLES_KEPT = 5000;
/** Hyperliquid's hourly interest component (0.01 % per 8 h): funding = premium + interest, before clamping. */
const INTEREST_PER_HOUR = 0.0000125;

const coinOf = (asset) => (THOUSAND_UNIT.includes(asset) ? `k${asset.slice(1)}` : asset);
const assetOf = (coin) => (typeof coin === 'string' && /^k[A-Z]/.test(coin) ? `K${coin.slice(1)}` : coin);

/** Hyperliquid's answer to a body it cannot read (axum's rejection text). */
export const error = (status, message) => ({ status, text: message, contentType: 'text/plain; charset=utf-8', error: true });
const unreadable = (detail) => error(422, `Failed to deserialize the JSON body into the target type: ${detail}`);

export function notFound() {
  return { status: 404, text: '', contentType: 'text/plain; charset=utf-8', error: true };
}

function metaAndAssetCtxs(data) {
  const assets = data.assets();
  const universe = assets.map((a) => ({
    szDecimals: SIZE_DECIMALS[a] ?? 2, name: coinOf(a), maxLeverage: MAX_LEVERAGE[a] ?? 10, marginTableId: 50,
  }));
  const ctxs = assets.map((a) => {
    const t = data.ticker(V, a);
    const book = data.get(V, a, 'book');
    const bid = book?.bids?.[0]?.price ?? t.last_price;
    const ask = book?.asks?.[0]?.price ?? t.last_price;
    const volume = t.volume_24h_base ?? 0;
    // The context's funding is the current hourly rate, whatever interval the data set's source pays on.
    const hourly = (t.funding_rate ?? 0) / (t.funding_interval_hours ?? 1);
    return {
      funding: dec(hourly),
      openInterest: dec(t.open_interest_base ?? 0),
      prevDayPx: dec(data.priceAt(V, a, data.asOf - DAY) ?? t.last_price),
      dayNtlVlm: dec(round(volume * t.last_price, 4)),
      premium: dec(t.index_price > 0 ? round((t.mark_price - t.index_price) / t.index_price, 10) : 0),
      oraclePx: dec(t.index_price),
      markPx: dec(t.mark_price),
      midPx: dec(round((bid + ask) / 2, 8)),
      impactPxs: [dec(bid), dec(ask)],
      dayBaseVlm: dec(volume),
    };
  });
  return ok([{ universe, marginTables: [] }, ctxs]);
}

function fundingHistory(data, body) {
  const asset = assetOf(body.coin);
  if (!Number.isInteger(body.startTime)) return unreadable('missing field `startTime`');
  if (!data.hasAsset(asset)) return ok(null);
  const rows = select(hourlyFunding(data.rows(V, asset, 'funding')), {
    from: body.startTime, to: Number.isInteger(body.endTime) ? body.endTime : undefined, limit: FUNDING_ROWS, keep: 'oldest',
  });
  return ok(rows.map((r) => ({
    coin: body.coin, fundingRate: dec(r.rate), premium: dec(round(r.rate - INTEREST_PER_HOUR, 10)), time: r.time_ms,
  })));
}

function candleSnapshot(data, body) {
  const req = body.req;
  if (!req || typeof req !== 'object') return unreadable('missing field `req`');
  const step = INTERVALS.get(req.interval);
  if (!step) return unreadable(`unknown variant \`${req.interval}\``);
  if (!Number.isInteger(req.startTime)) return unreadable('missing field `startTime`');
  const asset = assetOf(req.coin);
  if (!data.hasAsset(asset)) return ok([]);
  const series = resample(data.rows(V, asset, 'candles:last'), step, 'candle');
  const to = Number.isInteger(req.endTime) ? req.endTime : undefined;
  const rows = select(series, { from: req.startTime, to, limit: CANDLES_KEPT });
  return ok(rows.map((c) => ({
    t: c.open_time_ms, T: c.open_time_ms + step - 1, s: req.coin, i: req.interval,
    o: dec(c.open), c: dec(c.close), h: dec(c.high), l: dec(c.low), v: dec(c.volume_base),
    n: pseudoCount(c.open_time_ms / 1000 + c.volume_base, 500, 20_000),
  })));
}

/** The book as Hyperliquid writes it, at most 20 levels a side; also the `data` of a stream push. */
export function l2Levels(book, coin, time = book.time_ms) {
  const side = (levels) => levels.slice(0, 20).map((l, i) => ({
    px: dec(l.price), sz: dec(l.size), n: 1 + ((i * 5 + Math.round(l.size * 10)) % 12),
  }));
  return { coin, time, levels: [side(book.bids), side(book.asks)] };
}

function l2Book(data, body) {
  const asset = assetOf(body.coin);
  if (!data.hasAsset(asset)) return ok(null);
  const book = data.get(V, asset, 'book') ?? { time_ms: data.asOf, bids: [], asks: [] };
  const levels = l2Levels(book, body.coin);
  // Under the `empty` fault a book keeps its two sides, with no level on either (a market with no orders).
  return { ...ok(levels), empty: { ...levels, levels: [[], []] } };
}

const TYPES = { metaAndAssetCtxs, fundingHistory, candleSnapshot, l2Book };

export function handle(req) {
  if (req.path !== '/info' || req.method !== 'POST') return undefined;
  let body;
  try {
    body = JSON.parse(req.body);
  } catch (e) {
    return unreadable(`${e.message}`);
  }
  if (!body || typeof body !== 'object' || typeof body.type !== 'string') return unreadable('missing field `type`');
  const answer = TYPES[body.type];
  if (!answer) return unreadable(`unknown variant \`${body.type}\``);
  if (body.type !== 'metaAndAssetCtxs' && body.type !== 'candleSnapshot' && typeof body.coin !== 'string') {
    return unreadable('missing field `coin`');
  }
  return answer(req.data, body);
}

export { coinOf, assetOf };

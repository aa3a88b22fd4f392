// OKX v5 REST, as src/market/venues/okx/ requests and parses it (shapes from tests/fixtures/okx/). Envelope
// `{"code":"0","msg":"","data":[…]}`, numbers and times as strings, lists newest first. Paging bounds are
// exclusive: `after`/`end` mean "older than", `before`/`begin` "newer than"; the newest `limit` rows between
// them are answered. Errors keep HTTP 200 with a non-"0" code (51001 unknown instrument, 51000 bad parameter).

import { dec, okxOptionName, round } from '../format.mjs';
import { HOUR, resample, select } from '../series.mjs';
import { fail, intParam, limitParam, ok, param, periods, route } from './shared.mjs';

const V = 'okx';
/** Bars without `utc` open on UTC+8 days (OKX's Hong Kong time); the hourly ones coincide with UTC. */
const BARS = periods([
  ['1m', 1], ['3m', 3], ['5m', 5], ['15m', 15], ['30m', 30], ['1H', 60], ['2H', 120], ['4H', 240],
  ['6H', 360], ['12H', 720], ['1D', 1440], ['1W', 10080], ['6Hutc', 360], ['12Hutc', 720], ['1Dutc', 1440], ['1Wutc', 10080],
]);
/** Base units per contract of the USDT perpetual (`ctVal`), the figure the adapter builds in. */
const CONTRACT = { BTC: 0.01, ETH: 0.1 };
const ctVal = (asset) => CONTRACT[asset] ?? 1;

const envelope = (data) => ({ code: '0', msg: '', data });
export const error = (status, code, msg) => fail(status, { code: String(code), data: [], msg });
const bad = (name) => error(200, 51000, `Parameter ${name} error`);
const unknown = () => error(200, 51001, 'Instrument ID does not exist');

export function notFound() {
  return error(404, 404, 'Not Found');
}

/** `BTC-USDT-SWAP` (or `BTC-USDT` for an index) → BTC; else the venue's error reply. */
function instAsset(req, suffix) {
  const id = param(req.query, 'instId');
  if (id === undefined) return { err: bad('instId') };
  const m = new RegExp(`^([A-Z0-9]+)${suffix}$`).exec(id);
  return m && req.data.hasAsset(m[1]) ? { asset: m[1], id } : { err: unknown() };
}

/** The newest `limit` rows strictly between the two bounds, newest first. */
function paged(req, rows, [olderThan, newerThan], fallback, max) {
  const before = intParam(req.query, olderThan);
  const after = intParam(req.query, newerThan);
  const limit = limitParam(req.query, 'limit', fallback, max);
  if (Number.isNaN(limit)) return { err: bad('limit') };
  if ([before, after].some(Number.isNaN)) return { err: bad(Number.isNaN(before) ? olderThan : newerThan) };
  return { rows: select(rows, { before, after, limit }).reverse() };
}

/** A bar name → its length and the offset of its buckets from the epoch (UTC+8 days for the non-utc ones). */
function bar(name) {
  const step = BARS.get(name ?? '1m');
  if (!step) return undefined;
  const offset = name.endsWith('utc') ? 0 : (((-8 * HOUR) % step) + step) % step;
  return { step, offset };
}

function fundingRate(req) {
  const { asset, id, err } = instAsset(req, '-USDT-SWAP');
  if (err) return err;
  const t = req.data.ticker(V, asset);
  const s = req.data.fundingSettings(V, asset);
  const settled = req.data.last(V, asset, 'funding');
  // Keys in OKX's order; a cap or floor the data set does not know is left out (undefined drops from JSON).
  const row = {
    formulaType: 'withRate',
    fundingRate: dec(t.funding_rate ?? 0),
    // The coming settlement (it pays fundingRate) and the one after: their gap is the interval.
    fundingTime: String(t.next_funding_time_ms),
    impactValue: '20000.0000000000000000',
    instId: id,
    instType: 'SWAP',
    interestRate: '0.0001000000000000',
    maxFundingRate: s.cap == null ? undefined : dec(s.cap),
    method: 'current_period',
    minFundingRate: s.floor == null && s.cap == null ? undefined : dec(s.floor ?? -s.cap),
    nextFundingRate: '',
    nextFundingTime: String(t.next_funding_time_ms + s.interval_hours * HOUR),
    premium: dec(t.index_price > 0 ? round((t.mark_price - t.index_price) / t.index_price, 10) : 0),
    settFundingRate: dec(settled?.rate ?? 0),
    settState: 'settled',
    ts: String(req.data.asOf),
  };
  return ok([row], envelope);
}

function fundingHistory(req) {
  const { asset, id, err } = instAsset(req, '-USDT-SWAP');
  if (err) return err;
  const { rows, err: e } = paged(req, req.data.rows(V, asset, 'funding'), ['after', 'before'], 400, 400);
  return e ?? ok(rows.map((r) => ({
    formulaType: 'withRate', fundingRate: dec(r.rate), fundingTime: String(r.time_ms), instId: id,
    instType: 'SWAP', method: 'current_period', realizedRate: dec(r.rate),
  })), envelope);
}

/** A rubik statistics series: positional rows, `begin`/`end` bounds, 100 rows at most. */
function rubik(item, how, render) {
  return (req) => {
    const { asset, err } = instAsset(req, '-USDT-SWAP');
    if (err) return err;
    const period = bar(param(req.query, 'period') ?? '5m');
    if (!period || period.step < 5 * 60_000) return bad('period');
    const series = resample(req.data.rows(V, asset, item), period.step, how);
    const { rows, err: e } = paged(req, series, ['end', 'begin'], 100, 100);
    return e ?? ok(rows.map((r) => render(r, asset, req)), envelope);
  };
}

const oiRow = (r, asset, req) => [
  String(r.time_ms), dec(round(r.base / ctVal(asset), 4)), dec(r.base),
  dec(round(r.usd ?? r.base * req.data.priceAt(V, asset, r.time_ms), 4)),
];

/** `[ts, sellVol, buyVol]` (sell first!) in coin (unit=0), contracts (1, the default) or USD (2). */
function takerRow(r, asset, req) {
  const unit = param(req.query, 'unit') ?? '1';
  const scale = unit === '0' ? 1 : unit === '2' ? req.data.priceAt(V, asset, r.time_ms) : 1 / ctVal(asset);
  return [String(r.time_ms), dec(round(r.sell_base * scale, 4)), dec(round(r.buy_base * scale, 4))];
}

const ratioRow = (r) => [String(r.time_ms), dec(r.ratio)];

/** Candles of one price kind; `suffix` is the instrument form (the index is `BTC-USDT`, not the swap). */
function candles(price, suffix, max) {
  return (req) => {
    const { asset, err } = instAsset(req, suffix);
    if (err) return err;
    const b = bar(param(req.query, 'bar') ?? '1m');
    if (!b) return bad('bar');
    const shifted = req.data.rows(V, asset, `candles:${price}`).map((c) => ({ ...c, open_time_ms: c.open_time_ms - b.offset }));
    const series = resample(shifted, b.step, 'candle').map((c) => ({ ...c, open_time_ms: c.open_time_ms + b.offset }));
    const { rows, err: e } = paged(req, series, ['after', 'before'], 100, max);
    if (e) return e;
    return ok(rows.map((c) => {
      const head = [String(c.open_time_ms), dec(c.open), dec(c.high), dec(c.low), dec(c.close)];
      // The newest candle may still be running: confirm "0", as on OKX.
      const confirm = c.open_time_ms + b.step > req.data.asOf ? '0' : '1';
      if (price !== 'last') return [...head, confirm];
      const contracts = dec(round(c.volume_base / ctVal(asset), 4));
      return [...head, contracts, dec(c.volume_base), dec(round(c.volume_base * c.close, 4)), confirm];
    }), envelope);
  };
}

function books(req) {
  const { asset, err } = instAsset(req, '-USDT-SWAP');
  if (err) return err;
  const sz = limitParam(req.query, 'sz', 1, 400);
  if (Number.isNaN(sz)) return bad('sz');
  const book = req.data.get(V, asset, 'book') ?? { time_ms: req.data.asOf, bids: [], asks: [] };
  // `[price, contracts, "0" (deprecated), number of orders]`.
  const side = (levels) => levels.slice(0, sz).map((l, i) => [
    dec(l.price), dec(round(l.size / ctVal(asset), 4)), '0', String(1 + ((i * 7 + Math.round(l.size * 10)) % 15)),
  ]);
  return ok([{ asks: side(book.asks), bids: side(book.bids), ts: String(book.time_ms) }], envelope);
}

function optSummary(req) {
  const family = param(req.query, 'instFamily');
  const m = /^([A-Z0-9]+)-USD$/.exec(family ?? '');
  if (!m || !req.data.hasAsset(m[1])) return family === undefined ? bad('instFamily') : unknown();
  const asset = m[1];
  const rows = req.data.rows(V, asset, 'options').map((o) => {
    const delta = o.delta ?? 0;
    return {
      askVol: dec(round(o.mark_iv + 0.004, 4)), bidVol: dec(round(Math.max(0, o.mark_iv - 0.004), 4)),
      // Plain `delta` is premium-adjusted (in coin); `deltaBS` is the one the adapter reads.
      delta: dec(round(delta - o.mark_price_usd / o.underlying_price, 10)), deltaBS: dec(delta),
      fwdPx: dec(o.underlying_price), gamma: '0', gammaBS: '0', instFamily: family,
      instId: okxOptionName(asset, o.expiry_ms, o.strike, o.kind), instType: 'OPTION',
      lever: dec(o.mark_price_usd > 0 ? round(o.underlying_price / o.mark_price_usd, 4) : 0),
      markVol: dec(o.mark_iv), realVol: '0', theta: '0', thetaBS: '0', ts: String(req.data.asOf), uly: family,
      vega: '0', vegaBS: '0', volLv: dec(o.mark_iv),
    };
  });
  return ok(rows, envelope);
}

const ROUTES = [
  ['/api/v5/public/funding-rate', fundingRate],
  ['/api/v5/public/funding-rate-history', fundingHistory],
  ['/api/v5/rubik/stat/contracts/open-interest-history', rubik('open_interest', 'point', oiRow)],
  ['/api/v5/rubik/stat/taker-volume-contract', rubik('taker', 'taker', takerRow)],
  ['/api/v5/rubik/stat/contracts/long-short-account-ratio-contract', rubik('ratio:global_accounts', 'point', ratioRow)],
  ['/api/v5/rubik/stat/contracts/long-short-account-ratio-contract-top-trader', rubik('ratio:top_accounts', 'point', ratioRow)],
  ['/api/v5/rubik/stat/contracts/long-short-position-ratio-contract-top-trader', rubik('ratio:top_positions', 'point', ratioRow)],
  // The history endpoints and the "latest" ones answer the same here (the data set is all "recent").
  ['/api/v5/market/history-candles', candles('last', '-USDT-SWAP', 300)],
  ['/api/v5/market/candles', candles('last', '-USDT-SWAP', 300)],
  ['/api/v5/market/history-mark-price-candles', candles('mark', '-USDT-SWAP', 100)],
  ['/api/v5/market/mark-price-candles', candles('mark', '-USDT-SWAP', 100)],
  ['/api/v5/market/history-index-candles', candles('index', '-USDT', 100)],
  ['/api/v5/market/index-candles', candles('index', '-USDT', 100)],
  ['/api/v5/market/books', books],
  ['/api/v5/public/opt-summary', optSummary],
];

export function handle(req) {
  if (req.method !== 'GET') return undefined;
  return route(ROUTES, req.path)?.(req);
}

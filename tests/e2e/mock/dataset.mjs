// The mock's input: a DataSet in the app's own JSON form (src/market/dataset.rs), indexed by venue, asset and
// item. Every renderer reads through this module, so the fallback rule lives in one place:
//
//   A venue with no entry for (asset, item) is answered from another venue's entry for the same asset and item,
//   looked for in the canonical venue order (binance, bybit, okx, hyperliquid, deribit, dydx). A data set made
//   by the simulator for binance, bybit and hyperliquid thus still gives OKX, Deribit and dYdX plausible data.
//
// The ticker and funding settings are also derived when no entry holds them (from candles, funding, open
// interest and the book), because the simulator need not write a ticker for every venue.

import { DAY, HOUR, atOrBefore, timeOf } from './series.mjs';

export const VENUES = ['binance', 'bybit', 'okx', 'hyperliquid', 'deribit', 'dydx'];

/** The payload kind each item carries (Payload's serde tag in src/market/venues/mod.rs). */
const PAYLOAD_KIND = {
  funding: 'funding',
  funding_settings: 'funding_settings',
  ticker: 'ticker',
  open_interest: 'open_interest',
  ratio: 'ratios',
  taker: 'taker',
  candles: 'candles',
  spot_candles: 'candles',
  basis: 'basis',
  book: 'book',
  options: 'options',
  liquidations: 'liquidations',
  quotes: 'quotes',
};

/** An entry's item as one key: `funding`, `ratio:global_accounts`, `candles:mark`. */
export function itemKey(entry) {
  if (entry.item === 'ratio') return `ratio:${entry.kind}`;
  if (entry.item === 'candles') return `candles:${entry.price}`;
  return entry.item;
}

const keyOf = (venue, asset, item) => `${venue}|${asset}|${item}`;

export class MarketData {
  /** `dataSet`: the parsed DataSet object (or its JSON text). Throws with a clear message on a wrong shape. */
  constructor(dataSet) {
    const set = typeof dataSet === 'string' ? JSON.parse(dataSet) : dataSet;
    if (!set || !Array.isArray(set.entries) || !Number.isFinite(set.as_of_ms)) {
      throw new Error('the data set needs "as_of_ms" and an "entries" array (see src/market/dataset.rs)');
    }
    this.origin = set.origin;
    this.asOf = set.as_of_ms;
    this.entries = new Map();
    this.assetSet = new Set();
    for (const [i, entry] of set.entries.entries()) {
      const where = `entry ${i} (${entry.venue} ${entry.asset} ${entry.item})`;
      if (!VENUES.includes(entry.venue)) throw new Error(`${where}: unknown venue`);
      if (!/^[A-Z0-9]{1,12}$/.test(entry.asset ?? '')) throw new Error(`${where}: asset must be like "BTC"`);
      const kind = PAYLOAD_KIND[entry.item];
      if (!kind) throw new Error(`${where}: unknown item`);
      if (entry.payload?.kind !== kind) throw new Error(`${where}: payload kind must be "${kind}"`);
      let data = entry.payload.data;
      // The model says oldest first; a hand-written file may not, and every renderer relies on it.
      if (Array.isArray(data) && data.length && timeOf(data[0]) !== undefined) {
        data = [...data].sort((a, b) => timeOf(a) - timeOf(b));
      }
      this.entries.set(keyOf(entry.venue, entry.asset, itemKey(entry)), data);
      this.assetSet.add(entry.asset);
    }
  }

  /** Assets present, sorted. */
  assets() {
    return [...this.assetSet].sort();
  }

  hasAsset(asset) {
    return this.assetSet.has(asset);
  }

  /** Whether `venue` itself (not a fallback) has the item. */
  owns(venue, asset, item) {
    return this.entries.has(keyOf(venue, asset, item));
  }

  /** `{ data, venue }` from the venue itself, else from the first other venue that has it; undefined if none. */
  find(venue, asset, item) {
    for (const v of [venue, ...VENUES.filter((other) => other !== venue)]) {
      const data = this.entries.get(keyOf(v, asset, item));
      if (data !== undefined) return { data, venue: v };
    }
    return undefined;
  }

  /** The item's data (with fallback), or undefined. */
  get(venue, asset, item) {
    return this.find(venue, asset, item)?.data;
  }

  /** A series (with fallback), `[]` when no venue has it. */
  rows(venue, asset, item) {
    const data = this.get(venue, asset, item);
    return Array.isArray(data) ? data : [];
  }

  /** The last row of a series, or undefined. */
  last(venue, asset, item) {
    const rows = this.rows(venue, asset, item);
    return rows[rows.length - 1];
  }

  /**
   * The live state of the venue's perpetual: its ticker entry, with any missing field filled from the other
   * items (last candle close, mark and index candles, latest funding and open interest, 24 h volume, book mid),
   * and then from another venue's ticker entry when the venue's own data has no price at all.
   */
  ticker(venue, asset) {
    const own = this.entries.get(keyOf(venue, asset, 'ticker')) ?? {};
    const derived = this.derivedTicker(venue, asset);
    const merged = { ...derived };
    for (const [key, value] of Object.entries(own)) if (value !== null && value !== undefined) merged[key] = value;
    if (merged.mark_price == null && merged.last_price == null) {
      const other = this.find(venue, asset, 'ticker')?.data ?? {};
      for (const [key, value] of Object.entries(other)) if (value !== null && value !== undefined) merged[key] = value;
    }
    // 0 only when nothing at all prices the asset: the app's parsers then refuse the price, as they should.
    merged.mark_price ??= merged.last_price ?? merged.index_price ?? 0;
    merged.index_price ??= merged.mark_price;
    merged.last_price ??= merged.mark_price;
    return merged;
  }

  derivedTicker(venue, asset) {
    const candle = this.last(venue, asset, 'candles:last');
    const funding = this.last(venue, asset, 'funding');
    const interval = funding?.interval_hours ?? 8;
    const book = this.get(venue, asset, 'book');
    const mid = book?.bids?.length && book?.asks?.length ? (book.bids[0].price + book.asks[0].price) / 2 : undefined;
    const dayCandles = this.rows(venue, asset, 'candles:last').filter((c) => c.open_time_ms > this.asOf - DAY);
    const period = interval * HOUR;
    return {
      time_ms: this.asOf,
      mark_price: this.last(venue, asset, 'candles:mark')?.close ?? null,
      index_price: this.last(venue, asset, 'candles:index')?.close ?? null,
      last_price: candle?.close ?? mid ?? null,
      funding_rate: funding?.rate ?? null,
      funding_interval_hours: funding ? interval : null,
      next_funding_time_ms: Math.floor(this.asOf / period) * period + period,
      open_interest_base: this.last(venue, asset, 'open_interest')?.base ?? null,
      volume_24h_base: dayCandles.length ? dayCandles.reduce((sum, c) => sum + c.volume_base, 0) : null,
    };
  }

  /**
   * Funding interval, cap and floor: the venue's own entry; else what its own funding rows show (interval only);
   * else another venue's entry; else the interval of any venue's funding (default 8 h).
   */
  fundingSettings(venue, asset) {
    const own = this.entries.get(keyOf(venue, asset, 'funding_settings'));
    if (own) return own;
    const fromRows = (v) => {
      const rows = this.entries.get(keyOf(v, asset, 'funding'));
      return rows?.length ? { interval_hours: rows[rows.length - 1].interval_hours, cap: null, floor: null } : undefined;
    };
    return (
      fromRows(venue) ??
      this.find(venue, asset, 'funding_settings')?.data ??
      (this.find(venue, asset, 'funding') && fromRows(this.find(venue, asset, 'funding').venue)) ?? {
        interval_hours: 8,
        cap: null,
        floor: null,
      }
    );
  }

  /** The traded price at time `t` (close of the candle open then), else the ticker's; for USD values. */
  priceAt(venue, asset, t) {
    for (const item of ['candles:last', 'candles:mark', 'candles:index']) {
      const rows = this.rows(venue, asset, item);
      if (rows.length) return atOrBefore(rows, t)?.close ?? rows[0].open;
    }
    const ticker = this.ticker(venue, asset);
    return ticker?.mark_price ?? ticker?.last_price ?? undefined;
  }
}

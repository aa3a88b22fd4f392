// Time-series chores every venue renderer shares: cutting a window, applying a row limit the way the venue
// does, resampling to the period asked for, and re-cutting funding to an hourly schedule for hourly venues.
// Rows are the data set's normalised rows, oldest first (the model's convention).

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The time of a normalised row: `time_ms` for points, `open_time_ms` for candles. */
export const timeOf = (row) => row.time_ms ?? row.open_time_ms;

/**
 * The rows inside a window, oldest first. `from`/`to` are inclusive unless `after`/`before` (exclusive
 * bounds, OKX style) are given; any bound may be undefined. `limit` keeps the `keep` end of the window:
 * 'newest' (Bybit, OKX, dYdX, and Binance without a startTime) or 'oldest' (Binance and Hyperliquid when a
 * start is given: they count forward from it).
 */
export function select(rows, { from, to, after, before, limit, keep = 'newest' } = {}) {
  let out = rows.filter((row) => {
    const t = timeOf(row);
    return (
      (from === undefined || t >= from) &&
      (to === undefined || t <= to) &&
      (after === undefined || t > after) &&
      (before === undefined || t < before)
    );
  });
  if (limit !== undefined && out.length > limit) {
    out = keep === 'oldest' ? out.slice(0, limit) : out.slice(out.length - limit);
  }
  return out;
}

/** The last row at or before `t` (rows oldest first), by binary search: lookups per row stay cheap on big data
 * sets. Undefined when every row is later. */
export function atOrBefore(rows, t) {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (timeOf(rows[mid]) <= t) lo = mid + 1;
    else hi = mid;
  }
  return rows[lo - 1];
}

/** The smallest spacing between consecutive rows (the series' own period); Infinity for fewer than 2 rows. */
export function nativeStep(rows) {
  let step = Infinity;
  for (let i = 1; i < rows.length; i++) {
    const gap = timeOf(rows[i]) - timeOf(rows[i - 1]);
    if (gap > 0 && gap < step) step = gap;
  }
  return step;
}

/** Rows grouped by the `stepMs` bucket their time falls in (buckets aligned to the epoch, like venues'). */
function buckets(rows, stepMs) {
  const groups = new Map();
  for (const row of rows) {
    const start = Math.floor(timeOf(row) / stepMs) * stepMs;
    if (!groups.has(start)) groups.set(start, []);
    groups.get(start).push(row);
  }
  return [...groups.entries()];
}

/**
 * The series at a coarser period, so that asking for 4h open interest of an hourly data set gives 4h rows.
 * A finer period than the data's own cannot be invented: the rows are then returned as they are.
 * `how`: 'point' keeps the first sample of each period (a snapshot at the period start); 'candle' merges
 * OHLCV; 'taker' sums buy and sell volume.
 */
export function resample(rows, stepMs, how = 'point') {
  if (!stepMs || rows.length < 2 || stepMs <= nativeStep(rows)) return rows;
  return buckets(rows, stepMs).map(([start, group]) => {
    const first = group[0];
    const last = group[group.length - 1];
    if (how === 'candle') {
      const sum = (key) => group.reduce((acc, c) => acc + (c[key] ?? 0), 0);
      const candle = {
        open_time_ms: start,
        open: first.open,
        high: Math.max(...group.map((c) => c.high)),
        low: Math.min(...group.map((c) => c.low)),
        close: last.close,
        volume_base: sum('volume_base'),
      };
      if (group.every((c) => c.taker_buy_base !== undefined)) candle.taker_buy_base = sum('taker_buy_base');
      return candle;
    }
    if (how === 'taker') {
      const sum = (key) => group.reduce((acc, r) => acc + r[key], 0);
      return { time_ms: start, buy_base: sum('buy_base'), sell_base: sum('sell_base') };
    }
    return first;
  });
}

/**
 * Funding rows on an hourly schedule, for venues that settle every hour (Hyperliquid, dYdX, Deribit) when the
 * data came from a venue that pays every 8 (or 4…) hours: each payment is spread over the hours it covers,
 * `rate / interval_hours` each, ending at the payment time. Hourly rows pass through unchanged.
 */
export function hourlyFunding(rows) {
  const out = [];
  for (const row of rows) {
    const hours = Math.max(1, Math.round(row.interval_hours ?? 1));
    for (let h = hours - 1; h >= 0; h--) {
      out.push({ ...row, time_ms: row.time_ms - h * HOUR, rate: row.rate / hours, interval_hours: 1 });
    }
  }
  out.sort((a, b) => a.time_ms - b.time_ms);
  return out.filter((row, i) => i === 0 || row.time_ms !== out[i - 1].time_ms);
}

/**
 * Row `k` of an endless replay of `rows` (for streams): the series repeats, each lap shifted later by its
 * span plus one step, so event times keep increasing however long a stream runs.
 */
export function cycle(rows, k) {
  const n = rows.length;
  const lap = Math.floor(k / n);
  const row = rows[k % n];
  if (lap === 0) return row;
  const step = Number.isFinite(nativeStep(rows)) ? nativeStep(rows) : 1_000;
  const shift = lap * (timeOf(rows[n - 1]) - timeOf(rows[0]) + step);
  return 'time_ms' in row ? { ...row, time_ms: row.time_ms + shift } : { ...row, open_time_ms: row.open_time_ms + shift };
}

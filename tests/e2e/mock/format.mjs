// How venues write numbers, times and instrument names. Kept in one place so every renderer writes a value the
// same way, and so a value from the data set survives the trip through the app's parsers exactly.

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/**
 * A finite number as a plain decimal string, the way Binance, Bybit, OKX, Hyperliquid and dYdX send numbers.
 * JavaScript's shortest round-trip digits are kept (so the app parses back exactly the data set's double), but
 * never in exponent form: `1e-7` becomes `0.0000001`, because venues do not write exponents.
 */
export function dec(x) {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new TypeError(`not a finite number: ${x}`);
  const text = String(x);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!m) return text;
  const [, sign, lead, frac = '', exp] = m;
  const digits = lead + frac;
  const point = 1 + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** A number rounded to `places` decimals (for derived figures such as turnover, where venues round). */
export function round(x, places) {
  const f = 10 ** places;
  return Math.round(x * f) / f;
}

/** ms → `2025-11-20T03:00:00.000Z`, dYdX's time format. */
export function iso(ms) {
  return new Date(ms).toISOString();
}

/** A millisecond time from a query value: digits, or an ISO-8601 time (dYdX). `undefined` when absent. */
export function parseTime(text) {
  if (text === null || text === undefined || text === '') return undefined;
  if (/^-?\d+$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? NaN : ms;
}

/** UTC date parts of a time. */
function ymd(ms) {
  const d = new Date(ms);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth(), d: d.getUTCDate() };
}

const two = (n) => String(n).padStart(2, '0');

/** Strike as Deribit writes it: `2.5` → `2d5`. */
const strikeText = (strike, point) => dec(strike).replace('.', point);

/** `BTC-26DEC25-100000-C`: Deribit's option name (expiry day without padding, month, two-digit year). */
export function deribitOptionName(asset, expiryMs, strike, kind) {
  const { y, m, d } = ymd(expiryMs);
  return `${asset}-${d}${MONTHS[m]}${two(y % 100)}-${strikeText(strike, 'd')}-${kind === 'put' ? 'P' : 'C'}`;
}

/** `BTC-USD-261225-100000-C`: OKX's option name. */
export function okxOptionName(asset, expiryMs, strike, kind) {
  const { y, m, d } = ymd(expiryMs);
  return `${asset}-USD-${two(y % 100)}${two(m + 1)}${two(d)}-${strikeText(strike, '.')}-${kind === 'put' ? 'P' : 'C'}`;
}

/** `BTC-26DEC25`: the future a Deribit option's `underlying_index` names. */
export function deribitExpiryCode(asset, expiryMs) {
  const { y, m, d } = ymd(expiryMs);
  return `${asset}-${d}${MONTHS[m]}${two(y % 100)}`;
}

/** A small deterministic integer from a number (trade counts, order counts, update ids): stable across runs. */
export function pseudoCount(seed, min, max) {
  const x = Math.abs(Math.sin(seed * 12.9898 + 78.233) * 43758.5453);
  return min + Math.floor((x - Math.floor(x)) * (max - min + 1));
}

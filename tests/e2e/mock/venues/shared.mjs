// What every venue renderer returns, and the query-string reading they share.
//
// A renderer answers a request with a Reply:
//   { status, payload, envelope?, empty?, error? }   JSON: the body is envelope(payload) (or payload without
//                                            one); `empty` is the payload the `empty` fault sends, when the
//                                            generic "every list emptied" would not be the venue's empty answer
//   { status, text, contentType, error? }    anything else (Hyperliquid's plain-text 422)
// Keeping the payload apart from its envelope lets the `empty` and `wrong-types` faults damage the data while
// the envelope (Bybit retCode, OKX code, Deribit jsonrpc…) stays valid, as a real venue's would.

/** A successful answer: `payload` wrapped by `envelope` when the venue has one. */
export const ok = (payload, envelope) => ({ status: 200, payload, envelope });

/** An error answer whose body is already in the venue's own error format. */
export const fail = (status, body) => ({ status, payload: body, error: true });

/** A query parameter, undefined when absent or empty. */
export function param(query, name) {
  const value = query.get(name);
  return value === null || value === '' ? undefined : value;
}

/** An integer parameter: undefined when absent, NaN when not an integer. */
export function intParam(query, name) {
  const value = param(query, name);
  if (value === undefined) return undefined;
  return /^-?\d+$/.test(value) ? Number(value) : NaN;
}

/** A row limit: the venue's default when absent, capped at its maximum, NaN when not a positive integer. */
export function limitParam(query, name, fallback, max) {
  const value = intParam(query, name);
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 1) return NaN;
  return Math.min(value, max);
}

/** A path segment decoded; a malformed escape is kept as sent (it then names nothing the data set has). */
function safeDecode(segment) {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Finds the route for a path in a table of exact paths and `RegExp` patterns (captures become arguments). */
export function route(table, path) {
  for (const [pattern, handler] of table) {
    if (typeof pattern === 'string') {
      if (pattern === path) return (req) => handler(req);
    } else {
      const m = pattern.exec(path);
      if (m) return (req) => handler(req, ...m.slice(1).map(safeDecode));
    }
  }
  return undefined;
}

/** Period names → ms, built from [name, minutes] pairs. */
export const periods = (pairs) => new Map(pairs.map(([name, minutes]) => [name, minutes * 60_000]));

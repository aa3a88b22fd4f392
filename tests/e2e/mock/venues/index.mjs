// The six venue renderers by id. Each exports handle(req) → Reply | undefined (undefined: no such path),
// notFound(req) → Reply in the venue's own error format, and error(…) → Reply (used by the faults).
import * as binance from './binance.mjs';
import * as bybit from './bybit.mjs';
import * as deribit from './deribit.mjs';
import * as dydx from './dydx.mjs';
import * as hyperliquid from './hyperliquid.mjs';
import * as okx from './okx.mjs';

export const VENUE_MODULES = { binance, bybit, okx, hyperliquid, deribit, dydx };

// The WebSocket streams the adapters open (their stream_request()), under ws://HOST:PORT/<venue>-ws:
//   binance-ws   /ws/<symbol>@bookTicker, /ws/<symbol>@forceOrder (the path is the subscription), also the
//                combined /stream?streams=a/b ({"stream","data"} wrapped) and {"method":"SUBSCRIBE"} messages
//   bybit-ws     /v5/public/linear, {"op":"subscribe","args":["allLiquidation.BTCUSDT"]}
//   hyperliquid-ws /ws, {"method":"subscribe","subscription":{"type":"l2Book","coin":"BTC"}}
// Messages replay the data set's quotes, liquidations and book at a steady pace (`intervalMs`), cycling with
// times shifted forward each lap so they keep increasing. A refusing fault (rate-limit, ban, geo-block,
// cloudfront-403, server-error) set on the venue refuses the upgrade with its status.

import { STATUS_CODES } from 'node:http';
import { WebSocketServer } from 'ws';

import { STREAM_FAULTS, faultStatus } from './faults.mjs';
import { dec, round } from './format.mjs';
import { cycle } from './series.mjs';
import { assetOf as hlAsset, l2Levels } from './venues/hyperliquid.mjs';

const parse = (raw) => {
  try {
    return JSON.parse(String(raw));
  } catch {
    return undefined;
  }
};

/** The venue's quotes, else one quote from the top of its book (replayed as a steady market). */
function quotes(data, venue, asset) {
  const rows = data.rows(venue, asset, 'quotes');
  if (rows.length) return rows;
  const book = data.get(venue, asset, 'book');
  if (!book?.bids?.length || !book?.asks?.length) return [];
  const [bid, ask] = [book.bids[0], book.asks[0]];
  return [{ time_ms: book.time_ms, bid_price: bid.price, bid_size: bid.size, ask_price: ask.price, ask_size: ask.size }];
}

/** Binance event `k` of a stream name such as `btcusdt@bookTicker`, or undefined (unknown or no data). */
function binanceEvent(data, name, k) {
  const m = /^([a-z0-9]+)usdt@(bookTicker|forceOrder)$/.exec(name);
  const asset = m?.[1].toUpperCase();
  if (!m || !data.hasAsset(asset)) return undefined;
  const symbol = `${asset}USDT`;
  if (m[2] === 'bookTicker') {
    const rows = quotes(data, 'binance', asset);
    if (!rows.length) return undefined;
    const q = cycle(rows, k);
    return {
      e: 'bookTicker', u: 8_812_733_000_000 + k, s: symbol, b: dec(q.bid_price), B: dec(q.bid_size),
      a: dec(q.ask_price), A: dec(q.ask_size), T: q.time_ms, E: q.time_ms + 5,
    };
  }
  const rows = data.rows('binance', asset, 'liquidations');
  if (!rows.length) return undefined;
  const l = cycle(rows, k);
  // The side is the liquidation order's: SELL closes a long. Its limit price `p` is worse than the fills `ap`.
  const side = l.side === 'long' ? 'SELL' : 'BUY';
  return {
    e: 'forceOrder', E: l.time_ms + 5,
    o: {
      s: symbol, S: side, o: 'LIMIT', f: 'IOC', q: dec(l.quantity_base),
      p: dec(round(l.price * (side === 'SELL' ? 0.995 : 1.005), 2)), ap: dec(l.price), X: 'FILLED',
      l: dec(l.quantity_base), z: dec(l.quantity_base), T: l.time_ms,
    },
  };
}

const binance = {
  accepts: (path) => path === '/ws' || path === '/stream' || /^\/ws\/[^/]+$/.test(path),
  open({ send, every, path, query, data }) {
    const combined = path === '/stream';
    const names = path.startsWith('/ws/') ? [path.slice(4)] : (query.get('streams') ?? '').split('/').filter(Boolean);
    const streams = new Map(names.map((n) => [n, 0]));
    every(() => {
      for (const [name, k] of streams) {
        const event = binanceEvent(data, name, k);
        if (!event) continue;
        streams.set(name, k + 1);
        send(combined ? { stream: name, data: event } : event);
      }
    });
    return {
      message(msg) {
        if (!msg || typeof msg.method !== 'string') return send({ error: { code: 2, msg: 'Invalid request' }, id: msg?.id ?? null });
        const params = Array.isArray(msg.params) ? msg.params : [];
        if (msg.method === 'SUBSCRIBE') params.forEach((p) => streams.set(p, streams.get(p) ?? 0));
        else if (msg.method === 'UNSUBSCRIBE') params.forEach((p) => streams.delete(p));
        else if (msg.method === 'LIST_SUBSCRIPTIONS') return send({ result: [...streams.keys()], id: msg.id });
        else return send({ error: { code: 2, msg: `Invalid request: unknown method ${msg.method}` }, id: msg.id });
        return send({ result: null, id: msg.id });
      },
    };
  },
};

let connections = 0;
/** `allLiquidation.BTCUSDT` → BTC. */
const topicAsset = (topic) => /^allLiquidation\.([A-Z0-9]+)USDT$/.exec(topic)?.[1];

const bybit = {
  accepts: (path) => path === '/v5/public/linear',
  open({ send, every, data }) {
    const conn = `mock-${(connections += 1)}`;
    const topics = new Map();
    const ack = (msg, success, retMsg = '') => send({ success, ret_msg: retMsg, conn_id: conn, req_id: msg.req_id ?? '', op: msg.op });
    every(() => {
      for (const [topic, k] of topics) {
        const asset = topicAsset(topic);
        const rows = data.rows('bybit', asset, 'liquidations');
        if (!rows.length) continue;
        // One or two liquidations a push: Bybit batches every liquidation of its 500 ms window.
        const batch = Array.from({ length: 1 + (k % 2) }, (_, i) => cycle(rows, k + i));
        topics.set(topic, k + batch.length);
        send({
          topic, type: 'snapshot', ts: batch[batch.length - 1].time_ms + 50,
          // `S` is the liquidated position's side here: Buy is a long (the opposite of Binance's).
          data: batch.map((l) => ({ T: l.time_ms, s: `${asset}USDT`, S: l.side === 'long' ? 'Buy' : 'Sell', v: dec(l.quantity_base), p: dec(l.price) })),
        });
      }
    });
    return {
      message(msg) {
        if (msg?.op === 'ping') return ack(msg, true, 'pong');
        if (msg?.op !== 'subscribe' && msg?.op !== 'unsubscribe') return ack(msg ?? {}, false, 'error:illegal request');
        const args = Array.isArray(msg.args) ? msg.args : [];
        const known = (t) => data.hasAsset(topicAsset(t));
        if (!args.length || !args.every(known)) return ack(msg, false, 'error:handler not found');
        args.forEach((t) => (msg.op === 'subscribe' ? topics.set(t, topics.get(t) ?? 0) : topics.delete(t)));
        return ack(msg, true);
      },
    };
  },
};

const hyperliquid = {
  accepts: (path) => path === '/ws',
  open({ send, every, data, intervalMs }) {
    send('Websocket connection established.');
    const coins = new Map();
    every(() => {
      for (const [coin, k] of coins) {
        const book = data.get('hyperliquid', hlAsset(coin), 'book');
        if (!book) continue;
        coins.set(coin, k + 1);
        // Every push is a full snapshot; sizes breathe a little so consecutive books differ.
        const vary = (levels) => levels.map((l, i) => ({ ...l, size: round(l.size * (1 + 0.2 * Math.sin(k + i)), 5) || l.size }));
        const next = { ...book, bids: vary(book.bids), asks: vary(book.asks) };
        send({ channel: 'l2Book', data: l2Levels(next, coin, book.time_ms + (k + 1) * intervalMs) });
      }
    });
    return {
      message(msg, raw) {
        if (!msg) return send({ channel: 'error', data: `Error parsing JSON into valid websocket request: ${String(raw).slice(0, 80)}` });
        if (msg.method === 'ping') return send({ channel: 'pong' });
        const sub = msg.subscription;
        if ((msg.method !== 'subscribe' && msg.method !== 'unsubscribe') || sub?.type !== 'l2Book' || !data.hasAsset(hlAsset(sub.coin))) {
          return send({ channel: 'error', data: `Invalid subscription ${JSON.stringify(sub ?? msg)}` });
        }
        if (msg.method === 'subscribe') coins.set(sub.coin, coins.get(sub.coin) ?? 0);
        else coins.delete(sub.coin);
        const subscription = { type: 'l2Book', coin: sub.coin, nSigFigs: sub.nSigFigs ?? null, mantissa: sub.mantissa ?? null };
        return send({ channel: 'subscriptionResponse', data: { method: msg.method, subscription } });
      },
    };
  },
};

const STREAMS = { binance, bybit, hyperliquid };

function refuse(socket, status) {
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Serves the streams on `server`'s upgrade requests; `log(entry)` records each connection. */
export function attachStreams(server, { data, faults, log, intervalMs }) {
  const wss = new WebSocketServer({ noServer: true });
  const timers = new Set();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url, 'http://mock');
    const m = /^\/([a-z]+)-ws(\/.*)?$/.exec(url.pathname);
    const venue = m?.[1];
    const path = m?.[2] ?? '/';
    const handler = STREAMS[venue];
    if (!handler?.accepts(path)) return refuse(socket, 404);
    const entry = log({ venue, method: 'WS', path, query: Object.fromEntries(url.searchParams), time: Date.now() });
    const fault = faults.take(venue, `${path}${url.search}`, { ws: true });
    if (fault && !STREAM_FAULTS.has(fault.type)) {
      Object.assign(entry, { fault: fault.type, status: faultStatus(fault) });
      return refuse(socket, faultStatus(fault));
    }
    if (fault) entry.fault = fault.type;
    wss.handleUpgrade(req, socket, head, (ws) => {
      entry.status = 101;
      entry.pings = 0;
      // Lets tests check that the app closes streams it no longer needs.
      ws.on('close', () => {
        entry.closed = Date.now();
      });
      const silent = fault?.type === 'ws-silent';
      let frames = 0;
      const send = (msg) => {
        if (silent || ws.readyState !== ws.OPEN) return;
        ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
        frames += 1;
        // One frame, then the venue (or a proxy) hangs up.
        if (fault?.type === 'ws-one-frame' && frames === 1) setTimeout(() => ws.close(1011, 'going away'), 10);
      };
      // Closes the socket when no ping came within the window, as venues with client heartbeats do.
      let pingTimer;
      const awaitPing = () => {
        clearTimeout(pingTimer);
        pingTimer = setTimeout(() => ws.readyState === ws.OPEN && ws.close(4000, 'no ping'), fault.pingTimeoutMs);
        timers.add(pingTimer);
      };
      if (fault?.type === 'ws-needs-ping') {
        awaitPing();
        ws.on('close', () => clearTimeout(pingTimer));
      }
      const isPing = (raw) => /^ping$|"op"\s*:\s*"ping"|"method"\s*:\s*"ping"/.test(String(raw));
      const every = (fn) => {
        const timer = setInterval(fn, intervalMs);
        timers.add(timer);
        ws.on('close', () => {
          clearInterval(timer);
          timers.delete(timer);
        });
        return timer;
      };
      const session = handler.open({ send, every, path, query: url.searchParams, data, intervalMs });
      ws.on('message', (raw) => {
        if (isPing(raw)) {
          entry.pings += 1;
          if (fault?.type === 'ws-needs-ping') awaitPing();
        }
        session.message(parse(raw), raw);
      });
    });
  });
  return {
    /** Drops every open socket at once, as a venue restart or a network switch does. */
    drop() {
      for (const client of wss.clients) client.terminate();
    },
    close() {
      for (const timer of timers) clearInterval(timer);
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

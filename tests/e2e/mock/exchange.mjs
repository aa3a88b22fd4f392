// A local mock of the six venues' public APIs for the end-to-end tests (which run without internet): one HTTP
// server on 127.0.0.1, each venue under its own prefix (http://127.0.0.1:PORT/binance/fapi/v1/…), answering in
// the venue's exact REST format from a DataSet JSON, with CORS like a browser-friendly venue, WebSocket streams
// under /<venue>-ws, faults on request, and a log of every request.
//
//   const mock = await startMockExchange({ dataSet });
//   config.venues.binance = { rest: mock.baseUrl('binance'), ws: mock.wsUrl('binance') };
//   mock.setFault('binance', { type: 'rate-limit', retryAfter: 1, times: 2 });
//   …; await mock.close();

import { createServer } from 'node:http';

import { control } from './control.mjs';
import { MarketData, VENUES } from './dataset.mjs';
import { FaultBook, renderFault } from './faults.mjs';
import { attachStreams } from './streams.mjs';
import { VENUE_MODULES } from './venues/index.mjs';

/** What every normal answer carries, so a page on another origin may read the body and Retry-After. */
const CORS = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'Retry-After' };
const MAX_BODY = 1 << 20;

/** A renderer's Reply (venues/shared.mjs) → { status, contentType, body }. */
function serialize(reply) {
  if (reply.text !== undefined) return { status: reply.status, contentType: reply.contentType, body: reply.text };
  const json = reply.envelope ? reply.envelope(reply.payload) : reply.payload;
  return { status: reply.status, contentType: 'application/json', body: JSON.stringify(json) };
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(new Error('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function write(res, { status, contentType, body, headers = {}, cors = true, delivery }) {
  if (res.destroyed) return;
  if (delivery?.hugeBytes) return writeHuge(res, { status, contentType, headers, cors }, delivery);
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body ?? '');
  if (delivery?.reset) {
    // Promise the whole body, send half, then reset the connection: the client's read fails mid-body.
    res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': bytes.length, ...(cors ? CORS : {}), ...headers });
    res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => setTimeout(() => res.socket?.resetAndDestroy?.() ?? res.socket?.destroy(), 20));
    return;
  }
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': bytes.length,
    ...(cors ? CORS : {}),
    ...headers,
  });
  res.end(bytes);
}

/** Streams `delivery.hugeBytes` of a JSON array in 64 KB chunks, stopping when the client goes away. */
function writeHuge(res, { status, contentType, headers, cors }, delivery) {
  const chunk = Buffer.alloc(65_536, ' ');
  chunk[0] = 0x5b; // "[": it starts like a venue's answer
  let sent = 0;
  res.writeHead(status, {
    'Content-Type': contentType,
    ...(delivery.contentLength ? { 'Content-Length': delivery.hugeBytes } : {}),
    ...(cors ? CORS : {}),
    ...headers,
  });
  const pump = () => {
    while (sent < delivery.hugeBytes && !res.destroyed) {
      const part = chunk.subarray(0, Math.min(chunk.length, delivery.hugeBytes - sent));
      sent += part.length;
      res.hugeSent = sent;
      if (!res.write(part)) return res.once('drain', pump);
    }
    if (!res.destroyed) res.end();
    return undefined;
  };
  pump();
}

const json = (status, value) => ({ status, contentType: 'application/json', body: JSON.stringify(value, null, 1) });

/**
 * Starts the mock. `dataSet`: a DataSet object or its JSON text. `port` 0 picks a free one. `streamIntervalMs`:
 * the pace of WebSocket pushes. Resolves to the handle described in the file header.
 */
export async function startMockExchange({ dataSet, port = 0, host = '127.0.0.1', streamIntervalMs = 200 } = {}) {
  const data = new MarketData(dataSet);
  const faults = new FaultBook();
  const requests = [];
  const sleepers = new Set();
  const log = (entry) => {
    requests.push(entry);
    return entry;
  };

  /** Waits `ms` unless the client goes away or the mock closes first (then resolves false). */
  const sleep = (ms, res) =>
    new Promise((resolve) => {
      const done = (value) => {
        clearTimeout(timer);
        sleepers.delete(done);
        res.off('close', gone);
        resolve(value);
      };
      const gone = () => done(false);
      const timer = setTimeout(() => done(true), ms);
      sleepers.add(done);
      res.on('close', gone);
    });

  async function serve(req, res) {
    const url = new URL(req.url, 'http://mock');
    if (url.pathname.startsWith('/__control/')) {
      return control(req.method, url.pathname, () => readBody(req), mock, (status, value) => write(res, json(status, value)));
    }
    if (url.pathname === '/' || url.pathname === '') return write(res, json(200, mock.describe()));
    const m = /^\/([a-z]+)(\/.*)?$/.exec(url.pathname);
    const venue = m?.[1];
    const module = VENUE_MODULES[venue];
    if (!module) return write(res, json(404, { error: `no venue at ${url.pathname}`, venues: VENUES.map((v) => `/${v}`) }));
    const path = m[2] ?? '/';
    const entry = log({ venue, method: req.method, path, query: Object.fromEntries(url.searchParams), time: Date.now() });
    if (req.method === 'OPTIONS') {
      // The preflight a POST with Content-Type: application/json triggers (Hyperliquid). Never faulted.
      entry.status = 204;
      return write(res, {
        status: 204, contentType: 'text/plain', body: '',
        headers: {
          'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
          'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? 'content-type',
          'Access-Control-Max-Age': '600',
        },
      });
    }
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    if (body !== undefined) entry.body = body;
    const request = { method: req.method, path, query: url.searchParams, body, data };
    const normal = () => module.handle(request) ?? module.notFound(request);
    const fault = faults.take(venue, `${path}${url.search} ${body ?? ''}`);
    let out;
    if (fault) {
      entry.fault = fault.type;
      out = renderFault(fault, venue, normal, serialize);
      if (out.delayMs && !(await sleep(out.delayMs, res))) return undefined;
    } else {
      out = serialize(normal());
    }
    entry.status = out.status;
    if (out.delivery?.hugeBytes) res.on('close', () => { entry.bytesSent = res.hugeSent; });
    return write(res, out);
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((e) => {
      // A renderer bug must show as a failed request, not a hung one.
      console.error(`mock exchange: ${req.method} ${req.url}: ${e.stack ?? e}`);
      if (!res.headersSent) write(res, json(500, { error: String(e.message ?? e) }));
    });
  });
  const streams = attachStreams(server, { data, faults, log, intervalMs: streamIntervalMs });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${server.address().port}`;

  const mock = {
    url: origin,
    origin,
    /** The REST base URL the app's config should use for `venue`. */
    baseUrl: (venue) => `${origin}/${venue}`,
    /** The WebSocket base URL for `venue` (stream paths such as /ws/btcusdt@bookTicker go under it). */
    wsUrl: (venue) => `${origin.replace(/^http/, 'ws')}/${venue}-ws`,
    /** Sets the fault of `venue` ('*' for all), replacing its previous one. Throws on a bad fault. */
    setFault: (venue, fault) => faults.set(venue, fault),
    clearFaults: () => faults.clear(),
    /** Drops every open WebSocket (a venue restart). */
    dropSockets: () => streams.drop(),
    faults: () => faults.list(),
    /** Every request: { venue, method, path, query, time, body?, status, fault? }, oldest first. */
    requests,
    clearRequests: () => {
      requests.length = 0;
    },
    /** The app's config.json for this mock (src/market/config.rs). */
    config: (extra = {}) => ({
      version: 1,
      live: 'auto',
      ...extra,
      venues: Object.fromEntries(VENUES.map((v) => [v, { rest: mock.baseUrl(v), ws: mock.wsUrl(v) }])),
    }),
    describe: () => ({ mock: 'leverage-lens mock exchange', as_of_ms: data.asOf, assets: data.assets(), ...mock.config() }),
    close: async () => {
      streams.close();
      for (const wake of [...sleepers]) wake(false);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return mock;
}

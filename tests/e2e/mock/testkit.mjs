// Helpers for the mock exchange's own tests: start it on the fixture data set, request it, read the adapters'
// fixtures (tests/fixtures/<venue>/), and compare the SHAPE of two JSON values (key names, JSON types, decimal
// strings vs numbers, tuple layouts) so a drift between the mock and the adapters' fixtures fails loudly.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

import { startMockExchange } from './exchange.mjs';

export const HOUR = 3_600_000;
const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export const dataSet = JSON.parse(readFileSync(here('./fixture-dataset.json'), 'utf8'));
export const AS_OF = dataSet.as_of_ms;

/** A fixture the adapters are tested on, parsed. */
export function fixture(venue, name) {
  return JSON.parse(readFileSync(here(`../../fixtures/${venue}/${name}.json`), 'utf8'));
}

/** The fixture data set's rows for (venue, item key), e.g. ('binance', 'candles:last'). */
export function rows(venue, asset, item) {
  const entry = dataSet.entries.find((e) => {
    const key = e.item === 'ratio' ? `ratio:${e.kind}` : e.item === 'candles' ? `candles:${e.price}` : e.item;
    return e.venue === venue && e.asset === asset && key === item;
  });
  return entry?.payload.data;
}

export function startFixtureMock(options = {}) {
  return startMockExchange({ dataSet, streamIntervalMs: 20, ...options });
}

/** GET (or POST a JSON body) and read the answer: { status, headers, text, json }. */
export async function request(url, { body, headers = {} } = {}) {
  const init = body === undefined ? { headers } : { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } };
  const res = await fetch(url, init);
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** GETs `pathAndQuery` of `venue` and checks the normal answer: 200, JSON, CORS headers. */
export async function getOk(mock, venue, pathAndQuery) {
  const res = await request(mock.baseUrl(venue) + pathAndQuery);
  assert.equal(res.status, 200, `${venue}${pathAndQuery}: ${res.text.slice(0, 300)}`);
  assertCors(res.headers);
  assert.notEqual(res.json, undefined, 'the body is JSON');
  return res.json;
}

/** Hyperliquid's POST /info. */
export async function info(mock, body) {
  const res = await request(`${mock.baseUrl('hyperliquid')}/info`, { body: JSON.stringify(body) });
  assertCors(res.headers);
  return res;
}

export function assertCors(headers) {
  assert.equal(headers.get('access-control-allow-origin'), '*');
  assert.match(headers.get('access-control-expose-headers') ?? '', /retry-after/i);
}

const kindOf = (value) => {
  if (value === null) return 'null';
  if (typeof value === 'string') return value === '' ? 'empty string' : /^-?\d+(\.\d+)?$/.test(value) ? 'decimal string' : 'string';
  return Array.isArray(value) ? 'array' : typeof value;
};

/**
 * The shape of a JSON value: objects by key, arrays of containers by their first element, arrays of scalars as
 * "array of <kind>" when uniform or as a tuple (e.g. a kline row of numbers and decimal strings).
 */
export function shapeOf(value) {
  const kind = kindOf(value);
  if (kind === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, shapeOf(value[k])]));
  if (kind !== 'array') return kind;
  if (value.length === 0) return 'empty array';
  const kinds = value.map(kindOf);
  const containers = kinds.filter((k) => k === 'object' || k === 'array');
  if (containers.length === kinds.length && new Set(kinds).size === 1) return { 'array of': shapeOf(value[0]) };
  if (new Set(kinds).size === 1) return { 'array of': kinds[0] };
  return { tuple: value.map(shapeOf) };
}

/** The mock's answer has the fixture's shape. */
export function assertShape(actual, expected, what) {
  assert.deepEqual(shapeOf(actual), shapeOf(expected), `${what}: the mock's shape differs from the adapters' fixture`);
}

/** Strictly increasing (or decreasing) numbers. */
export function assertOrdered(times, direction, what) {
  for (let i = 1; i < times.length; i++) {
    const ok = direction === 'ascending' ? times[i] > times[i - 1] : times[i] < times[i - 1];
    assert.ok(ok, `${what}: not ${direction} at ${i}: ${times[i - 1]} then ${times[i]}`);
  }
}

/**
 * Opens a WebSocket, sends `send` (each message once open), and resolves with the first `count` messages
 * (parsed when JSON) — or rejects after `timeoutMs`. The socket is closed afterwards.
 */
export function wsMessages(url, { send = [], count = 1, timeoutMs = 3000 } = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const got = [];
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`${url}: ${got.length} of ${count} messages within ${timeoutMs} ms`));
    }, timeoutMs);
    ws.on('open', () => send.forEach((m) => ws.send(typeof m === 'string' ? m : JSON.stringify(m))));
    ws.on('message', (raw) => {
      const text = String(raw);
      let message = text;
      try {
        message = JSON.parse(text);
      } catch {
        // plain text (Hyperliquid's greeting)
      }
      got.push(message);
      if (got.length === count) {
        clearTimeout(timer);
        ws.close();
        resolve(got);
      }
    });
    ws.on('unexpected-response', (req, res) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode }));
    });
    ws.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

// The local mock exchange the end-to-end tests run the app against (tests/e2e/mock/): its handle, CORS, the
// request log, unknown paths, every fault type and the control endpoints. The venues' REST shapes are tested
// in mock/rest-*.test.mjs and the WebSocket streams in mock/streams.test.mjs.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { startMockExchange } from './mock/exchange.mjs';
import { AS_OF, assertCors, dataSet, fixture, request, startFixtureMock } from './mock/testkit.mjs';

let mock;
before(async () => {
  mock = await startFixtureMock();
});
after(() => mock.close());
beforeEach(() => {
  mock.clearFaults();
  mock.clearRequests();
});

const PREMIUM = '/fapi/v1/premiumIndex?symbol=BTCUSDT';
const binance = (path = PREMIUM, init) => request(mock.baseUrl('binance') + path, init);

describe('the handle', () => {
  test('URLs: one server on 127.0.0.1, a prefix per venue, ws bases beside them', async () => {
    assert.match(mock.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(mock.origin, mock.url);
    assert.equal(mock.baseUrl('okx'), `${mock.url}/okx`);
    assert.equal(mock.wsUrl('binance'), `${mock.url.replace('http', 'ws')}/binance-ws`);
    const config = mock.config();
    assert.deepEqual([config.version, config.live, Object.keys(config.venues).length], [1, 'auto', 6]);
    assert.deepEqual(config.venues.dydx, { rest: mock.baseUrl('dydx'), ws: mock.wsUrl('dydx') });
    const index = await request(`${mock.url}/`);
    assert.deepEqual([index.json.as_of_ms, index.json.assets], [AS_OF, ['BTC', 'ETH']]);
  });

  test('two mocks run side by side on free ports; a broken data set is refused', async () => {
    const other = await startMockExchange({ dataSet: JSON.stringify(dataSet) });
    assert.notEqual(other.url, mock.url);
    assert.equal((await request(`${other.baseUrl('binance')}${PREMIUM}`)).status, 200);
    await other.close();
    await assert.rejects(startMockExchange({ dataSet: { entries: 'no' } }), /as_of_ms/);
    const wrongKind = { as_of_ms: 1, entries: [{ venue: 'okx', asset: 'BTC', item: 'funding', payload: { kind: 'book', data: {} } }] };
    await assert.rejects(startMockExchange({ dataSet: wrongKind }), /payload kind must be "funding"/);
  });

  test('every request is logged with its venue, path, query, body and status', async () => {
    await binance();
    await request(`${mock.baseUrl('hyperliquid')}/info`, { body: '{"type":"l2Book","coin":"ETH"}' });
    assert.deepEqual(mock.requests.map(({ time, ...r }) => r), [
      { venue: 'binance', method: 'GET', path: '/fapi/v1/premiumIndex', query: { symbol: 'BTCUSDT' }, status: 200 },
      { venue: 'hyperliquid', method: 'POST', path: '/info', query: {}, body: '{"type":"l2Book","coin":"ETH"}', status: 200 },
    ]);
    assert.ok(mock.requests.every((r) => Math.abs(r.time - Date.now()) < 5000));
  });

  test('CORS on every answer, and the JSON POST preflight is allowed', async () => {
    assertCors((await binance()).headers);
    const preflight = await fetch(`${mock.baseUrl('hyperliquid')}/info`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:1', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    assert.match(preflight.headers.get('access-control-allow-methods'), /POST/);
    assert.match(preflight.headers.get('access-control-allow-headers'), /content-type/i);
    assert.equal(mock.requests.at(-1).method, 'OPTIONS');
  });

  test('an unknown path gets the venue’s own error body, an unknown venue a 404', async () => {
    const cases = {
      binance: [404, (j) => j.code === -5000],
      bybit: [404, (j) => j.retCode !== 0 && 'retMsg' in j],
      okx: [404, (j) => j.code !== '0' && Array.isArray(j.data)],
      deribit: [400, (j) => j.jsonrpc === '2.0' && j.error.code === -32601],
      dydx: [404, (j) => Array.isArray(j.errors)],
      hyperliquid: [404, () => true],
    };
    for (const [venue, [status, check]] of Object.entries(cases)) {
      const res = await request(`${mock.baseUrl(venue)}/no/such/path`);
      assert.equal(res.status, status, venue);
      assertCors(res.headers);
      if (venue !== 'hyperliquid') assert.ok(check(res.json), `${venue}: ${res.text}`);
    }
    assert.equal((await request(`${mock.url}/kraken/x`)).status, 404);
  });
});

describe('faults', () => {
  test('rate-limit: 429, Retry-After readable cross-origin, for `times` requests only', async () => {
    mock.setFault('binance', { type: 'rate-limit', retryAfter: 2, times: 2 });
    for (let i = 0; i < 2; i++) {
      const res = await binance();
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '2');
      assertCors(res.headers);
      assert.equal(res.json.code, -1003);
    }
    assert.equal((await binance()).status, 200, 'the fault expired');
    assert.deepEqual(mock.requests.map((r) => r.fault ?? null), ['rate-limit', 'rate-limit', null]);
  });

  test('ban: 418 with Retry-After (120 s by default), in each venue’s format', async () => {
    mock.setFault('*', { type: 'ban' });
    const res = await binance();
    assert.deepEqual([res.status, res.headers.get('retry-after')], [418, '120']);
    assert.match(res.json.msg, /banned until \d+/);
    const okx = await request(`${mock.baseUrl('okx')}/api/v5/public/funding-rate?instId=BTC-USDT-SWAP`);
    assert.deepEqual([okx.status, okx.json.code], [418, '50011']);
  });

  test('geo-block: 451, Binance’s restricted-location body, no CORS headers', async () => {
    mock.setFault('bybit', { type: 'geo-block' });
    const res = await request(`${mock.baseUrl('bybit')}/v5/market/tickers?category=linear`);
    assert.equal(res.status, 451);
    assert.deepEqual(res.json, fixture('binance', 'error_restricted_location'));
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });

  test('cloudfront-403: CloudFront’s HTML page, no CORS headers', async () => {
    mock.setFault('bybit', { type: 'cloudfront-403' });
    const res = await request(`${mock.baseUrl('bybit')}/v5/market/tickers?category=linear`);
    assert.equal(res.status, 403);
    assert.match(res.headers.get('content-type'), /text\/html/);
    assert.match(res.text, /configured to block access from your country/);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });

  test('server-error: the status asked for (503 by default), with CORS so the app can retry', async () => {
    mock.setFault('binance', { type: 'server-error', status: 502, times: 1 });
    const res = await binance();
    assert.equal(res.status, 502);
    assertCors(res.headers);
    mock.setFault('binance', { type: 'server-error' });
    assert.equal((await binance()).status, 503);
    assert.throws(() => mock.setFault('binance', { type: 'server-error', status: 404 }), /5xx/);
  });

  test('slow: the normal answer after delayMs; a client that gives up does not hurt the mock', async () => {
    mock.setFault('binance', { type: 'slow', delayMs: 300, times: 1 });
    const started = Date.now();
    const res = await binance();
    assert.ok(Date.now() - started >= 290, `answered after ${Date.now() - started} ms`);
    assert.equal(res.json.symbol, 'BTCUSDT');
    mock.setFault('binance', { type: 'slow' }); // 15 s: past the app's 10 s limit
    const abort = AbortSignal.timeout(100);
    await assert.rejects(fetch(mock.baseUrl('binance') + PREMIUM, { signal: abort }));
    mock.clearFaults();
    assert.equal((await binance()).status, 200);
  });

  test('truncated and bad-json: 200 bodies that are not JSON', async () => {
    const whole = (await binance('/fapi/v1/fundingRate?symbol=BTCUSDT')).text;
    mock.setFault('binance', { type: 'truncated', times: 1 });
    const cut = await binance('/fapi/v1/fundingRate?symbol=BTCUSDT');
    assert.equal(cut.status, 200);
    assert.equal(cut.text, whole.slice(0, Math.floor(whole.length / 2)));
    assert.equal(cut.json, undefined);
    mock.setFault('binance', { type: 'bad-json', times: 1 });
    const bad = await binance('/fapi/v1/fundingRate?symbol=BTCUSDT');
    assert.equal(bad.status, 200);
    assert.throws(() => JSON.parse(bad.text));
    assert.ok(bad.text.startsWith(whole.slice(0, -1)));
  });

  test('wrong-types and empty keep the venue’s envelope valid', async () => {
    const tickers = '/v5/market/tickers?category=linear&symbol=BTCUSDT';
    mock.setFault('bybit', { type: 'wrong-types', times: 1 });
    const wrong = (await request(mock.baseUrl('bybit') + tickers)).json;
    assert.deepEqual([wrong.retCode, wrong.result.list[0].markPrice, wrong.result.list[0].symbol], [0, true, 'BTCUSDT']);
    mock.setFault('binance', { type: 'wrong-types', times: 1 });
    assert.deepEqual((await binance()).json.nextFundingTime, { value: 1763712000000 });
    mock.setFault('*', { type: 'empty' });
    const empty = (await request(mock.baseUrl('bybit') + tickers)).json;
    assert.deepEqual([empty.retCode, empty.result.list], [0, []]);
    assert.deepEqual((await binance('/fapi/v1/klines?symbol=BTCUSDT&interval=1h')).json, []);
    const book = (await request(`${mock.baseUrl('deribit')}/api/v2/public/get_order_book?instrument_name=BTC-PERPETUAL`)).json;
    assert.deepEqual([book.jsonrpc, book.result.bids, book.result.asks], ['2.0', [], []]);
    const hl = (await request(`${mock.baseUrl('hyperliquid')}/info`, { body: '{"type":"l2Book","coin":"BTC"}' })).json;
    assert.deepEqual([hl.coin, hl.levels], ['BTC', [[], []]], 'a book keeps its two sides');
  });

  test('html: a 200 HTML page; no-cors: the normal body without CORS headers', async () => {
    mock.setFault('binance', { type: 'html', times: 1 });
    const page = await binance();
    assert.deepEqual([page.status, page.json], [200, undefined]);
    assert.match(page.text, /<html/i);
    assertCors(page.headers);
    mock.setFault('binance', { type: 'no-cors', times: 1 });
    const bare = await binance();
    assert.deepEqual([bare.status, bare.json.symbol, bare.headers.get('access-control-allow-origin')], [200, 'BTCUSDT', null]);
  });

  test('rate-limit with retryAfterDate: Retry-After as an HTTP-date; untilMs ends a storm by the clock', async () => {
    mock.setFault('binance', { type: 'rate-limit', retryAfter: 30, retryAfterDate: true, untilMs: Date.now() + 400 });
    const res = await binance();
    assert.equal(res.status, 429);
    const at = Date.parse(res.headers.get('retry-after'));
    assert.match(res.headers.get('retry-after'), /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    assert.ok(at - Date.now() > 28_000 && at - Date.now() <= 31_000, res.headers.get('retry-after'));
    assert.equal((await binance()).status, 429, 'still storming');
    await new Promise((r) => setTimeout(r, 450));
    assert.equal((await binance()).status, 200, 'the storm ended on time');
  });

  test('reset: the headers and half the body, then the connection is reset', async () => {
    mock.setFault('binance', { type: 'reset', times: 1 });
    await assert.rejects(binance(), /terminated|ECONNRESET|other side closed|fetch failed/i);
    assert.equal((await binance()).status, 200);
  });

  test('huge: 50 MB streamed, with or without its length; the mock stops when the client does', async () => {
    mock.setFault('binance', { type: 'huge', contentLength: true, times: 1 });
    const declared = await fetch(mock.baseUrl('binance') + PREMIUM);
    assert.equal(declared.headers.get('content-length'), '50000000');
    await declared.body.cancel();
    mock.setFault('binance', { type: 'huge', times: 1 });
    const res = await fetch(mock.baseUrl('binance') + PREMIUM);
    assert.equal(res.headers.get('content-length'), null);
    const reader = res.body.getReader();
    let read = 0;
    while (read < 1_000_000) read += (await reader.read()).value.length;
    await reader.cancel();
    await new Promise((r) => setTimeout(r, 100));
    const entry = mock.requests.at(-1);
    assert.ok(entry.bytesSent < 50_000_000, `stopped after ${entry.bytesSent} bytes`);
  });

  test('a path filter, the cors override, a venue’s fault over "*", and bad faults', async () => {
    mock.setFault('binance', { type: 'server-error', path: 'fundingRate' });
    assert.equal((await binance()).status, 200);
    assert.equal((await binance('/fapi/v1/fundingRate?symbol=BTCUSDT')).status, 503);
    mock.setFault('hyperliquid', { type: 'rate-limit', path: 'l2Book', cors: false });
    const hl = await request(`${mock.baseUrl('hyperliquid')}/info`, { body: '{"type":"l2Book","coin":"BTC"}' });
    assert.deepEqual([hl.status, hl.headers.get('access-control-allow-origin')], [429, null]);
    mock.setFault('*', { type: 'html' });
    assert.equal((await binance()).status, 200, 'binance keeps its own fault');
    assert.throws(() => mock.setFault('binance', { type: 'meteor' }), /unknown fault type/);
    assert.throws(() => mock.setFault('binance', { type: 'ban', times: 0 }), /times/);
  });
});

describe('control endpoints', () => {
  const post = (path, body) => request(`${mock.url}/__control/${path}`, { body: body === undefined ? '' : JSON.stringify(body) });

  test('set and clear faults, read and empty the log over HTTP', async () => {
    const set = await post('fault', { venue: 'binance', fault: { type: 'rate-limit', times: 1 } });
    assert.equal(set.status, 200);
    assert.deepEqual(set.json.faults.binance.type, 'rate-limit');
    assert.equal((await binance()).status, 429);
    const log = await request(`${mock.url}/__control/requests`);
    assert.deepEqual(log.json.map((r) => [r.path, r.fault, r.status]), [['/fapi/v1/premiumIndex', 'rate-limit', 429]]);
    await post('fault', { venue: 'okx', fault: { type: 'html' } });
    assert.deepEqual(Object.keys((await request(`${mock.url}/__control/faults`)).json), ['okx']);
    assert.equal((await post('clear')).status, 200);
    assert.deepEqual((await request(`${mock.url}/__control/faults`)).json, {});
    await fetch(`${mock.url}/__control/requests`, { method: 'DELETE' });
    assert.deepEqual(mock.requests, []);
  });

  test('bad control requests are refused with a reason', async () => {
    assert.equal((await post('fault', { venue: 'binance', fault: { type: 'meteor' } })).status, 400);
    const notJson = await request(`${mock.url}/__control/fault`, { body: '{' });
    assert.deepEqual([notJson.status, typeof notJson.json.error], [400, 'string']);
    assert.equal((await request(`${mock.url}/__control/nothing`)).status, 404);
  });
});

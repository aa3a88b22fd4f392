// The mock's WebSocket streams, opened as the adapters' stream_request() says: messages in each venue's format
// (compared with the adapters' ws_* fixtures), replaying the data set, refusable by a fault, closed on close().
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import WebSocket from 'ws';

import { cycle } from './series.mjs';
import { assertOrdered, assertShape, fixture, rows, startFixtureMock, wsMessages } from './testkit.mjs';

let mock;
before(async () => {
  mock = await startFixtureMock();
});
after(() => mock.close());
beforeEach(() => mock.clearFaults());

describe('binance streams', () => {
  test('bookTicker replays the data set’s quotes in Binance’s format', async () => {
    const got = await wsMessages(`${mock.wsUrl('binance')}/ws/btcusdt@bookTicker`, { count: 3 });
    const quotes = rows('binance', 'BTC', 'quotes');
    for (const m of got) assertShape(m, fixture('binance', 'ws_book_ticker'), 'bookTicker');
    assert.deepEqual(got.map((m) => [m.T, Number(m.b), Number(m.A)]), quotes.slice(0, 3).map((q) => [q.time_ms, q.bid_price, q.ask_size]));
  });

  test('forceOrder: SELL closes a long, the average fill price is the liquidation price', async () => {
    const got = await wsMessages(`${mock.wsUrl('binance')}/ws/ethusdt@forceOrder`, { count: 2 });
    const liquidations = rows('binance', 'ETH', 'liquidations');
    for (const [i, m] of got.entries()) {
      assertShape(m, fixture('binance', 'ws_force_order'), 'forceOrder');
      const l = liquidations[i];
      assert.deepEqual([m.o.S, Number(m.o.ap), Number(m.o.z), m.o.T], [l.side === 'long' ? 'SELL' : 'BUY', l.price, l.quantity_base, l.time_ms]);
    }
  });

  test('combined streams are wrapped; SUBSCRIBE on /ws is acknowledged', async () => {
    const combined = await wsMessages(`${mock.wsUrl('binance')}/stream?streams=btcusdt@bookTicker/ethusdt@forceOrder`, { count: 4 });
    assert.deepEqual(new Set(combined.map((m) => m.stream)), new Set(['btcusdt@bookTicker', 'ethusdt@forceOrder']));
    assert.ok(combined.every((m) => m.data.e === (m.stream.endsWith('bookTicker') ? 'bookTicker' : 'forceOrder')));
    const [ack, event] = await wsMessages(`${mock.wsUrl('binance')}/ws`, { send: [{ method: 'SUBSCRIBE', params: ['ethusdt@bookTicker'], id: 7 }], count: 2 });
    assert.deepEqual(ack, { result: null, id: 7 });
    assert.equal(event.s, 'ETHUSDT');
  });
});

describe('bybit stream', () => {
  const url = () => `${mock.wsUrl('bybit')}/v5/public/linear`;

  test('allLiquidation: acknowledged, then batches of liquidations; Buy is a long', async () => {
    const [ack, ...pushes] = await wsMessages(url(), { send: [{ op: 'subscribe', args: ['allLiquidation.BTCUSDT'] }], count: 3 });
    assert.deepEqual([ack.success, ack.op], [true, 'subscribe']);
    const liquidations = rows('bybit', 'BTC', 'liquidations');
    const sent = pushes.flatMap((p) => p.data);
    for (const p of pushes) assertShape(p, fixture('bybit', 'ws_all_liquidation'), 'allLiquidation');
    assert.deepEqual(sent.map((r) => [r.T, r.S, Number(r.v)]), liquidations.slice(0, sent.length).map((l) => [l.time_ms, l.side === 'long' ? 'Buy' : 'Sell', l.quantity_base]));
  });

  test('an unknown topic is refused as Bybit does; ping gets pong', async () => {
    const [refused, pong] = await wsMessages(url(), { send: [{ op: 'subscribe', args: ['allLiquidation.DOGEXUSDT'] }, { op: 'ping' }], count: 2 });
    assert.deepEqual([refused.success, refused.ret_msg], [false, 'error:handler not found']);
    assert.deepEqual([pong.success, pong.ret_msg, pong.op], [true, 'pong', 'ping']);
  });
});

describe('hyperliquid stream', () => {
  test('greeting, subscription response, then full l2Book snapshots', async () => {
    const subscribe = { method: 'subscribe', subscription: { type: 'l2Book', coin: 'ETH' } };
    const [greeting, ack, ...books] = await wsMessages(`${mock.wsUrl('hyperliquid')}/ws`, { send: [subscribe], count: 5 });
    assert.equal(greeting, 'Websocket connection established.');
    assertShape(ack, fixture('hyperliquid', 'ws_subscriptionResponse'), 'subscriptionResponse');
    assert.deepEqual(ack.data.subscription, { type: 'l2Book', coin: 'ETH', nSigFigs: null, mantissa: null });
    for (const b of books) assertShape(b, fixture('hyperliquid', 'ws_l2Book'), 'l2Book');
    assertOrdered(books.map((b) => b.data.time), 'ascending', 'book times');
    const book = rows('hyperliquid', 'ETH', 'book');
    assert.deepEqual(books[0].data.levels[0].map((l) => Number(l.px)), book.bids.map((l) => l.price));
  });

  test('an unknown coin is an error message; ping gets pong', async () => {
    const bad = { method: 'subscribe', subscription: { type: 'l2Book', coin: 'DOGEX' } };
    const [, error, pong] = await wsMessages(`${mock.wsUrl('hyperliquid')}/ws`, { send: [bad, { method: 'ping' }], count: 3 });
    assert.equal(error.channel, 'error');
    assert.deepEqual(pong, { channel: 'pong' });
  });
});

describe('the stream server', () => {
  test('a replay keeps its times increasing lap after lap', () => {
    const quotes = rows('binance', 'BTC', 'quotes');
    const times = Array.from({ length: quotes.length * 3 }, (_, k) => cycle(quotes, k).time_ms);
    assertOrdered(times, 'ascending', 'replayed times');
  });

  test('unknown stream paths are refused; a refusing fault refuses the upgrade and is logged', async () => {
    await assert.rejects(wsMessages(`${mock.wsUrl('okx')}/ws/v5/public`), { status: 404 });
    mock.setFault('binance', { type: 'geo-block', times: 1 });
    await assert.rejects(wsMessages(`${mock.wsUrl('binance')}/ws/btcusdt@bookTicker`), { status: 451 });
    assert.deepEqual(mock.requests.filter((r) => r.method === 'WS').at(-1).status, 451);
    mock.setFault('binance', { type: 'empty' }); // a body fault leaves streams alone
    assert.equal((await wsMessages(`${mock.wsUrl('binance')}/ws/btcusdt@bookTicker`)).length, 1);
  });

  test('close() ends open streams', async () => {
    const own = await startFixtureMock();
    const ws = new WebSocket(`${own.wsUrl('hyperliquid')}/ws`);
    await new Promise((resolve) => ws.once('message', resolve));
    const closed = new Promise((resolve) => ws.once('close', resolve));
    await own.close();
    await closed;
    assert.equal(ws.readyState, WebSocket.CLOSED);
  });
});

describe('stream faults', () => {
  const url = () => `${mock.wsUrl('bybit')}/v5/public/linear`;
  const subscribe = { op: 'subscribe', args: ['allLiquidation.BTCUSDT'] };
  /** Opens a socket, sends `send`, and resolves to { messages, code, ms } when the server closes it. */
  const untilClosed = (send = [], { pingEveryMs } = {}) =>
    new Promise((resolve) => {
      const ws = new WebSocket(url());
      const messages = [];
      const start = Date.now();
      let pinger;
      ws.on('open', () => {
        send.forEach((m) => ws.send(JSON.stringify(m)));
        if (pingEveryMs) pinger = setInterval(() => ws.send('{"op":"ping"}'), pingEveryMs);
      });
      ws.on('message', (raw) => messages.push(JSON.parse(String(raw))));
      ws.on('close', (code) => {
        clearInterval(pinger);
        resolve({ messages, code, ms: Date.now() - start });
      });
    });

  test('ws-one-frame: one frame, then the socket closes', async () => {
    mock.setFault('bybit', { type: 'ws-one-frame', times: 1 });
    const { messages, code } = await untilClosed([subscribe]);
    assert.equal(messages.length, 1);
    assert.equal(code, 1011);
  });

  test('ws-silent: open, but nothing comes back, not even a pong', async () => {
    mock.setFault('bybit', { type: 'ws-silent', times: 1 });
    await assert.rejects(wsMessages(url(), { send: [subscribe, { op: 'ping' }], count: 1, timeoutMs: 300 }), /0 of 1 messages/);
  });

  test('ws-needs-ping: closed when no ping came in time, kept open by pings', async () => {
    mock.setFault('bybit', { type: 'ws-needs-ping', pingTimeoutMs: 150, times: 1 });
    const quiet = await untilClosed([subscribe]);
    assert.equal(quiet.code, 4000);
    assert.ok(quiet.ms >= 140 && quiet.ms < 1_000, `${quiet.ms} ms`);
    mock.setFault('bybit', { type: 'ws-needs-ping', pingTimeoutMs: 150, times: 1 });
    const ws = new WebSocket(url());
    await new Promise((r) => ws.on('open', r));
    const pinger = setInterval(() => ws.send('{"op":"ping"}'), 50);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(ws.readyState, WebSocket.OPEN, 'pings kept it open');
    clearInterval(pinger);
    ws.close();
    const entry = mock.requests.filter((r) => r.method === 'WS').at(-1);
    assert.ok(entry.pings >= 5, `${entry.pings} pings counted`);
  });
});

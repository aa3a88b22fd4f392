// Soak: the release app in live mode against the mock exchange for SOAK_SECONDS (60 in `make test`, 600 in
// `make soak`), as an analyst who keeps the page open all day: it moves between pages, runs streams, and the
// venues misbehave at random (faults on REST, refused and dropped sockets, silent ones). Reports page errors (must
// be 0), JS heap growth (at most 20 MB) and the wasm memory, and the busiest window of requests per venue against
// each venue's published limit (must stay under it).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

import { appReady } from './browser.mjs';
import { startLiveSite } from './live-site.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dataSet = JSON.parse(await readFile(join(here, 'artifacts', 'sample-dataset.json'), 'utf8'));
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const SEED = Number(process.env.SOAK_SEED ?? 7);

// Each venue's published per-address limit as (requests, window ms): Binance 1,000 per 5 min on /futures/data
// (the tightest of its limits), Bybit 600 per 5 s, OKX 5 per 2 s per endpoint (counted over all endpoints here,
// which is stricter), Hyperliquid 1,200 weight per minute at 20 per info call, Deribit 20 per second, dYdX 100
// per 10 s.
const PUBLISHED = {
  binance: [1000, 300_000],
  bybit: [600, 5_000],
  okx: [5 * 3, 2_000],
  hyperliquid: [60, 60_000],
  deribit: [20, 1_000],
  dydx: [100, 10_000],
};

const REST_FAULTS = [
  { type: 'rate-limit', retryAfter: 1 },
  { type: 'rate-limit', retryAfter: 2, retryAfterDate: true },
  { type: 'server-error' },
  { type: 'server-error', cors: false },
  { type: 'slow', delayMs: 3_000 },
  { type: 'truncated' },
  { type: 'bad-json' },
  { type: 'wrong-types' },
  { type: 'empty' },
  { type: 'html' },
  { type: 'no-cors' },
  { type: 'reset' },
  { type: 'geo-block' },
  { type: 'huge', bytes: 12_000_000 },
];
const STREAM_FAULTS = [{ type: 'ws-one-frame' }, { type: 'ws-silent' }, { type: 'ws-needs-ping', pingTimeoutMs: 5_000 }];
const VENUES = Object.keys(PUBLISHED);

/** A small seeded generator (mulberry32), so a failing soak can be replayed with its seed. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

let live;
before(async () => {
  live = await startLiveSite(dataSet, 'auto', { mockOptions: { streamIntervalMs: 250 } });
});
after(() => live?.close());

/** The most requests `venue` got in any window of `windowMs`. */
function busiest(requests, windowMs) {
  const times = requests.map((r) => r.time).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

test(`soak: ${SECONDS} s of live mode with misbehaving venues`, { timeout: (SECONDS + 120) * 1000 }, async () => {
  const random = rng(SEED);
  const pickOne = (list) => list[Math.floor(random() * list.length)];
  const context = await live.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The data set's month, with time flowing from there: live windows find the mock's rows and age normally.
  await page.addInitScript(() => addEventListener('TrunkApplicationStarted', (e) => {
    globalThis.__lensWasmMemory = e.detail.wasm.memory;
  }));
  await page.clock.install({ time: new Date(dataSet.as_of_ms) });
  await page.clock.resume();
  await page.goto(`${live.site.url}?page=data`);
  await appReady(page);
  const cdp = await context.newCDPSession(page);
  const heapMb = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    return usedSize / 1e6;
  };
  const wasmMb = () => page.evaluate(() => (globalThis.__lensWasmMemory?.buffer.byteLength ?? 0) / 1e6);

  // Streams on, then warm up before the first measurement.
  for (const id of ['binance-quotes-btc', 'binance-liquidations-btc', 'bybit-liquidations-btc', 'hyperliquid-book-btc']) {
    const button = page.locator(`#${id} button`);
    if (await button.count()) await button.click();
  }
  await page.waitForTimeout(5_000);
  const heapStart = await heapMb();
  const wasmStart = await wasmMb();
  const pages = ['', '?page=charts', '?page=data', ...(await page.$$eval('.sidebar a[href$=".html"]', (as) => as.map((a) => a.getAttribute('href'))))];
  const started = Date.now();
  let steps = 0;
  while (Date.now() - started < SECONDS * 1000) {
    steps += 1;
    const roll = random();
    if (roll < 0.35) {
      live.mock.setFault(pickOne(VENUES), { ...pickOne(REST_FAULTS), times: 1 + Math.floor(random() * 4) });
    } else if (roll < 0.45) {
      live.mock.setFault(pickOne(['binance', 'bybit', 'hyperliquid']), { ...pickOne(STREAM_FAULTS), times: 1 });
    } else if (roll < 0.5) {
      live.mock.dropSockets();
    } else if (roll < 0.55) {
      live.mock.clearFaults();
    }
    // Move through the site as a reader does: in-app links, and now and then back.
    const href = pickOne(pages);
    if (random() < 0.15) {
      await page.goBack().catch(() => {});
    } else {
      await page.evaluate((h) => {
        const a = document.createElement('a');
        a.href = h || '?';
        document.querySelector('main')?.appendChild(a);
        a.click();
        a.remove();
      }, href);
    }
    // On the data page, keep a stream or two running.
    if (href === '?page=data' && random() < 0.5) {
      const start = page.locator('.stream-panel button', { hasText: 'Start' }).first();
      if (await start.count()) await start.click().catch(() => {});
    }
    await page.waitForTimeout(1_000 + random() * 2_000);
  }
  live.mock.clearFaults();
  await page.waitForTimeout(3_000);
  const heapEnd = await heapMb();
  const wasmEnd = await wasmMb();

  const report = VENUES.map((venue) => {
    const sent = live.mock.requests.filter((r) => r.venue === venue && r.method !== 'OPTIONS' && r.method !== 'WS');
    const [limit, windowMs] = PUBLISHED[venue];
    return { venue, requests: sent.length, busiest: busiest(sent, windowMs), limit, window_s: windowMs / 1000 };
  });
  const sockets = live.mock.requests.filter((r) => r.method === 'WS').length;
  console.log(`soak: ${SECONDS} s, ${steps} steps, seed ${SEED}; page errors ${errors.length}; JS heap ${heapStart.toFixed(1)} → ${heapEnd.toFixed(1)} MB; wasm memory ${wasmStart.toFixed(1)} → ${wasmEnd.toFixed(1)} MB; ${sockets} socket connections`);
  console.table(report);
  await context.close();

  assert.deepEqual(errors, [], 'no page errors');
  assert.ok(heapEnd - heapStart <= 20, `JS heap grew ${(heapEnd - heapStart).toFixed(1)} MB`);
  for (const r of report) assert.ok(r.busiest <= r.limit, `${r.venue}: ${r.busiest} requests in ${r.window_s} s, limit ${r.limit}`);
});

// Load benchmark (`make bench-load`): how fast a first visit reads and comes alive, as a phone and a desktop see it.
//
// Serves dist/ the way a CDN does (each file brotli- or gzip-compressed by Accept-Encoding, no rewrites), with
// live data off so no venue's latency is measured, and loads a term page and the overview 5 times per profile
// with the browser cache disabled: unthrottled, and the mobile profile of Lighthouse (1.6 Mbps down, 150 ms round
// trip, 4x CPU slowdown) through the DevTools protocol. It also loads the same entry file with every script
// removed, as the static baseline. Prints the medians as a Markdown table (the README keeps the latest).
//
// Targets (benchmark figures, not timed tests): mobile text visible ≤ 1.2× the static baseline, mobile first live
// chart ≤ 2,500 ms, unthrottled first live chart ≤ 400 ms, layout shift ≤ 0.02.
import { createServer } from 'node:http';
import { readFile, readdir, stat } from 'node:fs/promises';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';

import { launch } from './browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', '..', 'dist');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml',
};

/** Every file of dist/, compressed both ways once (as a CDN's edge cache holds them). */
async function precompress(dir) {
  const files = new Map();
  const walk = async (d) => {
    for (const name of await readdir(d)) {
      const path = join(d, name);
      if ((await stat(path)).isDirectory()) await walk(path);
      else {
        let body = await readFile(path);
        const key = `/${relative(dir, path)}`;
        if (key === '/config.json') body = Buffer.from(JSON.stringify({ version: 1, live: 'off' }));
        files.set(key, {
          type: TYPES[extname(path)] ?? 'application/octet-stream',
          raw: body,
          br: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
          gzip: gzipSync(body, { level: 9 }),
        });
      }
    }
  };
  await walk(dir);
  // The static baseline: the same page with every script (and script preload) removed.
  for (const page of ['/leverage-skew.html', '/index.html']) {
    const html = files.get(page).raw.toString('utf8')
      .replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '')
      .replace(/<link[^>]+rel="modulepreload"[^>]*>/g, '')
      .replace(/<link[^>]+rel="preload"[^>]+as="fetch"[^>]*>/g, '');
    const body = Buffer.from(html);
    files.set(`/baseline${page}`, {
      type: TYPES['.html'], raw: body,
      br: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }), gzip: gzipSync(body, { level: 9 }),
    });
  }
  return files;
}

function serve(files) {
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path.endsWith('/')) path += 'index.html';
    if (path.startsWith('/baseline/') && !files.has(path)) path = path.slice('/baseline'.length);
    const file = files.get(path);
    if (!file) {
      res.writeHead(404);
      return res.end();
    }
    const accept = req.headers['accept-encoding'] ?? '';
    const [encoding, body] = accept.includes('br') ? ['br', file.br] : accept.includes('gzip') ? ['gzip', file.gzip] : [null, file.raw];
    res.writeHead(200, { 'content-type': file.type, 'content-length': body.length, ...(encoding ? { 'content-encoding': encoding } : {}), vary: 'accept-encoding' });
    res.end(body);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

/** Measures one load of `url`: timings in ms from navigation start, layout shift, bytes over the wire. */
async function measure(browser, url, mobile, alive) {
  const context = await browser.newContext({ viewport: mobile ? { width: 390, height: 844 } : { width: 1280, height: 900 }, deviceScaleFactor: mobile ? 3 : 1 });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (mobile) {
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  }
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
  });
  await page.addInitScript(() => {
    const m = (window.__bench = { shift: 0 });
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) if (e.name === 'first-contentful-paint') m.fcp = e.startTime;
    }).observe({ type: 'paint', buffered: true });
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) m.lcp = e.startTime;
    }).observe({ type: 'largest-contentful-paint', buffered: true });
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) if (!e.hadRecentInput) m.shift += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
    const blank = (c) => {
      if (!c.width || !c.height) return true;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const colours = new Set();
      for (let i = 0; i < d.length; i += 4 * 97) colours.add(d[i] * 65536 + d[i + 1] * 256 + d[i + 2]);
      return colours.size <= 3;
    };
    const frame = () => {
      const now = performance.now();
      // Text visible: the first frame in which the article's definition (or the overview's facets) is on screen.
      if (m.text === undefined && document.querySelector('#definition p, .facet p')?.getBoundingClientRect().height > 0) m.text = now;
      if (m.chart === undefined && [...document.querySelectorAll('#live-example canvas, .dashboard .tiles')].some((c) => (c.tagName === 'CANVAS' ? !blank(c) : c.children.length > 0))) m.chart = now;
      if (m.reading === undefined && /\d/.test(document.querySelector('#live-example .reading, .dashboard .verdict')?.textContent ?? '')) m.reading = now;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  await page.goto(url, { waitUntil: 'load' });
  // A function, not a string: the pages' CSP forbids evaluating strings.
  const done = (waitForLife) => {
    const b = window.__bench;
    return waitForLife ? b.chart !== undefined && b.reading !== undefined : b.text !== undefined && b.fcp !== undefined;
  };
  await page.waitForFunction(done, alive, { timeout: 60_000 }).catch((e) => {
    if (process.env.BENCH_DEBUG) console.error(`${url}: ${e.message}`);
  });
  await page.waitForTimeout(300);
  const m = await page.evaluate(() => ({ ...window.__bench, app: document.documentElement.dataset.app }));
  if (process.env.BENCH_DEBUG) console.error(url, mobile, JSON.stringify(m), bytes);
  await context.close();
  // The text is visible once it is in the page and something has been painted.
  return { ...m, text: Math.max(m.text ?? NaN, m.fcp ?? NaN), bytes };
}

const median = (xs) => {
  const v = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  return v.length ? v[Math.floor((v.length - 1) / 2)] : NaN;
};

const files = await precompress(dist);
const server = await serve(files);
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await launch();
const rows = [];
for (const mobile of [false, true]) {
  for (const [name, path, alive] of [
    ['term page (leverage-skew.html)', '/leverage-skew.html', true],
    ['overview (index.html)', '/', true],
    ['static baseline (leverage-skew.html, no scripts)', '/baseline/leverage-skew.html', false],
  ]) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await measure(browser, `${base}${path}`, mobile, alive));
    const pick = (k) => median(runs.map((r) => r[k]));
    rows.push({ profile: mobile ? 'mobile' : 'unthrottled', name, text: pick('text'), fcp: pick('fcp'), lcp: pick('lcp'), shift: pick('shift'), chart: pick('chart'), reading: pick('reading'), bytes: pick('bytes') });
  }
}
await browser.close();
server.close();

const ms = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '—');
console.log(`Load benchmark: release dist/ served compressed (brotli), cache disabled, median of ${RUNS}.\n`);
console.log('| profile | page | text visible | FCP | LCP | layout shift | first live chart | reading shown | bytes (compressed) |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.profile} | ${r.name} | ${ms(r.text)} ms | ${ms(r.fcp)} ms | ${ms(r.lcp)} ms | ${r.shift.toFixed(3)} | ${ms(r.chart)} ms | ${ms(r.reading)} ms | ${Math.round(r.bytes / 1000).toLocaleString('en-US')} KB |`);
}
for (const profile of ['unthrottled', 'mobile']) {
  const app = rows.find((r) => r.profile === profile && r.name.startsWith('term'));
  const still = rows.find((r) => r.profile === profile && r.name.startsWith('static'));
  console.log(`\n${profile}: term text visible ${ms(app.text)} ms vs static ${ms(still.text)} ms = ${(app.text / still.text).toFixed(2)}× (target ≤ 1.2× on mobile); first live chart ${ms(app.chart)} ms (target ${profile === 'mobile' ? '≤ 2,500' : '≤ 400'} ms); layout shift ${app.shift.toFixed(3)} (target ≤ 0.02)`);
}

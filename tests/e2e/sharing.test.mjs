// End-to-end: links that reproduce a view, per-term entry files with preview cards, the embed view inside
// another origin's page, the app under a strict Content-Security-Policy, and hostile links.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

import { serveStatic } from './static-server.mjs';
import { appReady, launch, openPage } from './browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', '..', 'dist');
const sampleFile = join(here, 'artifacts', 'sample-dataset.json');

// The policy README recommends, with the test's own origins for embedding.
const VENUE_HOSTS = [
  'https://fapi.binance.com', 'wss://fstream.binance.com', 'https://api.bybit.com', 'wss://stream.bybit.com',
  'https://www.okx.com', 'wss://ws.okx.com:8443', 'https://api.hyperliquid.xyz', 'wss://api.hyperliquid.xyz',
  'https://www.deribit.com', 'wss://www.deribit.com', 'https://indexer.dydx.trade', 'wss://indexer.dydx.trade',
];
// The boot script stays inline (it must run before the first paint) and is allowed by its hash, which the
// build writes into each page's own policy; a host's header names the same hash.
let bootHash;
const csp = (frameAncestors) =>
  `default-src 'self'; script-src 'self' 'wasm-unsafe-eval' ${bootHash}; connect-src 'self' ${VENUE_HOSTS.join(' ')}; ` +
  `frame-ancestors ${frameAncestors}`;

let siteDir;
let site; // the app under the strict CSP, at /lens/
let host; // a documentation site on a second origin
let hostDir;
let browser;

before(async () => {
  bootHash = (await readFile(join(dist, 'index.html'), 'utf8')).match(/'sha256-[A-Za-z0-9+/=]+'/)[0];
  siteDir = await mkdtemp(join(tmpdir(), 'lens-share-'));
  await cp(dist, siteDir, { recursive: true });
  // A snapshot next to the site whose numbers differ from the sample (funding doubled).
  const data = JSON.parse(await readFile(sampleFile, 'utf8'));
  for (const e of data.entries) {
    if (e.item === 'funding') for (const r of e.payload.data) r.rate *= 2;
  }
  data.origin = { kind: 'snapshot', name: 'doubled.json' };
  await writeFile(join(siteDir, 'doubled.json'), JSON.stringify({ format: 'leverage-lens-snapshot', version: 1, created_ms: 0, view: '', data }));
  hostDir = await mkdtemp(join(tmpdir(), 'lens-host-'));
  host = await serveStatic(hostDir, '/docs/');
  site = await serveStatic(siteDir, '/lens/', { headers: { 'content-security-policy': csp(`'self' ${host.origin}`) } });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.close();
  await host?.close();
  for (const dir of [siteDir, hostDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

/** Each term's slug, title and gist, from the Markdown the build compiles (front matter). */
async function glossaryTerms() {
  const dir = join(here, '..', '..', 'src', 'glossary', 'terms');
  const { readdir } = await import('node:fs/promises');
  const terms = [];
  for (const file of (await readdir(dir)).filter((f) => f.endsWith('.md'))) {
    const text = await readFile(join(dir, file), 'utf8');
    const field = (name) => text.match(new RegExp(`^${name}: (.*)$`, 'm'))?.[1].trim();
    terms.push({ slug: file.replace(/\.md$/, ''), title: field('title'), gist: field('gist') });
  }
  return terms;
}

/** A page that records CSP violations (before any script of the app runs) and page errors. */
async function strictPage(options = {}) {
  const page = await openPage(browser, { viewport: { width: 1280, height: 900 }, ...options });
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
  });
  return page;
}

const readingOf = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('#live-example .reading, #live-example .fact')].map((e) => e.textContent).join(' | '),
  );

async function waitForReading(page) {
  await page.waitForFunction(() => /\d/.test(document.querySelector('#live-example .reading')?.textContent ?? ''), null, {
    timeout: 20000,
  });
}

async function copyLink(page) {
  await page.click('#copy-link');
  await page.waitForSelector('#share-link');
  return page.inputValue('#share-link');
}

describe('sharing and embedding', () => {
  test('Copy link → a fresh browser shows the same view and numbers (sample)', async () => {
    const page = await strictPage();
    await page.goto(`${site.url}?term=leverage-mechanics`);
    await appReady(page);
    await waitForReading(page);
    await page.selectOption('#control-side', 'short');
    await page.fill('#control-lev', '20');
    await page.waitForFunction(() => /20× short/.test(document.querySelector('#live-example .reading').textContent));
    await page.click('.theme-toggle'); // system → light
    await page.click('.theme-toggle'); // light → dark
    const link = await copyLink(page);
    assert.equal(link, `${site.url}leverage-mechanics.html?side=short&lev=20&theme=dark`);
    const shown = await readingOf(page);

    const fresh = await strictPage();
    await fresh.goto(link);
    await appReady(fresh);
    await waitForReading(fresh);
    assert.equal(await readingOf(fresh), shown);
    assert.equal(await fresh.getAttribute('html', 'data-theme'), 'dark');
    assert.equal(await fresh.inputValue('#control-lev'), '20');
    assert.equal(await fresh.title(), 'Leverage Mechanics · Leverage Lens');
    // The link's theme is shown, not saved as the visitor's own choice.
    assert.equal(await fresh.evaluate(() => localStorage.getItem('leverage-lens.theme')), null);
    assert.deepEqual(await fresh.evaluate(() => window.__violations), []);
    assert.deepEqual([...page.problems, ...fresh.problems], []);
    await page.context().close();
    await fresh.context().close();
  });

  test('Copy link with a hosted snapshot and a zoomed range reproduces the snapshot’s numbers', async () => {
    const page = await strictPage();
    await page.goto(`${site.url}?term=leverage-skew&snapshot=doubled.json&days=7`);
    await appReady(page);
    await page.waitForFunction(() => /snapshot/.test(document.querySelector('#live-example .data-status')?.textContent ?? ''), null, {
      timeout: 20000,
    });
    await waitForReading(page);
    const box = page.locator('#live-example .chart-box').first();
    await box.hover();
    await page.mouse.wheel(0, -400);
    await page.waitForFunction(() => new URLSearchParams(location.search).has('range'));
    const link = await copyLink(page);
    assert.match(link, /leverage-skew\.html\?days=7&range=\d+~\d+&snapshot=doubled\.json$/);
    const shown = await readingOf(page);

    const sample = await strictPage();
    await sample.goto(`${site.url}?term=leverage-skew&days=7`);
    await appReady(sample);
    await waitForReading(sample);
    assert.notEqual(await readingOf(sample), shown, 'the snapshot’s numbers differ from the sample’s');

    const fresh = await strictPage();
    await fresh.goto(link);
    await appReady(fresh);
    await fresh.waitForFunction((s) => [...document.querySelectorAll('#live-example .reading, #live-example .fact')]
      .map((e) => e.textContent).join(' | ') === s, shown, { timeout: 20000 });
    const range = new URL(link).searchParams.get('range');
    const [from, to] = range.split('~').map(Number);
    await fresh.waitForFunction(([f, t]) => {
      const b = document.querySelector('#live-example .chart-box');
      return Number(b?.dataset.from) === f && Number(b?.dataset.to) === t;
    }, [from, to]);
    for (const p of [page, sample, fresh]) await p.context().close();
  });

  test('every term has an entry file with its own title and card that boots the app under a sub-path', async () => {
    const index = await (await fetch(site.url)).text();
    assert.match(index, /<meta property="og:title" content="Leverage Imbalances · Leverage Lens" \/>/);
    // One inline script, the boot script, allowed by its hash in the page's own policy; nothing else inline.
    const inline = [...index.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    assert.equal(inline.length, 1, 'only the boot script is inline');
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(inline[0]).digest('base64');
    assert.ok(index.includes(`'sha256-${hash}'`), 'the policy names the boot script by its hash');
    const slugs = await glossaryTerms();
    assert.equal(slugs.length, 17);
    const page = await strictPage();
    for (const { slug, title, gist } of slugs) {
      const response = await fetch(`${site.url}${slug}.html`);
      assert.equal(response.status, 200, slug);
      const html = await response.text();
      const esc = (s) => s.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
      assert.ok(html.includes(`<title>${esc(title)} · Leverage Lens</title>`), `${slug} title`);
      assert.ok(html.includes(`<meta name="description" content="${esc(gist)}" />`), `${slug} description`);
      assert.ok(html.includes(`<meta property="og:title" content="${esc(title)} · Leverage Lens" />`), `${slug} og:title`);
      assert.ok(html.includes(`<meta property="og:description" content="${esc(gist)}" />`), `${slug} og:description`);
      assert.ok(html.includes('<meta name="twitter:card" content="summary" />'), `${slug} twitter:card`);
      await page.goto(`${site.url}${slug}.html`);
      await appReady(page);
      assert.equal(await page.textContent('main h1'), title);
      await waitForReading(page);
    }
    // Leaving an entry file for another page goes back to the site's folder.
    await page.click('.sidebar-home');
    await page.waitForFunction(() => location.pathname === '/lens/');
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('the Embed snippet works inside another origin’s page, next to a second embed', async () => {
    const page = await strictPage();
    await page.goto(`${site.url}?term=leverage-skew&days=7`);
    await appReady(page);
    await waitForReading(page);
    await page.click('#embed-button');
    const snippet = await page.inputValue('#embed-snippet');
    assert.match(snippet, /^<iframe src="[^"]+" title="Leverage Skew: live example from Leverage Lens" width="100%" height="560" loading="lazy" style="border:0;max-width:100%"><\/iframe>$/);
    const second = `<iframe src="${site.url}?term=leverage-management-in-cppi&amp;theme=dark&amp;embed=1" title="CPPI" width="600" height="500"></iframe>`;
    await writeFile(join(hostDir, 'index.html'), `<!doctype html><html><head><title>Docs</title><link rel="icon" href="data:,"></head><body>
<h1>Our docs</h1>
${snippet}
${second}
<script>
  window.sizes = [];
  addEventListener('message', (e) => {
    if (e.origin !== ${JSON.stringify(site.origin)}) return; // only the embedded site may resize its frames
    if (e.data && e.data.type === 'leverage-lens:resize') window.sizes.push([e.data.href, e.data.height]);
  });
</script></body></html>`);
    const docs = await openPage(browser, { viewport: { width: 1200, height: 900 } });
    await docs.goto(host.url);
    assert.equal(await docs.evaluate(() => document.querySelector('iframe').outerHTML), snippet, 'the page uses the snippet as given');
    const frames = docs.frames().filter((f) => f !== docs.mainFrame());
    assert.equal(frames.length, 2);
    for (const frame of frames) {
      await frame.waitForFunction(() => /\d/.test(document.querySelector('.reading')?.textContent ?? ''), null, { timeout: 20000 });
      await frame.waitForFunction(() => document.querySelectorAll('canvas').length > 0);
      assert.equal(await frame.locator('.site-header, .sidebar, .controls:not(.hidden)').count(), 0, 'no navigation chrome');
      assert.match(await frame.getAttribute('.embed-foot a', 'href'), /^http:\/\/127\.0\.0\.1:\d+\/lens\/.*term=|\.html/);
    }
    assert.equal(await frames[1].getAttribute('html', 'data-theme'), 'dark');
    await docs.waitForFunction(() => window.sizes.length >= 2);
    const sizes = await docs.evaluate(() => window.sizes);
    assert.ok(sizes.every(([, h]) => h > 100), JSON.stringify(sizes));
    assert.deepEqual([...page.problems, ...docs.problems], []);
    await page.context().close();
    await docs.context().close();
  });

  test('the app runs under the strict Content-Security-Policy without violations', async () => {
    const page = await strictPage();
    const violations = [];
    // Every entry file (with its JSON-LD data block and its own policy in a <meta>), the app's own pages and an embed.
    const entryFiles = (await glossaryTerms()).map((t) => `${t.slug}.html`);
    for (const query of ['', ...entryFiles, '?page=charts', '?page=data', '?term=systemic-leverage-contagion', 'leverage-skew.html?embed=1']) {
      await page.goto(`${site.url}${query}`);
      await appReady(page);
      await page.waitForTimeout(300);
      // Hover a time chart so the crosshair and tooltip (positioned through the CSSOM) appear.
      const chart = page.locator('.chart-box').first();
      if (await chart.count()) await chart.hover();
      await page.waitForTimeout(100);
      violations.push(...(await page.evaluate(() => window.__violations)).map((v) => `${query}: ${v}`));
    }
    assert.deepEqual(violations, []);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

// End-to-end: explorable worked examples. The page reads as published until someone edits; an edited input
// recomputes every number after it (the expected values are computed here, from the cited formulas, not read
// from the app); keyboard and drag stay inside the bounds; bad input is explained where it was typed; the link
// carries the edit, Reset restores the published example, and a hostile link falls back with a notice.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

import { serveStatic } from './static-server.mjs';
import { appReady, launch, openPage } from './browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', '..', 'dist');
/** The terms whose worked example the build marked as explorable, read from the entry files. */
async function explorable() {
  const slugs = [];
  for (const file of await readdir(dist)) {
    if (file.endsWith('.html') && (await readFile(join(dist, file), 'utf8')).includes('class="x-in"')) {
      slugs.push(file.replace(/\.html$/, ''));
    }
  }
  return slugs.sort();
}

let site;
let browser;

before(async () => {
  site = await serveStatic(dist, '/lens/');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.close();
});

/** Opens a term's entry file and waits until its worked example has fields. */
async function open(slug, query = '') {
  const page = await openPage(browser, { viewport: { width: 1280, height: 900 } });
  await page.goto(`${site.url}${slug}.html${query}`);
  await appReady(page);
  await page.waitForSelector('#worked-example .x-field');
  // The live example above draws its charts meanwhile; wait for it, so nothing moves under the pointer later.
  await page.waitForFunction(() => /\d/.test(document.querySelector('#live-example .reading')?.textContent ?? ''), null, {
    timeout: 20000,
  });
  return page;
}

/** `key → text` of every derived number on screen. */
const outputs = (page) =>
  page.evaluate(() => {
    const out = {};
    for (const el of document.querySelectorAll('#worked-example .x-out')) out[el.dataset.x] ??= el.textContent;
    return out;
  });

/** The same, as the build wrote them into the entry file (before any script ran). */
async function published(slug) {
  const html = await readFile(join(dist, `${slug}.html`), 'utf8');
  const out = {};
  for (const [, key, text] of html.matchAll(/<span class="x-out" data-x="([a-z0-9-]+)">([^<]*)<\/span>/g)) {
    out[key] ??= text.replace(/&amp;/g, '&');
  }
  return out;
}

/** The article's way of writing a number: thousands separators, a typographic minus. */
const fmt = (v, decimals) => {
  const s = Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
  return (v < 0 && /[1-9]/.test(s) ? '−' : '') + s;
};
/** At most `decimals` places, trailing zeros dropped (the calculator's inputs and most outputs). */
const tidy = (v, decimals) => {
  const s = fmt(v, decimals);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
};

/** The standard normal CDF (Abramowitz and Stegun 26.2.17, error below 7.5e-8). */
function normalCdf(x) {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const tail = (Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)) * poly;
  return x >= 0 ? 1 - tail : tail;
}

async function typeInto(page, key, text) {
  const field = page.locator(`#x-${key}`);
  await field.fill(text);
  return field;
}

describe('explorable worked examples', () => {
  test('each example reads exactly as published once the calculator has taken over', async () => {
    const slugs = await explorable();
    assert.ok(slugs.length === 17, `explorable examples: ${slugs}`);
    for (const slug of slugs) {
      const page = await open(slug);
      const expected = await published(slug);
      assert.ok(Object.keys(expected).length >= 5, `${slug}: marked outputs in the entry file`);
      assert.deepEqual(await outputs(page), expected, slug);
      assert.equal(await page.locator('#worked-example[data-stale]').count(), 0);
      assert.deepEqual(page.problems, [], slug);
      await page.context().close();
    }
  });

  test('one edited input per example: every number after it follows the cited formula', async () => {
    const cases = [
      {
        // Brunnermeier (2009): after a 5 % drop assets are 95, equity 5; a 25 % margin allows 5 / 0.25 = 20.
        slug: 'leverage-deleveraging-spiral',
        key: 'margin',
        value: '25',
        expect: () => {
          const shocked = 100 * (1 - 0.05);
          const equity = shocked - 90;
          const allowed = equity / 0.25;
          return { 'margin-sale': tidy(shocked - allowed, 2), 'margin-assets': tidy(allowed, 2), 'margin-lev': '4' };
        },
      },
      {
        // CPPI (Perold–Sharpe): E = m (V − F); after a 20 % fall the rule trades E′ − E (1 − 0.2).
        slug: 'leverage-management-in-cppi',
        key: 'move',
        value: '20',
        expect: () => {
          const [V, F, m, r] = [10e6, 8.5e6, 3, -0.2];
          const E = m * (V - F);
          const V1 = V + E * r;
          const E1 = m * (V1 - F);
          return { 'fall-value': tidy(V1, 2), 'fall-target': tidy(E1, 2), 'fall-trade': tidy(E * (1 + r) - E1, 2) };
        },
      },
      {
        // A CPPI path: after each move the value is E(1 + r) + reserve, and the rule re-targets E = m·max(0, V − F).
        slug: 'leverage-management-in-cppi',
        key: 's-mv2',
        value: '-5',
        expect: () => {
          const [F, m] = [80, 4];
          let V = 100;
          let E = m * (V - F);
          for (const r of [-0.1, -0.05, -0.3, 0.1]) {
            V += E * r;
            E = m * Math.max(0, V - F);
          }
          return {
            's-path-value': tidy(V, 4),
            's-path-words': V < F ? 'below the floor: a gap move broke through it' : 'the floor holds and the rule is still invested',
          };
        },
      },
      {
        // Estimated leverage ratio (CryptoQuant): open interest in coins over the exchange reserve in coins.
        slug: 'leverage-ratio-monitoring',
        key: 'reserve',
        value: '2,500,000',
        expect: () => ({ elr: tidy(12.6e9 / 42000 / 2.5e6, 4), mixed: tidy(12.6e9 / 2.5e6, 0) }),
      },
      {
        // Funding spend: rate × open interest per interval, three intervals a day, 365 days.
        slug: 'leverage-dependency',
        key: 'rate',
        value: '0.02',
        expect: () => ({
          'spend-8h': fmt((0.0002 * 10e9) / 1e6, 1),
          'spend-day': fmt((0.0002 * 10e9 * 3) / 1e6, 1),
          'spend-year': fmt((0.0002 * 10e9 * 3 * 365) / 1e9, 3),
          apr: tidy(0.02 * 3 * 365, 2),
        }),
      },
      {
        // Binance isolated liquidation (USDⓈ-M FAQ): LP = (Q·E − d·(WB + cum)) / (Q·(1 − d·MMR)), in the tier
        // where LP·Q lands; 2 BTC at 65,000 with 10× stays in tier 2 (0.5 %, cum 50).
        slug: 'leverage-mechanics',
        key: 'qty',
        value: '2',
        expect: () => {
          const [q, e, lev] = [2, 65000, 10];
          const tiers = [
            [0, 50000, 0.004, 0],
            [50000, 250000, 0.005, 50],
            [250000, 1000000, 0.01, 1300],
            [1000000, 10000000, 0.025, 16300],
          ];
          const wb = (q * e) / lev;
          const lp = (d) => {
            for (const [lo, hi, mmr, cum] of tiers) {
              const price = (q * e - d * (wb + cum)) / (q * (1 - d * mmr));
              if (price * q >= lo && price * q < hi) return price;
            }
            return NaN;
          };
          return { notional: '130,000', im: '13,000', 'long-lp': fmt(lp(1), 2), 'short-lp': fmt(lp(-1), 2), 'long-tier': '2' };
        },
      },
      {
        // Bybit inverse, unified account: fee to close = Q/E·(1 − 1/L)·f for a short, bankruptcy E·L/(L − 1),
        // liquidation Q·(1 − MMR) / (Q/E − Q/E/L) with the wallet the order cost reserves.
        slug: 'leverage-mechanics',
        key: 'inv-lev',
        value: '20',
        expect: () => {
          const [Q, E, L, mmr, f] = [30000, 60000, 20, 0.005, 0.00055];
          return {
            'short-ftc': tidy((Q / E) * (1 - 1 / L) * f, 8),
            'short-bp': fmt((E * L) / (L - 1), 2),
            'short-lp-inv': fmt((Q * (1 - mmr)) / (Q / E - Q / E / L), 2),
          };
        },
      },
      {
        // Black–Scholes (Hull, ch. 15): C = S N(d1) − K e^{−rT} N(d2); elasticity Ω = N(d1) S / C.
        slug: 'options-trading-leverage',
        key: 'b-vol',
        value: '0.25',
        expect: () => {
          const [S, K, r, vol, T] = [42, 40, 0.1, 0.25, 0.5];
          const d1 = (Math.log(S / K) + (r + (vol * vol) / 2) * T) / (vol * Math.sqrt(T));
          const d2 = d1 - vol * Math.sqrt(T);
          const call = S * normalCdf(d1) - K * Math.exp(-r * T) * normalCdf(d2);
          return { 'b-d1': fmt(d1, 4), 'b-call': fmt(call, 4), 'b-call-el': fmt((normalCdf(d1) * S) / call, 4) };
        },
      },
      {
        // Herfindahl–Hirschman: HHI = Σ s², the effective number 1 / HHI.
        slug: 'leverage-concentration',
        key: 'bybit',
        value: '6',
        expect: () => {
          const oi = [8, 6, 3.2];
          const total = oi.reduce((a, b) => a + b);
          const hhi = oi.reduce((a, x) => a + (x / total) ** 2, 0);
          return { total: fmt(total, 1), hhi: fmt(hhi, 2), effective: fmt(1 / hhi, 2), 'bybit-share': fmt(6 / total, 2) };
        },
      },
      {
        // Binance funding: F = P + clamp(I − P, −0.05 %, 0.05 %); APR = F × 3 × 365.
        slug: 'leverage-skew',
        key: 'p2',
        value: '0.2',
        expect: () => {
          const [P, I] = [0.2, 0.01];
          const F = P + Math.min(0.05, Math.max(-0.05, I - P));
          return { f2: fmt(F, 2), apr2: fmt(F * 3 * 365, 2), d2: `${fmt(I - P, 2)} % → −0.05 %` };
        },
      },
      {
        // Liquidation distance, flat MMR: long D = 1 − (1 − 1/L)/(1 − MMR), short D = (1 + 1/L)/(1 + MMR) − 1.
        slug: 'leverage-and-liquidation-risks',
        key: 'mmr',
        value: '1',
        expect: () => ({
          'long-10': fmt((1 - (1 - 1 / 10) / (1 - 0.01)) * 100, 2),
          'short-10': fmt(((1 + 1 / 10) / (1 + 0.01) - 1) * 100, 2),
          'long-125': '–',
        }),
      },
      {
        // Funding spend = rate per 8 h × OI; an hourly rate is 8 times itself per 8 h.
        slug: 'systemic-leverage',
        key: 'rate-c',
        value: '0.005',
        expect: () => {
          const usd = (coins) => coins * 64000;
          const spend = usd(180000) * 0.00012 + usd(110000) * 0.0002 + usd(60000) * 0.00005 * 8;
          return { 'per8-c': fmt(0.005 * 8, 3), spend: fmt(spend, 0) };
        },
      },
      {
        // DebtRank (Battiston et al. 2012): W = loan / lender's equity, h₁ = W·h₀, R = Σh/3 − h₀/3.
        slug: 'systemic-leverage-contagion',
        key: 'eq1',
        value: '16',
        expect: () => {
          const w1 = 4 / 16;
          const h1 = w1 * 0.4;
          const h2 = 0.5 * h1;
          return {
            w1: tidy(w1, 3),
            chain: `so h₀ = 0.4. At the next step h₁ = ${tidy(w1, 3)} × 0.4 = ${tidy(h1, 3)}, and then h₂ = 0.5 × ${tidy(h1, 3)} = ${tidy(h2, 3)}.`,
            r: tidy((0.4 + h1 + h2) / 3 - 0.4 / 3, 3),
          };
        },
      },
      {
        // DebtRank with the shock on bank 1: its lender (bank 2) takes W·h₁; bank 0 lent nothing, so h₀ = 0.
        slug: 'systemic-leverage-contagion',
        key: 'shocked',
        value: '1',
        expect: () => {
          const h2 = 0.5 * 0.4;
          return { r: tidy((0 + 0.4 + h2) / 3 - 0.4 / 3, 3) };
        },
      },
      {
        // Cont, Kukanov and Stoikov (2014): e = 1{Pb ≥ Pb′}qb − 1{Pb ≤ Pb′}qb′ − 1{Pa ≤ Pa′}qa + 1{Pa ≥ Pa′}qa′.
        slug: 'order-flow-imbalances',
        key: 'bp3',
        value: '100',
        expect: () => {
          const q = [
            [100, 10, 101, 10],
            [100, 15, 101, 10],
            [100, 15, 101, 4],
            [100, 5, 102, 8],
            [100, 20, 101, 9],
            [100, 20, 101, 9],
          ];
          let ofi = 0;
          for (let n = 1; n < q.length; n += 1) {
            const [pb0, qb0, pa0, qa0] = q[n - 1];
            const [pb, qb, pa, qa] = q[n];
            ofi += (pb >= pb0 ? qb : 0) - (pb <= pb0 ? qb0 : 0) - (pa <= pa0 ? qa : 0) + (pa >= pa0 ? qa0 : 0);
          }
          return { ofi: `${ofi > 0 ? '+' : ''}${fmt(ofi, 0)}`, b3: `5 − 15 = −10` };
        },
      },
      {
        // Weighted mid: (ask · bid size + bid · ask size) / (bid size + ask size).
        slug: 'order-flow-imbalances',
        key: 'wm-bid',
        value: '3',
        expect: () => ({ wm: fmt((101 * 3 + 100 * 3) / 6, 2), 'wm-side': 'at' }),
      },
      {
        // Adrian–Shin: after a move R, assets A(1 + R), equity A(1 + R) − D, trade ℓ*·E′ − A′.
        slug: 'leverage-cycles',
        key: 'move',
        value: '2',
        expect: () => {
          const [A, D, R] = [100, 90, 0.02];
          const equity = A * (1 + R) - D;
          return { 'up-equity': tidy(equity, 4), 'up-trade': tidy(10 * equity - A * (1 + R), 4) };
        },
      },
      {
        // Aggregate FOI/MC: Σ OI / Σ market cap.
        slug: 'systemic-leverage-cycles',
        key: 'mcap',
        value: '1500',
        expect: () => ({ ratio1: fmt((36 / 1500) * 100, 2), combined: fmt((50 / 1800) * 100, 2) }),
      },
      {
        // Stress test: trigger drop of a long at leverage L with MMR m is 1 − (1 − 1/L)/(1 − m).
        slug: 'systemic-leverage-risk',
        key: 'mmr',
        value: '1',
        expect: () => ({ t10: tidy((1 - 0.9 / 0.99) * 100, 2), t2: tidy((1 - 0.5 / 0.99) * 100, 2) }),
      },
      {
        // Annualised basis: simple (F/S − 1)·365/d, compounded (F/S)^(365/d) − 1.
        slug: 'leverage-dynamics-assessment',
        key: 'days',
        value: '30',
        expect: () => ({
          'basis-simple': fmt((65100 / 64000 - 1) * (365 / 30) * 100, 2),
          'basis-comp': fmt(((65100 / 64000) ** (365 / 30) - 1) * 100, 2),
        }),
      },
      {
        // Flush rule: z = (r − μ)/s with r = OI_now / OI_then − 1.
        slug: 'leverage-deleveraging-cycles',
        key: 'oi1',
        value: '90,000',
        expect: () => {
          const r = (90000 / 92000 - 1) * 100;
          return { r: fmt(r, 2), z: fmt((r - 0.2) / 1.5, 2), result: 'no flush' };
        },
      },
    ];
    for (const c of cases) {
      const page = await open(c.slug);
      await typeInto(page, c.key, c.value);
      const want = c.expect();
      await page.waitForFunction(
        ([key, text]) => document.querySelector(`#worked-example .x-out[data-x="${key}"]`)?.textContent === text,
        Object.entries(want)[0],
      );
      const shown = await outputs(page);
      for (const [key, text] of Object.entries(want)) assert.equal(shown[key], text, `${c.slug}: ${key}`);
      // The edit goes into the link, and the link reproduces it.
      await page.waitForFunction((k) => new URL(location.href).searchParams.has(`x.${k}`), c.key);
      const link = page.url();
      assert.equal(new URL(link).searchParams.get(`x.${c.key}`), c.value.replace(/,/g, ''));
      const again = await openPage(browser, { viewport: { width: 390, height: 844 } });
      await again.goto(link);
      await appReady(again);
      await again.waitForSelector('#worked-example .x-field');
      const reproduced = await outputs(again);
      for (const [key, text] of Object.entries(want)) assert.equal(reproduced[key], text, `${c.slug} from the link: ${key}`);
      assert.deepEqual([...page.problems, ...again.problems], []);
      await again.context().close();
      await page.context().close();
    }
  });

  test('keyboard-only editing steps, jumps by ten with Shift, and stays inside the bounds', async () => {
    const page = await open('leverage-deleveraging-spiral');
    await page.keyboard.press('Tab');
    await page.locator('#x-margin').focus();
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.locator('#x-margin').inputValue(), '21');
    await page.keyboard.press('Shift+ArrowUp');
    assert.equal(await page.locator('#x-margin').inputValue(), '31');
    // 95 − 5 / 0.31, written with at most two decimals.
    assert.equal((await outputs(page))['margin-sale'], tidy(95 - 5 / 0.31, 2));
    // The ladder under the example marks the new value.
    await page.waitForFunction(() => /at 31:/.test(document.querySelector('.worked-ladder figcaption')?.textContent ?? ''));
    const inked = await page.evaluate(() => {
      const c = document.querySelector('.worked-ladder canvas');
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const colours = new Set();
      for (let i = 0; i < data.length; i += 4 * 53) colours.add(data[i] * 65536 + data[i + 1] * 256 + data[i + 2]);
      return colours.size;
    });
    assert.ok(inked > 3, `the ladder chart is drawn (${inked} colours)`);
    for (let i = 0; i < 15; i += 1) await page.keyboard.press('PageUp');
    assert.equal(await page.locator('#x-margin').inputValue(), '100', 'capped at the maximum');
    assert.equal(await page.locator('#x-margin').getAttribute('aria-valuenow'), '100');
    for (let i = 0; i < 15; i += 1) await page.keyboard.press('PageDown');
    assert.equal(await page.locator('#x-margin').inputValue(), '1', 'floored at the minimum');
    // Dragging sideways scrubs, also inside the bounds (the field is brought clear of the sticky header first).
    // The live example above may still be settling; the drag starts once the field stays put for a few frames.
    const settled = async () => {
      await page.locator('#x-drop').evaluate((el) => el.scrollIntoView({ block: 'center', behavior: 'instant' }));
      await page.waitForFunction(
        () =>
          new Promise((resolve) => {
            const el = document.querySelector('#x-drop');
            const at = () => JSON.stringify(el.getBoundingClientRect());
            const first = at();
            requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(() => resolve(at() === first))));
          }),
      );
      return page.locator('#x-drop').boundingBox();
    };
    const box = await settled();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2, { steps: 6 });
    await page.mouse.up();
    const dropped = Number(await page.locator('#x-drop').inputValue());
    assert.ok(dropped > 5 && dropped <= 99, `scrubbed to ${dropped}`);
    // Measured again: the live example above may have changed height meanwhile.
    const again = await settled();
    await page.mouse.move(again.x + 2, again.y + again.height / 2);
    await page.mouse.down();
    await page.mouse.move(1, again.y + again.height / 2, { steps: 10 });
    await page.mouse.up();
    assert.equal(await page.locator('#x-drop').inputValue(), '0', 'a long drag stops at the minimum');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('bad input is explained next to the field, the last good result stays marked as stale, and Reset restores it', async () => {
    const page = await open('leverage-deleveraging-spiral');
    const before = await outputs(page);
    await typeInto(page, 'drop', 'abc');
    await page.waitForSelector('#worked-example[data-stale]');
    assert.match(await page.locator('#x-drop-message').textContent(), /not a number/);
    assert.equal(await page.locator('#x-drop').getAttribute('aria-invalid'), 'true');
    assert.deepEqual(await outputs(page), before, 'the last good numbers stay');
    await typeInto(page, 'drop', '5');
    await page.waitForFunction(() => !document.querySelector('#worked-example[data-stale]'));
    // Each value is in range, together they make no sense: debt above assets.
    await typeInto(page, 'debt', '120');
    await page.waitForSelector('#worked-example[data-stale]');
    assert.match(await page.locator('#x-debt-message').textContent(), /below assets/);
    await typeInto(page, 'debt', '90');
    // A decimal comma, as phone keypads in many regions type it.
    await typeInto(page, 'margin', '40,5');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('x.margin') === '40.5');
    // Following a link within the page (a fragment) keeps the edit and what is typed.
    await page.locator('.on-this-page a[href="#formula"]').click();
    await page.waitForFunction(() => location.hash === '#formula');
    // (Leaving the field writes the value the way the article writes numbers.)
    assert.equal(await page.locator('#x-margin').inputValue(), '40.5');
    assert.equal((await outputs(page))['margin-sale'], tidy(95 - 5 / 0.405, 2));
    await page.getByRole('button', { name: 'Reset' }).click();
    assert.deepEqual(await outputs(page), await published('leverage-deleveraging-spiral'));
    assert.equal(await page.locator('#x-margin').inputValue(), '20');
    await page.waitForFunction(() => !new URL(location.href).search.includes('x.'));
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('hostile values in the link fall back to the published example with a notice', async () => {
    const page = await open(
      'leverage-management-in-cppi',
      '?x.floor=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&x.multiplier=1e999&x.move=-5',
    );
    const notice = page.locator('#worked-example .worked-bar [role=alert]');
    await notice.waitFor();
    const text = await notice.textContent();
    assert.match(text, /could not be used/);
    assert.equal((text.match(/Showing the published/g) ?? []).length, 3);
    assert.equal(await page.locator('#worked-example img').count(), 0, 'nothing from the link becomes HTML');
    assert.deepEqual(await outputs(page), await published('leverage-management-in-cppi'));
    // Reset clears the refused numbers from the address and the notice from the page.
    await page.getByRole('button', { name: 'Reset' }).click();
    await page.waitForFunction(() => !new URL(location.href).search.includes('x.'));
    assert.equal(await notice.count(), 0);
    // A floor above the portfolio: each number alone is fine, the pair is not.
    const second = await open('leverage-management-in-cppi', '?x.floor=20000000');
    await second.locator('#worked-example .worked-bar [role=alert]').waitFor();
    assert.equal(await second.locator('#x-floor').inputValue(), '8,500,000');
    assert.deepEqual([...page.problems, ...second.problems], []);
    await second.context().close();
    await page.context().close();
  });
});

/** Eisenberg–Noe clearing by iteration from full payment: p = min(p̄, max(0, e + Πᵀp)); equity e + Πᵀp − p. */
function clearing(assets, liabilities, owes) {
  const n = assets.length;
  const pbar = owes.map((row) => row.reduce((a, b) => a + b, 0));
  const e = assets.map((a, i) => a - liabilities[i]);
  let p = [...pbar];
  for (let sweep = 0; sweep < 10000; sweep += 1) {
    const inflow = (i) => owes.reduce((sum, row, j) => sum + (pbar[j] > 0 ? (row[i] / pbar[j]) * p[j] : 0), 0);
    const next = p.map((_, i) => Math.min(pbar[i], Math.max(0, e[i] + inflow(i))));
    const done = next.every((x, i) => Math.abs(x - p[i]) < 1e-12);
    p = next;
    if (done) break;
  }
  const inflow = (i) => owes.reduce((sum, row, j) => sum + (pbar[j] > 0 ? (row[i] / pbar[j]) * p[j] : 0), 0);
  return { p, pbar, equity: p.map((pi, i) => e[i] + inflow(i) - pi) };
}

describe('the contagion example’s own network', () => {
  test('starts as the published ring, takes a fourth institution, clears it, and travels in the link', async () => {
    const page = await open('systemic-leverage-contagion');
    await page.waitForSelector('.network-editor .net-results tbody tr');
    const results = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('.net-results tbody tr')].map((r) => [
          r.querySelector('.net-pays').textContent,
          r.querySelector('.net-equity').textContent,
        ]),
      );
    assert.deepEqual(await results(), [
      ['3 of 4 (defaults)', '0'],
      ['3 of 3', '0'],
      ['2 of 2', '2'],
    ]);
    await page.getByRole('button', { name: 'Add an institution' }).click();
    await page.getByLabel("Institution 3's external assets").fill('10');
    await page.getByLabel('What institution 3 owes institution 0').fill('5');
    const owes = [
      [0, 4, 0, 0],
      [0, 0, 3, 0],
      [2, 0, 0, 0],
      [5, 0, 0, 0],
    ];
    const cleared = clearing([18, 18, 9, 9], [17, 18, 8, 0], owes);
    const want = cleared.p.map((p, i) => [
      `${tidy(p, 3)} of ${tidy(cleared.pbar[i], 3)}${p + 1e-9 < cleared.pbar[i] ? ' (defaults)' : ''}`,
      tidy(cleared.equity[i], 3),
    ]);
    await page.waitForFunction((n) => document.querySelectorAll('.net-results tbody tr').length === n, 4);
    assert.deepEqual(await results(), want);
    // A negative amount is refused where it was typed; the last good clearing stays, marked stale.
    await page.getByLabel('What institution 3 owes institution 0').fill('-2');
    await page.waitForSelector('.net-results.stale');
    assert.match(await page.locator('.net-message').textContent(), /must be between 0 and/);
    assert.deepEqual(await results(), want);
    await page.getByLabel('What institution 3 owes institution 0').fill('5');
    await page.waitForFunction(() => !document.querySelector('.net-results.stale'));
    const link = page.url();
    assert.match(link, /x\.net=/);
    const again = await open('systemic-leverage-contagion', new URL(link).search);
    await again.waitForFunction((n) => document.querySelectorAll('.net-results tbody tr').length === n, 4);
    assert.deepEqual(
      await again.evaluate(() =>
        [...document.querySelectorAll('.net-results tbody tr')].map((r) => [
          r.querySelector('.net-pays').textContent,
          r.querySelector('.net-equity').textContent,
        ]),
      ),
      want,
    );
    // Removing institution 3 brings back the ring's clearing.
    await page.getByRole('button', { name: 'Remove 3' }).click();
    await page.waitForFunction((n) => document.querySelectorAll('.net-results tbody tr').length === n, 3);
    assert.equal((await results())[0][0], '3 of 4 (defaults)');
    assert.deepEqual([...page.problems, ...again.problems], []);
    await again.context().close();
    await page.context().close();
  });

  test('a network in the link it cannot read falls back to the ring with a notice', async () => {
    const page = await open('systemic-leverage-contagion', '?x.net=a:1;l:%3Cb%3E;o:0');
    await page.locator('.network-editor [role=alert]').waitFor();
    assert.match(await page.locator('.network-editor [role=alert]').textContent(), /published ring/);
    assert.equal(await page.locator('.net-results tbody tr').count(), 3);
    assert.equal(await page.locator('.network-editor b').count(), 0);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

// Launches Debian's Chromium through playwright-core (browser downloads are impossible here) and records every
// page error, so a test can assert that nothing went wrong behind the UI.
import { chromium } from 'playwright-core';

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A new page whose uncaught errors and console errors are collected in `page.problems`. */
export async function openPage(browser, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (err) => page.problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    // The location names the resource behind a bare "Failed to load resource".
    if (msg.type() === 'error') page.problems.push(`console: ${msg.text()} (${msg.location()?.url ?? ''})`);
  });
  return page;
}

/** Waits until the app has taken the page over and rendered its heading (the static page has one before). */
export async function appReady(page) {
  await page.waitForSelector('html[data-app=ready] main h1', { timeout: 15000 });
}

// The release dist/ copied to a temp folder whose config.json points every venue at a local mock exchange, served
// on a plain static server: the setup every live-data test shares.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

import { serveStatic } from './static-server.mjs';
import { launch } from './browser.mjs';
import { startMockExchange } from './mock/exchange.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', '..', 'dist');
// The build step that writes the pages' Content-Security-Policy from config.json (`make dist` compiled it).
const sitePages = join(here, '..', '..', 'target', 'debug', 'examples', 'site_pages');

/** Writes `config` as the site's config.json and lets the pages' CSP follow it, as a site owner would. */
export async function deployConfig(siteDir, config) {
  await writeFile(join(siteDir, 'config.json'), JSON.stringify(config));
  execFileSync(sitePages, ['--refresh-csp', siteDir], { stdio: 'pipe' });
}

/**
 * Starts the mock on `dataSet`, the site with `live` ('manual' or 'auto') and the venues in `disabled` switched
 * off, and a browser; resolves to { mock, site, siteDir, browser, close }. `mockOptions` go to the mock.
 */
export async function startLiveSite(dataSet, live, { disabled = [], mockOptions = {} } = {}) {
  const mock = await startMockExchange({ dataSet, ...mockOptions });
  const siteDir = await mkdtemp(join(tmpdir(), 'lens-live-'));
  await cp(dist, siteDir, { recursive: true });
  const config = { ...mock.config(), live };
  for (const venue of disabled) config.venues[venue] = { ...config.venues[venue], enabled: false };
  await deployConfig(siteDir, config);
  const site = await serveStatic(siteDir, '/lens/', { config: null });
  const browser = await launch();
  const close = async () => {
    await browser.close();
    await site.close();
    await mock.close();
    await rm(siteDir, { recursive: true, force: true });
  };
  return { mock, site, siteDir, browser, close };
}

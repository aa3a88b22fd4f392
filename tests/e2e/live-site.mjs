// The release dist/ copied to a temp folder whose config.json points every venue at a local mock exchange, served
// on a plain static server: the setup every live-data test shares.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

import { serveStatic } from './static-server.mjs';
import { launch } from './browser.mjs';
import { startMockExchange } from './mock/exchange.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', '..', 'dist');

/**
 * Starts the mock on `dataSet`, the site with `live` ('manual' or 'auto') and the venues in `disabled` switched
 * off, and a browser; resolves to { mock, site, siteDir, browser, close }.
 */
export async function startLiveSite(dataSet, live, { disabled = [] } = {}) {
  const mock = await startMockExchange({ dataSet });
  const siteDir = await mkdtemp(join(tmpdir(), 'lens-live-'));
  await cp(dist, siteDir, { recursive: true });
  const config = { ...mock.config(), live };
  for (const venue of disabled) config.venues[venue] = { ...config.venues[venue], enabled: false };
  await writeFile(join(siteDir, 'config.json'), JSON.stringify(config));
  const site = await serveStatic(siteDir, '/lens/');
  const browser = await launch();
  const close = async () => {
    await browser.close();
    await site.close();
    await mock.close();
    await rm(siteDir, { recursive: true, force: true });
  };
  return { mock, site, siteDir, browser, close };
}

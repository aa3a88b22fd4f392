// A deliberately plain static file server: it maps /<base>/... to files in dist/ and answers 404 for anything
// else. No SPA fallback and no rewrite rules, exactly like GitHub Pages or S3, so deep links are tested honestly.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** The site settings most tests run with: no live data, so nothing leaves the machine and every number is the
 * embedded sample's. (The shipped config.json asks the real venues, which these machines cannot reach.) */
export const OFFLINE_CONFIG = { version: 1, live: 'off' };

/**
 * Serves `root` under `base` (e.g. "/lens/") on 127.0.0.1 and a free port; resolves to { url, origin, close }.
 * `headers` are added to every file served (a Content-Security-Policy, say). `config` is served as the site's
 * config.json instead of the file (default: live data off); `null` serves the file in `root`.
 */
export async function serveStatic(root, base = '/lens/', { headers = {}, config = OFFLINE_CONFIG } = {}) {
  const rootDir = resolve(root);
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (!path.startsWith(base)) return notFound(res);
      if (config && path === `${base}config.json`) {
        res.writeHead(200, { 'content-type': TYPES['.json'], ...headers });
        return res.end(JSON.stringify(config));
      }
      let file = normalize(join(rootDir, path.slice(base.length)));
      if (file !== rootDir && !file.startsWith(rootDir + sep)) return notFound(res);
      let info = await stat(file).catch(() => null);
      if (info?.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file).catch(() => null);
      }
      if (!info?.isFile()) return notFound(res);
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', ...headers });
      res.end(body);
    } catch {
      notFound(res);
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${base}`,
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

function notFound(res) {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('404 Not Found');
}

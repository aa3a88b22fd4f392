// Serves a built site folder on http://127.0.0.1:PORT/ the way a plain static host does (no rewrites), for
// `make serve`. Usage: node .ci/serve.mjs <folder> [port]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
};
const root = resolve(process.argv[2] ?? 'dist');
const port = Number(process.argv[3] ?? 8080);

createServer(async (req, res) => {
  try {
    let file = normalize(join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    if (file !== root && !file.startsWith(root + sep)) throw new Error('outside');
    if ((await stat(file).catch(() => null))?.isDirectory()) file = join(file, 'index.html');
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
    res.end(body);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('404 Not Found');
  }
}).listen(port, '127.0.0.1', () => console.log(`Leverage Lens on http://127.0.0.1:${port}/ (serving ${root}; Ctrl+C stops)`));

#!/usr/bin/env node
// Runs the mock exchange for people (`make serve-mock`): point the app's config.json at it and use the app
// offline, or inject faults with curl to see how the app copes.
//
//   node tests/e2e/mock/cli.mjs [--data DATASET.json] [--port 9100] [--host 127.0.0.1] [--stream-interval 200]
//
// Without --data it serves the small fixture data set next to this file.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { startMockExchange } from './exchange.mjs';

const USAGE = `usage: node tests/e2e/mock/cli.mjs [--data DATASET.json] [--port 9100] [--host 127.0.0.1] [--stream-interval MS]`;

function options() {
  try {
    const { values } = parseArgs({
      options: {
        data: { type: 'string' },
        port: { type: 'string', default: '9100' },
        host: { type: 'string', default: '127.0.0.1' },
        'stream-interval': { type: 'string', default: '200' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    return values;
  } catch (e) {
    console.error(`${e.message}\n${USAGE}`);
    process.exit(2);
  }
}

const args = options();
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
// The app accepts plain http/ws only for loopback hosts (src/market/config.rs), so refuse anything else.
if (!['127.0.0.1', 'localhost', '::1'].includes(args.host)) {
  console.error(`--host must be a loopback address (127.0.0.1, localhost or ::1): the app refuses plain http elsewhere`);
  process.exit(2);
}
const port = Number(args.port);
const interval = Number(args['stream-interval']);
if (!Number.isInteger(port) || port < 0 || port > 65535 || !(interval > 0)) {
  console.error(USAGE);
  process.exit(2);
}

const file = args.data ?? fileURLToPath(new URL('./fixture-dataset.json', import.meta.url));
let mock;
try {
  const dataSet = JSON.parse(readFileSync(file, 'utf8'));
  mock = await startMockExchange({ dataSet, port, host: args.host, streamIntervalMs: interval });
} catch (e) {
  console.error(`cannot start the mock exchange with ${file}: ${e.message}`);
  process.exit(1);
}

const described = mock.describe();
console.log(`Mock exchange on ${mock.url}  (data: ${file}, as of ${new Date(described.as_of_ms).toISOString()}, assets ${described.assets.join(', ')})`);
for (const [venue, { rest, ws }] of Object.entries(described.venues)) console.log(`  ${venue.padEnd(12)} ${rest}  ${ws}`);
console.log(`\nconfig.json for the app (next to index.html):\n${JSON.stringify(mock.config(), null, 2)}`);
console.log(`\nFaults (see tests/e2e/mock/faults.mjs for every type):
  curl -X POST ${mock.url}/__control/fault -d '{"venue":"binance","fault":{"type":"rate-limit","retryAfter":2,"times":3}}'
  curl -X POST ${mock.url}/__control/clear
  curl ${mock.url}/__control/requests
Ctrl-C stops.`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await mock.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

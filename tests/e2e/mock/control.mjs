// The control endpoints under /__control/, so a person (or a test in another process) can drive the mock with
// curl while the app runs against it:
//   POST   /__control/fault     {"venue":"binance","fault":{"type":"rate-limit","retryAfter":2,"times":3}}
//   POST   /__control/clear     removes every fault
//   GET    /__control/faults    the faults in force
//   GET    /__control/requests  the request log (REST, preflights and WebSocket upgrades)
//   DELETE /__control/requests  empties the log
// Control requests are not logged and never faulted.

/** Answers a control request; `mock` is the object startMockExchange returns, `send(status, json)` writes. */
export async function control(method, path, readBody, mock, send) {
  const route = `${method} ${path}`;
  switch (route) {
    case 'POST /__control/fault': {
      let body;
      try {
        body = JSON.parse(await readBody());
      } catch {
        return send(400, { error: 'the body must be JSON: {"venue": "...", "fault": {"type": "..."}}' });
      }
      try {
        mock.setFault(body?.venue, body?.fault);
      } catch (e) {
        return send(400, { error: e.message });
      }
      return send(200, { ok: true, faults: mock.faults() });
    }
    case 'POST /__control/clear':
      mock.clearFaults();
      return send(200, { ok: true });
    case 'GET /__control/faults':
      return send(200, mock.faults());
    case 'GET /__control/requests':
      return send(200, mock.requests);
    case 'DELETE /__control/requests':
      mock.clearRequests();
      return send(200, { ok: true });
    default:
      return send(404, {
        error: `no control endpoint ${route}`,
        endpoints: ['POST /__control/fault', 'POST /__control/clear', 'GET /__control/faults', 'GET /__control/requests', 'DELETE /__control/requests'],
      });
  }
}

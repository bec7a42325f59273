'use strict';
/**
 * A closed-loop load generator for slow routes (bench/parts-api.ts, search):
 * `connections` keep-alive connections each send one request at a time until
 * `durationMs` has passed, and every request started is waited for. Throughput
 * is answers / elapsed time, so a route whose answers take longer than a fixed
 * window (where wrk would count none) is still measured. Its own process.
 *
 *   node bench/lib/parts-closed-loop.js '{"url": "...", "connections": 16, "durationMs": 30000}'
 * Prints one JSON line: {requests, non200, errors, elapsedMs, rps, p50ms, p99ms, maxMs}.
 */
const http = require('node:http');

const options = JSON.parse(process.argv[2]);
const url = new URL(options.url);
const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
const latencies = [];
let non200 = 0;
let errors = 0;

const send = () =>
  new Promise((resolve) => {
    const request = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, agent, method: 'GET', timeout: 600_000 }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => resolve(-1));
    request.end();
  });

(async () => {
  const started = performance.now();
  const end = started + options.durationMs;
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const status = await send();
        latencies.push(performance.now() - t0);
        if (status === -1) errors++;
        else if (status !== 200) non200++;
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN);
  process.stdout.write(JSON.stringify({ requests: latencies.length, non200, errors, elapsedMs, rps: (1000 * latencies.length) / elapsedMs, p50ms: at(50), p99ms: at(99), maxMs: sorted[sorted.length - 1] }) + '\n');
  agent.destroy();
})();

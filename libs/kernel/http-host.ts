import * as http from 'node:http';
import type { PluginKernel } from './plugin-kernel';

let requestCounter = 0;
const requestIdPrefix = `${process.pid.toString(36)}-`;

/**
 * The worker's long-lived HTTP server. It never changes: each request goes to the
 * kernel's current generation, so keep-alive connections live through reloads.
 * It gives every request an id (the caller's `x-request-id`, or a new one);
 * Fastify adopts the header as `request.id` and each app echoes it (nest-app.ts).
 */
export function createHttpHost(kernel: PluginKernel): http.Server {
  const server = http.createServer((req, res) => {
    let id = req.headers['x-request-id'];
    if (typeof id !== 'string' || !id) req.headers['x-request-id'] = id = requestIdPrefix + (++requestCounter).toString(36);
    const generation = kernel.current;
    if (!generation) {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end(JSON.stringify({ statusCode: 503, message: 'starting: no generation is built yet', requestId: id }));
      return;
    }
    generation.handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}

import * as http from 'node:http';
import type { PluginKernel } from './plugin-kernel';

/**
 * The worker's long-lived HTTP server. It never changes: each request goes to the
 * kernel's current generation, so keep-alive connections live through reloads.
 */
export function createHttpHost(kernel: PluginKernel): http.Server {
  const server = http.createServer((req, res) => {
    const generation = kernel.current;
    if (!generation) {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end(JSON.stringify({ statusCode: 503, message: 'starting: no generation is built yet' }));
      return;
    }
    generation.handle(req, res);
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}

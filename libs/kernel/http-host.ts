// The setter is not exported by @brickyard/sdk: only the engine says who a request is from.
import { attachIdentity } from '../sdk/identity';
import * as http from 'node:http';
import { SECURITY_HEADERS } from './http/security-headers';
import { RejectedCredentials, type IdentityService, type Resolved } from './identity.service';

/** Methods that change nothing: they need no CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
import type { PluginKernel } from './plugin-kernel';

let requestCounter = 0;
const requestIdPrefix = `${process.pid.toString(36)}-`;

/** An incoming request id is adopted only if it is short and plain (it is echoed and logged). */
const REQUEST_ID = /^[\w.-]{1,64}$/;

export interface HttpHostLimits {
  /** Time to receive a request's headers: a client trickling them is cut off (slowloris). */
  headersTimeoutMs: number;
  /** Time to receive a whole request. */
  requestTimeoutMs: number;
  /** Connections the worker keeps at once (websockets included); more are refused. */
  maxConnections: number;
}

function answer(res: http.ServerResponse, status: number, code: string, message: string, requestId: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': requestId, ...SECURITY_HEADERS, ...headers });
  res.end(JSON.stringify({ statusCode: status, code, message, requestId }));
}

/**
 * The worker's long-lived HTTP server. It never changes: each request goes to the
 * kernel's current generation, so keep-alive connections live through reloads.
 * It gives every request an id (the caller's `x-request-id`, or a new one);
 * Fastify adopts the header as `request.id` and each app echoes it (nest-app.ts).
 * It also says who the caller is (the engine's identity service) before any
 * controller, core or plugin, sees the request; a wrong credential is a 401.
 */
export function createHttpHost(kernel: PluginKernel, identity: IdentityService, limits?: HttpHostLimits): http.Server {
  // Timeouts are enforced by a sweep every second (Node's default sweep is every 30 s).
  const server = http.createServer({ connectionsCheckingInterval: 1000 }, (req, res) => {
    let id = req.headers['x-request-id'];
    if (typeof id !== 'string' || !REQUEST_ID.test(id)) req.headers['x-request-id'] = id = requestIdPrefix + (++requestCounter).toString(36);
    if (!kernel.current) return answer(res, 503, 'unavailable', 'starting: no generation is built yet', id, { 'retry-after': '1' });
    const requestId = id;
    const proceed = ({ identity: who, bySession }: Resolved) => {
      if (bySession && !SAFE_METHODS.has(req.method ?? 'GET') && !identity.csrfValid(req)) {
        return answer(res, 403, 'forbidden', 'a signed-in request that changes something must echo the brickyard_csrf cookie in the X-CSRF-Token header', requestId);
      }
      attachIdentity(req, who);
      kernel.current!.handle(req, res);
    };
    const refuse = (error: unknown) =>
      error instanceof RejectedCredentials ? answer(res, 401, 'unauthorized', error.message, requestId) : answer(res, 500, 'internal', 'internal server error', requestId);
    let resolved: Resolved | Promise<Resolved>;
    try {
      resolved = identity.resolve(req);
    } catch (error) {
      return refuse(error);
    }
    // Most requests carry no session cookie and are resolved at once; a session is read from Redis.
    if (resolved instanceof Promise) resolved.then(proceed, refuse);
    else proceed(resolved);
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = limits?.headersTimeoutMs ?? 66_000;
  server.requestTimeout = limits?.requestTimeoutMs ?? 300_000;
  if (limits) server.maxConnections = limits.maxConnections;
  return server;
}

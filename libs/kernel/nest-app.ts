import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import * as http from 'node:http';
import type { Logger } from 'pino';
import { ErrorsFilter } from './http/errors.filter';
import { SECURITY_HEADERS } from './http/security-headers';
import type { RequestHandler } from './mounted-app';

/** Lets pending I/O (requests being served) run before the next synchronous step of a build. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Creates and initialises a Nest app on Fastify that never listens: its request
 * handler is taken from Fastify's `serverFactory`, so the host's long-lived
 * server can call it. Request ids are set by the host (`http-host.ts`) in the
 * `x-request-id` header, which Fastify adopts as `request.id`; the app echoes
 * it. (Echoing it with `res.setHeader` in the host would push every answer
 * through Node's slower header-merging path in `writeHead`.)
 */
export async function createNestApp(
  rootModule: unknown,
  logger: Logger,
  /** Sees every route the app registers (method, path), before the app serves. */
  onRoute?: (method: string, url: string) => void,
): Promise<{ app: NestFastifyApplication; handler: RequestHandler }> {
  let handler: RequestHandler | undefined;
  const adapter = new FastifyAdapter({
    serverFactory: (fastifyHandler: RequestHandler) => {
      handler = fastifyHandler;
      return http.createServer(); // never listens
    },
    requestIdHeader: 'x-request-id',
    routerOptions: { ignoreTrailingSlash: true },
    logger: false,
  } as ConstructorParameters<typeof FastifyAdapter>[0]);

  let app: NestFastifyApplication | undefined;
  try {
    // Creating, initialising and readying the app are each a long synchronous stretch (promise chains do not
    // let I/O in): yield between them so requests served by the same process wait for one, not all three.
    await yieldToEventLoop();
    app = await NestFactory.create<NestFastifyApplication>(rootModule as never, adapter, { logger: false, abortOnError: false });
    await yieldToEventLoop();
    app.useGlobalFilters(new ErrorsFilter(logger));
    const fastify = app.getHttpAdapter().getInstance();
    if (onRoute) fastify.addHook('onRoute', (route) => onRoute(String(route.method), route.url));
    // Uploads are left unread for the handler, which streams them with its own limits (readUpload of @brickyard/sdk).
    fastify.addContentTypeParser('multipart/form-data', (_request, _payload, done) => done(null, undefined));
    fastify
      .addHook('onRequest', (request, reply, done) => {
        reply.header('x-request-id', request.id);
        reply.headers(SECURITY_HEADERS);
        done();
      });
    await app.init();
    await yieldToEventLoop();
    await app.getHttpAdapter().getInstance().ready();
  } catch (error) {
    await app?.close().catch(() => {});
    throw error;
  }
  if (!handler) {
    await app.close().catch(() => {});
    throw new Error('Fastify did not call serverFactory: cannot route requests to this app');
  }
  return { app, handler };
}

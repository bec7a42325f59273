import { coreMigrations } from '../../migrations';
import { Config } from '@brickyard/config';
import { authorizeSubscription, createHttpHost, KernelProcess, originAllowed, UNREAD_FRAME } from '@brickyard/kernel';
import { RealtimeHost, startFanout } from '@brickyard/realtime';
import { ownerOf } from '@brickyard/sdk';

/**
 * An HTTP worker, forked by the primary: builds its first generation, then
 * listens on the shared port. SIGUSR1/SIGHUP reload the whole cluster. It knows
 * engine services and plugins only; every feature arrives as a plugin.
 */
async function main(): Promise<void> {
  const host = await KernelProcess.start('http', { migrations: coreMigrations });
  const reload = (reason: string) =>
    host.reloadCluster(reason).then(
      (report) => host.logger.info({ report }, 'cluster reloaded'),
      (error) => host.logger.error({ err: error }, 'cluster reload failed'),
    );
  // A listener also stops Node from opening its inspector on SIGUSR1.
  process.on('SIGUSR1', () => void reload('SIGUSR1'));
  process.on('SIGHUP', () => void reload('SIGHUP'));

  const config = new Config();
  const server = createHttpHost(host.kernel, host.identity, {
    headersTimeoutMs: config.get('HTTP_HEADERS_TIMEOUT_MS'),
    requestTimeoutMs: config.get('HTTP_REQUEST_TIMEOUT_MS'),
    maxConnections: config.get('HTTP_MAX_CONNECTIONS'),
  });
  const realtime = new RealtimeHost({
    limits: {
      maxFrameBytes: config.get('WS_MAX_FRAME_BYTES'),
      ratePerSecond: config.get('WS_RATE_PER_SECOND'),
      rateBurst: config.get('WS_RATE_BURST'),
      maxConnections: config.get('WS_MAX_CONNECTIONS'),
      heartbeatMs: config.get('WS_HEARTBEAT_MS'),
      maxTopics: config.get('WS_MAX_TOPICS'),
    },
    logger: host.logger,
    findHandler: (name) => host.kernel.current?.wsHandlers.get(name),
    // At upgrade: the admin token, or the session cookie of a signed-in user.
    identify: async (request) => (await host.identity.resolve(request)).identity,
    allowOrigin: (origin, request) => originAllowed(origin, request.headers.host, host.config().get('WS_ALLOWED_ORIGINS')),
    authorizeSubscription: (identity, topic) => authorizeSubscription(host.tasks, identity, topic),
    onOpen: async (socketId, identity) => {
      await host.sockets.register(socketId, ownerOf(identity));
      // A signed-in user's socket starts with their unread count; later changes are pushed as they happen.
      if (!identity.userId) return [];
      const unread = (await host.notices.unreadCounts([identity.userId])).get(identity.userId) ?? 0;
      return [{ handler: UNREAD_FRAME, data: { unread } }];
    },
    onClose: (socketId) => void host.sockets.forget(socketId).catch(() => {}),
  });
  realtime.attach(server);
  const stopFanout = await startFanout(host.redis, host.namespace, realtime, host.logger);
  const port = config.get('PORT');
  server.listen(port, () => host.logger.info({ port }, 'listening'));

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeIdleConnections();
    await stopFanout();
    await realtime.close();
    await host.close().catch((error) => host.logger.error({ err: error }, 'shutdown error'));
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.on('disconnect', () => void stop()); // the primary is gone
}

main().catch((error) => {
  console.error(`HTTP worker ${process.pid} could not start: ${error instanceof Error ? error.stack : error}`);
  process.exit(1);
});

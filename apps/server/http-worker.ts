import { Config } from '@brickyard/config';
import { createHttpHost, KernelProcess } from '@brickyard/kernel';

/**
 * An HTTP worker, forked by the primary: builds its first generation, then
 * listens on the shared port. SIGUSR1/SIGHUP reload the whole cluster.
 */
async function main(): Promise<void> {
  const host = await KernelProcess.start('http');
  const reload = (reason: string) =>
    host.reloadCluster(reason).then(
      (report) => host.logger.info({ report }, 'cluster reloaded'),
      (error) => host.logger.error({ err: error }, 'cluster reload failed'),
    );
  // A listener also stops Node from opening its inspector on SIGUSR1.
  process.on('SIGUSR1', () => void reload('SIGUSR1'));
  process.on('SIGHUP', () => void reload('SIGHUP'));

  const server = createHttpHost(host.kernel);
  const port = new Config().get('PORT');
  server.listen(port, () => host.logger.info({ port }, 'listening'));

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeIdleConnections();
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

import { coreMigrations } from '../../migrations';
import { KernelProcess } from '@brickyard/kernel';

/**
 * `brickyard worker`: runs background tasks (core and plugin kinds) from the
 * cluster's queues, or only from `queues`. It joins the cluster and converges
 * with it on every reload, so new plugin task code is picked up without a
 * restart; it can run on any machine with the same DATABASE_URL and REDIS_URL.
 * Scheduled work (e.g. the parts plugin's ranking) is started by plugins' onMount.
 */
export async function startJobWorker(queues?: string[]): Promise<void> {
  const host = await KernelProcess.start('job', { migrations: coreMigrations, queues });
  host.logger.info({ queues: queues ?? 'all' }, 'job worker ready');
  const reload = (reason: string) =>
    void host.reloadCluster(reason).catch((error) => host.logger.error({ err: error }, 'cluster reload failed'));
  process.on('SIGUSR1', () => reload('SIGUSR1'));
  process.on('SIGHUP', () => reload('SIGHUP'));
  const stop = async () => {
    await host.close().catch(() => {});
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

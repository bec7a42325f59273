import { coreMigrations } from '../../migrations';
import { KernelProcess } from '@brickyard/kernel';
import { taskServices } from '@brickyard/tasks';
import { snapshotTaskKinds } from '@brickyard/ranking';

/**
 * `brickyard worker`: runs background tasks (core and plugin kinds) from the
 * cluster's queues, or only from `queues`. It joins the cluster and converges
 * with it on every reload, so new plugin task code is picked up without a
 * restart; it can run on any machine with the same DATABASE_URL and REDIS_URL.
 */
export async function startJobWorker(queues?: string[]): Promise<void> {
  const host = await KernelProcess.start('job', { migrations: coreMigrations, extensions: [taskServices({ run: { queues }, coreKinds: snapshotTaskKinds })] });
  host.logger.info({ queues: queues ?? 'all' }, 'job worker ready');

  // Ranking every RANKING_INTERVAL_MINUTES: the first job worker to take the Redis slot submits it.
  const ranking = setInterval(async () => {
    const every = host.config().get('RANKING_INTERVAL_MINUTES') * 60_000;
    try {
      if (await host.redis.set(`${host.namespace}:ranking-due`, String(process.pid), 'PX', every - 1000, 'NX')) {
        await host.tasks.submit('core.rank', {});
      }
    } catch (error) {
      host.logger.warn({ err: error }, 'could not schedule ranking');
    }
  }, 60_000);
  ranking.unref();
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

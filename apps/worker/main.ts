import { KernelProcess } from '@brickyard/kernel';

/**
 * `brickyard worker`: a background process that joins the cluster and converges
 * with it on every reload, so plugin code is loaded here as in the HTTP workers.
 * Task processing arrives with the tasks library; until then this process only
 * keeps its plugins current.
 */
export async function startJobWorker(): Promise<void> {
  const host = await KernelProcess.start('job');
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

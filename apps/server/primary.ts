import { Config, ensureAdminToken, ensurePrivateDir, pidFilePath, pluginDirs } from '@brickyard/config';
import { createHostDataSource, ensureDatabase, RedisConnections, runCoreMigrations } from '@brickyard/db';
import { clusterNamespace, ControlBus, createLogger, PlatformEventLog, reloadEvent } from '@brickyard/kernel';
import { RealtimePublisher } from '@brickyard/realtime';
import { watch } from 'chokidar';
import { fork as forkProcess, type ChildProcess } from 'node:child_process';
import cluster, { type Worker } from 'node:cluster';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { coreMigrations } from '../../migrations';

const root = path.resolve(__dirname, '..', '..');

/** Quiet time after a change of plugins' client code alone (one editor save is a burst of a few events within a millisecond). */
const CLIENT_DEBOUNCE_MS = 30;

/** True for a file inside `<PLUGINS_DIR>/<plugin>/client/`. */
function isClientFile(dirs: string[], file: string): boolean {
  return dirs.some((dir) => {
    const parts = path.relative(dir, file).split(path.sep);
    return parts.length > 2 && parts[0] !== '..' && parts[1] === 'client';
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The primary process of `brickyard serve`: runs core migrations, forks the HTTP
 * workers and JOB_WORKERS job workers, restarts those that die, and turns SIGUSR1/SIGHUP and plugin file
 * changes into a cluster reload. It serves no requests itself.
 */
export async function startPrimary(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = new Config(env);
  const logger = createLogger('primary', config.get('LOG_LEVEL'));

  const pidFile = pidFilePath(config);
  ensurePrivateDir(path.dirname(pidFile));
  const existing = Number(fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8') : 0);
  if (existing && existing !== process.pid && isRunning(existing)) {
    throw new Error(`a Brickyard server already runs with pid ${existing} (${pidFile}); stop it first (kill ${existing})`);
  }
  fs.writeFileSync(pidFile, String(process.pid));
  ensureAdminToken(config); // created on first start, read by workers and the CLI

  await ensureDatabase(config.get('DATABASE_URL'));
  const db = await createHostDataSource(config.get('DATABASE_URL'), 2);
  const ran = await runCoreMigrations(db, coreMigrations);
  if (ran.length) logger.info({ migrations: ran }, 'core migrations applied');

  const redis = new RedisConnections(config.get('REDIS_URL'), logger);
  await redis.connect();
  const bus = new ControlBus(redis, clusterNamespace(config), logger);
  await bus.start();
  // On the bus so the console lists the primary too (never waited for by a reload); it records the reloads it starts.
  await bus.register('primary', 0);
  const events = new PlatformEventLog(db, new RealtimePublisher(redis.commands, clusterNamespace(config)), logger);

  let stopping = false;
  const reload = (reason: string) => {
    if (stopping) return;
    bus.reloadCluster(reason, config.get('RELOAD_TIMEOUT_MS')).then(
      (report) => {
        logger[report.ok ? 'info' : 'warn']({ reason, report }, 'cluster reloaded');
        void events.record(reloadEvent(report, reason, reason));
      },
      (error) => logger.error({ err: error, reason }, 'cluster reload failed'),
    );
  };
  process.on('SIGUSR1', () => reload('SIGUSR1'));
  process.on('SIGHUP', () => reload('SIGHUP'));

  cluster.setupPrimary({ exec: path.join(root, 'bin', 'run-ts.js'), args: [path.join(root, 'apps', 'server', 'http-worker.ts')] });
  const workers = config.get('WORKERS');
  let listening = 0;
  const fork = () => cluster.fork({ ...env });
  cluster.on('listening', () => {
    if (++listening === workers) {
      logger.info({ url: `http://localhost:${config.get('PORT')}`, workers, adminToken: path.join(path.dirname(pidFile), 'admin-token') }, 'Brickyard is ready');
    }
  });
  const recentDeaths: number[] = [];
  cluster.on('exit', (worker: Worker, code, signal) => {
    const pid = worker.process.pid;
    if (pid) void bus.forget(`${os.hostname()}:${pid}`).catch(() => {});
    if (stopping) return;
    logger.error({ workerPid: pid, code, signal }, 'HTTP worker died; starting another');
    recentDeaths.push(Date.now());
    while (recentDeaths.length && Date.now() - recentDeaths[0]! > 60_000) recentDeaths.shift();
    setTimeout(fork, Math.min(30_000, 200 * 2 ** Math.min(recentDeaths.length, 8)));
  });
  for (let i = 0; i < workers; i++) fork();

  // Job workers are plain child processes (they serve no port), restarted when they die.
  const jobWorkers = new Set<ChildProcess>();
  const forkJobWorker = () => {
    const queues = config.get('JOB_WORKER_QUEUES');
    const child = forkProcess(path.join(root, 'bin', 'brickyard.js'), ['worker', ...(queues ? ['--queues', queues] : [])], { env: { ...env } });
    jobWorkers.add(child);
    child.on('exit', (code, signal) => {
      jobWorkers.delete(child);
      if (child.pid) void bus.forget(`${os.hostname()}:${child.pid}`).catch(() => {});
      if (stopping) return;
      logger.error({ jobWorkerPid: child.pid, code, signal }, 'job worker died; starting another');
      setTimeout(forkJobWorker, 500);
    });
  };
  for (let i = 0; i < config.get('JOB_WORKERS'); i++) forkJobWorker();

  let watcher: ReturnType<typeof watch> | undefined;
  if (config.get('PLUGINS_WATCH')) {
    let timer: NodeJS.Timeout | undefined;
    /** Whether every change since the last reload is browser code (under a plugin's client/ folder). */
    let clientOnly = true;
    const dirs = pluginDirs(config);
    for (const dir of dirs) fs.mkdirSync(dir, { recursive: true });
    watcher = watch(dirs, {
      ignoreInitial: true,
      ignored: (file) => /(^|[\\/])(node_modules|\.git)([\\/]|$)/.test(file),
    });
    watcher.on('all', (event, file) => {
      clearTimeout(timer);
      clientOnly &&= isClientFile(dirs, file);
      // A save of a plugin's browser code reloads sooner: it never runs here, and a client caught half-written
      // fails to compile, leaving the version that serves in place until the next event reloads again.
      const wait = clientOnly ? Math.min(CLIENT_DEBOUNCE_MS, config.get('PLUGINS_WATCH_DEBOUNCE_MS')) : config.get('PLUGINS_WATCH_DEBOUNCE_MS');
      timer = setTimeout(() => {
        clientOnly = true;
        reload(`plugin files changed (${event} ${path.relative(root, file)})`);
      }, wait);
    });
    watcher.on('error', (error) => logger.warn({ err: error }, 'plugin watcher error'));
  }

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await watcher?.close();
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    for (const child of jobWorkers) child.kill('SIGTERM');
    await new Promise<void>((resolve) => {
      const check = () => (Object.keys(cluster.workers ?? {}).length === 0 && jobWorkers.size === 0 ? resolve() : setTimeout(check, 50));
      check();
      setTimeout(resolve, 10_000).unref();
    });
    await bus.close();
    await redis.close();
    await db.destroy().catch(() => {});
    if (fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8') === String(process.pid)) fs.rmSync(pidFile);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

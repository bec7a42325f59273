import { brickyardHome, Config, ensureAdminToken, type SettingView } from '@brickyard/config';
import { createHostDataSource, ensureDatabase, parseDatabaseUrl, RedisConnections, runCoreMigrations, snapshotDatabaseOf, type MigrationClass } from '@brickyard/db';
import { RealtimePublisher, SocketOwners } from '@brickyard/realtime';
import type { PartsReader, Realtime } from '@brickyard/sdk';
import { coreTasks, DEFAULT_QUEUE, queueOf, TaskRunner, TaskService, type TaskKind, type TaskKindResolver } from '@brickyard/tasks';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { ControlBus, type ClusterReloadReport, type ConvergeRequest, type ProcessRole } from './control-bus';
import { clientsFingerprint } from './client-announcer';
import { pluginListing } from './plugin-listing';
import { ConvergeTurns } from './converge-turns';
import { describeError } from './describe-error';
import type { Engine, ProcessHealth, ServedPlugin } from './engine';
import { ActivityService } from './activity-service';
import { GrantsRepository } from './grants.repository';
import { NoticeService } from './notice-service';
import { PlatformEventLog } from './platform-event-log';
import { pluginFailureEvent, reloadEvent, taskEvent } from './platform-event-messages';
import type { ConvergeResult } from './plugin-kernel';
import { coreOpenApi, type OpenApiPaths } from './http/openapi-document';
import { tasksOpenApi } from './http/tasks.openapi';
import { IdentityService } from './identity.service';
import type { PluginManifest } from './manifest';
import { createLogger } from './logger';
import { PluginClientBundles, type ClientBundle } from './plugin-client-bundles';
import { PluginKernel } from './plugin-kernel';
import type { PluginSettingsView } from './plugin-settings';
import { PluginStateRepository } from './plugin-state.repository';
import { SessionStore } from './session-store';
import { SnapshotPartsReader } from './snapshot-parts-reader';

/** The Redis namespace of a cluster: processes sharing an app database are one cluster. */
export function clusterNamespace(config: Config): string {
  return `brickyard:${parseDatabaseUrl(config.get('DATABASE_URL')).database}`;
}

export interface KernelProcessOptions {
  env?: NodeJS.ProcessEnv;
  /** Core migrations to bring the app database up to date before the first generation (the primary runs them too). */
  migrations?: MigrationClass[];
  /** A job worker runs tasks from these queues (all queues of the known kinds when absent). */
  queues?: string[];
}

/**
 * A process that serves generations (an HTTP worker, or a job worker): it owns
 * the engine services (MySQL pool, Redis connections, control bus, realtime
 * sender, tasks, identity, the parts reader) and the kernel, and converges when
 * the cluster is told to. Features are plugins: this class names none.
 */
export class KernelProcess implements Engine {
  readonly kernel: PluginKernel;
  readonly pluginState: PluginStateRepository;
  readonly grants: GrantsRepository;
  readonly realtime: Realtime;
  readonly namespace: string;
  readonly identity: IdentityService;
  readonly sessions: SessionStore;
  readonly tasks: TaskService;
  readonly sockets: SocketOwners;
  readonly parts: PartsReader;
  readonly notices: NoticeService;
  readonly activities: ActivityService;
  /** Reloads, plugin failures, imports and ranking runs, for the operator console. */
  readonly events: PlatformEventLog;
  private runner?: TaskRunner;
  /** Converge results whose plugin failures were recorded (a converge to a generation already built returns the same result). */
  private readonly reported = new WeakSet<ConvergeResult>();
  /** Plugins' compiled client code, in the build cache beside the server's. */
  private readonly clients: PluginClientBundles;
  private runnerStarted = false;
  /** This host's processes converge one at a time. */
  private readonly turns: ConvergeTurns;
  private effectiveConfig: Config;

  private constructor(
    readonly role: ProcessRole,
    readonly db: DataSource,
    readonly redis: RedisConnections,
    readonly bus: ControlBus,
    readonly logger: Logger,
    adminToken: string,
    config: Config,
    env: NodeJS.ProcessEnv,
    queues: string[] | undefined,
  ) {
    this.effectiveConfig = config;
    this.pluginState = new PluginStateRepository(db);
    this.grants = new GrantsRepository(db);
    this.namespace = clusterNamespace(config);
    this.realtime = new RealtimePublisher(redis.commands, this.namespace);
    this.sessions = new SessionStore(redis.commands, this.namespace, () => this.config().get('SESSION_TTL_HOURS') * 3600);
    this.identity = new IdentityService(adminToken, config.get('TRUST_PROXY_HOPS'), this.sessions);
    this.sockets = new SocketOwners(redis.commands, this.namespace);
    this.notices = new NoticeService(db, this.realtime);
    this.activities = new ActivityService(db);
    this.events = new PlatformEventLog(db, this.realtime, logger);
    this.parts = new SnapshotPartsReader(db, snapshotDatabaseOf(config.get('DATABASE_URL'), config.get('SNAPSHOT_DATABASE')));
    const settings = () => this.config();
    this.tasks = new TaskService(db, redis.commands, this.namespace, this.realtime, this.resolveKind, () => ({
      perUser: settings().get('TASKS_PER_USER_LIMIT'),
      maxPayloadBytes: settings().get('TASKS_MAX_PAYLOAD_BYTES'),
      submissionsPerMinute: settings().get('TASKS_SUBMISSIONS_PER_MINUTE'),
      globalConcurrency: settings().get('TASKS_GLOBAL_CONCURRENCY'),
      resultTtlHours: settings().get('TASKS_RESULT_TTL_HOURS'),
    }));
    if (role === 'job') {
      this.runner = new TaskRunner(this.tasks, this.resolveKind, {
        redisUrl: config.get('REDIS_URL'),
        redis,
        namespace: this.namespace,
        logger,
        queues,
        concurrency: config.get('TASKS_CONCURRENCY'),
        lockMs: config.get('TASKS_LOCK_MS'),
        defaultTimeoutMs: () => settings().get('TASKS_DEFAULT_TIMEOUT_MS'),
        resultTtlHours: () => settings().get('TASKS_RESULT_TTL_HOURS'),
        maxResultBytes: () => settings().get('TASKS_MAX_PAYLOAD_BYTES'),
        kinds: () => this.taskKinds(),
        onTaskEvent: (phase, task) => {
          const event = taskEvent(phase, task, this.resolveKind(task.kind)?.definition);
          if (event) void this.events.record(event);
        },
      });
    }
    this.turns = new ConvergeTurns(redis.commands, this.namespace, `${os.hostname()}:${process.pid}`);
    this.clients = new PluginClientBundles(path.join(brickyardHome(config), 'client-build'));
    this.kernel = new PluginKernel(this, {
      cacheDir: path.join(brickyardHome(config), 'build'),
      env,
      clients: this.clients,
      onConfig: (next) => {
        this.effectiveConfig = next;
        this.logger.level = next.get('LOG_LEVEL');
      },
    });
  }

  static async start(role: ProcessRole, options: KernelProcessOptions = {}): Promise<KernelProcess> {
    const env = options.env ?? process.env;
    const config = new Config(env);
    const logger = createLogger(role, config.get('LOG_LEVEL'));
    await ensureDatabase(config.get('DATABASE_URL'));
    const db = await createHostDataSource(config.get('DATABASE_URL'), config.get('DATABASE_POOL_SIZE'));
    await runCoreMigrations(db, options.migrations ?? []);
    const redis = new RedisConnections(config.get('REDIS_URL'), logger);
    await redis.connect();
    const bus = new ControlBus(redis, clusterNamespace(config), logger);
    const self = new KernelProcess(role, db, redis, bus, logger, ensureAdminToken(config), config, env, options.queues);
    await bus.start((request) => self.onConverge(request));
    const generation = await bus.currentGeneration();
    const result = await self.turns.run(() => self.kernel.converge(generation));
    for (const error of result.errors) logger.warn(error, 'plugin refused');
    await self.recordFailures(result);
    await self.afterConverge();
    await bus.register(role, result.generation);
    logger.info({ generation: result.generation, plugins: result.outcomes.map((o) => `${o.name}:${o.status}`) }, 'generation ready');
    return self;
  }

  /** The engine's own task kinds, then those of the current generation's plugins. */
  private readonly resolveKind: TaskKindResolver = (kind) => {
    const core = Object.hasOwn(coreTasks, kind) ? coreTasks[kind] : undefined;
    return core ? { kind, definition: core } : this.kernel.current?.tasks.get(kind);
  };

  private taskKinds(): TaskKind[] {
    return [...Object.entries(coreTasks).map(([kind, definition]) => ({ kind, definition })), ...(this.kernel.current?.tasks.values() ?? [])];
  }

  private onConverge(request: ConvergeRequest): void {
    const started = Date.now();
    this.turns.run(() => this.kernel.converge(request.target)).then(
      async (result) => {
        await this.recordFailures(result);
        await this.afterConverge();
        await this.bus.setGeneration(result.generation);
        await this.bus.reply({
          requestId: request.requestId,
          ok: result.errors.length === 0,
          errors: result.errors,
          generation: result.generation,
          clients: clientsFingerprint(pluginListing(this.servedPlugins())),
        });
        for (const error of result.errors) this.logger.warn(error, 'plugin refused');
        this.logger.info(
          { generation: result.generation, rebuilt: result.rebuilt, reason: request.reason, ms: Date.now() - started },
          'converged',
        );
      },
      async (error) => {
        this.logger.error({ err: error, reason: request.reason }, 'could not converge; the previous generation keeps serving');
        const generation = this.kernel.current?.number ?? 0;
        await this.bus.reply({ requestId: request.requestId, ok: false, errors: [], failure: describeError(error), generation });
      },
    );
  }

  /** Plugins this process was the first to find refused: one platform event per failure, whatever the number of processes. */
  private async recordFailures(result: ConvergeResult): Promise<void> {
    if (this.reported.has(result)) return;
    this.reported.add(result);
    for (const outcome of result.firstRecorded) if (outcome.status === 'failed') await this.events.record(pluginFailureEvent(outcome));
  }

  /** A job worker follows the queues of new kinds and applies TASKS_GLOBAL_CONCURRENCY after each converge. */
  private async afterConverge(): Promise<void> {
    if (!this.runner) return;
    await this.tasks.applyGlobalConcurrency([DEFAULT_QUEUE, ...this.taskKinds().map(queueOf)]);
    if (this.runnerStarted) return this.runner.follow();
    this.runnerStarted = true;
    await this.runner.start();
  }

  config(): Config {
    return this.effectiveConfig;
  }

  describeSettings(): SettingView[] {
    return this.effectiveConfig.describe();
  }

  pluginSetting(key: string): PluginSettingsView | undefined {
    const setting = this.effectiveConfig.find(key) as PluginSettingsView | undefined;
    return setting?.plugin ? setting : undefined;
  }

  openApiPaths(): OpenApiPaths {
    const plugins = (this.kernel.current?.plugins ?? []).map((p) => p.definition?.openApi ?? {});
    return Object.assign({}, coreOpenApi, tasksOpenApi, ...plugins);
  }

  health(): ProcessHealth {
    return {
      status: this.kernel.current ? 'ok' : 'starting',
      generation: this.kernel.current?.number ?? 0,
      pid: process.pid,
      plugins: this.kernel.pluginOutcomes().map((o) => ({
        name: o.name,
        version: o.version,
        status: o.status,
        ...(o.lastError ? { error: o.lastError } : {}),
      })),
    };
  }

  servedPlugins(): ServedPlugin[] {
    const clients = this.kernel.clientBundles();
    const outcomes = new Map(this.kernel.pluginOutcomes().map((o) => [o.name, o]));
    return (this.kernel.current?.plugins ?? []).map((p) => {
      const outcome = outcomes.get(p.name);
      // A served plugin whose newest version was refused: the version kept serving is listed, with why the new one was not.
      const failed = outcome?.status === 'failed';
      return { name: p.name, manifest: p.manifest, client: clients.get(p.name), status: failed ? 'failed' : 'active', error: failed ? outcome.lastError : null };
    });
  }

  pluginClientFile(name: string, file: string): string | undefined {
    return this.clients.file(name, file);
  }

  async reloadCluster(reason: string, requestedBy?: string): Promise<ClusterReloadReport> {
    const by = requestedBy ?? `${this.role} process ${process.pid}`;
    const report = await this.bus.reloadCluster(reason, this.effectiveConfig.get('RELOAD_TIMEOUT_MS'), by);
    await this.events.record(reloadEvent(report, reason, by));
    return report;
  }

  async close(): Promise<void> {
    await this.bus.close();
    await this.runner?.close();
    await this.tasks.close();
    await this.kernel.close();
    await this.redis.close();
    await this.db.destroy();
  }
}

import { brickyardHome, Config, ensureAdminToken } from '@brickyard/config';
import { createHostDataSource, ensureDatabase, parseDatabaseUrl, runCoreMigrations, type MigrationClass } from '@brickyard/db';
import { RealtimePublisher } from '@brickyard/realtime';
import type { Realtime, Tasks } from '@brickyard/sdk';
import type { DynamicModule, Type } from '@nestjs/common';
import { Redis } from 'ioredis';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { ControlBus, type ClusterReloadReport, type ConvergeRequest, type ProcessRole } from './control-bus';
import { ConvergeTurns } from './converge-turns';
import { describeError } from './describe-error';
import { coreOpenApi, type OpenApiPaths } from './http/openapi-document';
import type { KernelHost, ProcessHealth } from './kernel-host';
import type { PluginManifest } from './manifest';
import { createLogger } from './logger';
import { PluginKernel } from './plugin-kernel';
import { PluginStateRepository } from './plugin-state.repository';

/** The Redis namespace of a cluster: processes sharing an app database are one cluster. */
export function clusterNamespace(config: Config): string {
  return `brickyard:${parseDatabaseUrl(config.get('DATABASE_URL')).database}`;
}

/** What a higher library adds to a process before its first generation (tasks, …). */
export interface KernelExtension {
  tasks?: Tasks;
  coreModules?: (Type<unknown> | DynamicModule)[];
  /** OpenAPI paths of the routes this extension adds. */
  openApi?: OpenApiPaths;
  /** Called after each converge (e.g. to follow new task queues). */
  afterConverge?(): Promise<void> | void;
  close?(): Promise<void>;
}

export type KernelExtensionFactory = (process: KernelProcess) => Promise<KernelExtension>;

export interface KernelProcessOptions {
  env?: NodeJS.ProcessEnv;
  /** Core migrations to bring the app database up to date before the first generation (the primary runs them too). */
  migrations?: MigrationClass[];
  /** Applied in order; later extensions can use what earlier ones set (e.g. `process.tasks`). */
  extensions?: KernelExtensionFactory[];
}

/**
 * A process that serves generations (an HTTP worker, or a job worker): it owns
 * the MySQL pool, the control-bus connections and the kernel, and converges when
 * the cluster is told to.
 */
export class KernelProcess implements KernelHost {
  readonly kernel: PluginKernel;
  readonly pluginState: PluginStateRepository;
  /** A general-purpose Redis connection of the process (publishing, queues' bookkeeping). */
  readonly redis: Redis;
  readonly realtime: Realtime;
  readonly namespace: string;
  tasks: Tasks = {
    submit: async () => {
      throw new Error('tasks are not available in this process');
    },
    get: async () => undefined,
    cancel: async () => undefined,
  };
  coreModules: (Type<unknown> | DynamicModule)[] = [];
  private extensions: KernelExtension[] = [];
  /** This host's processes converge one at a time. */
  private readonly turns: ConvergeTurns;
  private effectiveConfig: Config;

  private constructor(
    readonly role: ProcessRole,
    readonly db: DataSource,
    readonly bus: ControlBus,
    readonly logger: Logger,
    readonly adminToken: string,
    config: Config,
    env: NodeJS.ProcessEnv,
  ) {
    this.effectiveConfig = config;
    this.pluginState = new PluginStateRepository(db);
    this.namespace = clusterNamespace(config);
    this.redis = new Redis(config.get('REDIS_URL'), { lazyConnect: true, maxRetriesPerRequest: 3 });
    this.redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
    this.realtime = new RealtimePublisher(this.redis, this.namespace);
    this.turns = new ConvergeTurns(this.redis, this.namespace, `${os.hostname()}:${process.pid}`);
    this.kernel = new PluginKernel(this, {
      cacheDir: path.join(brickyardHome(config), 'build'),
      env,
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
    const bus = new ControlBus(config.get('REDIS_URL'), clusterNamespace(config), logger);
    const self = new KernelProcess(role, db, bus, logger, ensureAdminToken(config), config, env);
    await self.redis.connect();
    for (const factory of options.extensions ?? []) {
      const extension = await factory(self);
      self.extensions.push(extension);
      if (extension.tasks) self.tasks = extension.tasks;
      self.coreModules = [...self.coreModules, ...(extension.coreModules ?? [])];
    }
    await bus.start((request) => self.onConverge(request));
    const generation = await bus.currentGeneration();
    const result = await self.turns.run(() => self.kernel.converge(generation));
    for (const error of result.errors) logger.warn(error, 'plugin refused');
    await self.afterConverge();
    await bus.register(role, result.generation);
    logger.info({ generation: result.generation, plugins: result.outcomes.map((o) => `${o.name}:${o.status}`) }, 'generation ready');
    return self;
  }

  private onConverge(request: ConvergeRequest): void {
    const started = Date.now();
    this.turns.run(() => this.kernel.converge(request.target)).then(
      async (result) => {
        await this.afterConverge();
        await this.bus.setGeneration(result.generation);
        await this.bus.reply({ requestId: request.requestId, ok: result.errors.length === 0, errors: result.errors, generation: result.generation });
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

  private async afterConverge(): Promise<void> {
    for (const extension of this.extensions) await extension.afterConverge?.();
  }

  config(): Config {
    return this.effectiveConfig;
  }

  openApiPaths(): OpenApiPaths {
    return Object.assign({}, coreOpenApi, ...this.extensions.map((e) => e.openApi ?? {}));
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

  servedPlugins(): { name: string; manifest: PluginManifest }[] {
    return this.kernel.current?.plugins ?? [];
  }

  reloadCluster(reason: string): Promise<ClusterReloadReport> {
    return this.bus.reloadCluster(reason, this.effectiveConfig.get('RELOAD_TIMEOUT_MS'));
  }

  async close(): Promise<void> {
    await this.bus.close();
    for (const extension of [...this.extensions].reverse()) await extension.close?.();
    await this.kernel.close();
    this.redis.disconnect();
    await this.db.destroy();
  }
}

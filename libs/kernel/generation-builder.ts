import { createSharedPoolDataSource } from '@brickyard/db';
import { getRepositoryToken, PLUGIN_INFO, REALTIME, TASKS, type PluginInfo, type WsHandler } from '@brickyard/sdk';
import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { NestFactory, RouterModule } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import * as http from 'node:http';
import { DataSource } from 'typeorm';
import { Generation, type GenerationTask, type RequestHandler } from './generation';
import { GENERATION_PLUGINS, type GenerationPlugin } from './generation-plugins';
import { AdminConfigController } from './http/admin-config.controller';
import { AdminPluginsController } from './http/admin-plugins.controller';
import { AdminTokenGuard } from './http/admin-token.guard';
import { ClientController } from './http/client.controller';
import { DocsController } from './http/docs.controller';
import { ErrorsFilter } from './http/errors.filter';
import { HealthController } from './http/health.controller';
import { KERNEL_HOST, type KernelHost } from './kernel-host';
import type { LoadedPlugin } from './loaded-plugin';

export const pluginBasePath = (name: string) => `/api/plugins/${name}`;

let requestCounter = 0;
const requestIdPrefix = `${process.pid.toString(36)}-`;

function pluginInfo(plugin: LoadedPlugin, host: KernelHost): PluginInfo {
  return {
    name: plugin.name,
    version: plugin.manifest.version,
    basePath: pluginBasePath(plugin.name),
    setting: (key) => host.config().describe().find((s) => s.key === key && !s.secret)?.value,
  };
}

/**
 * Builds a generation: a Nest app on Fastify with the core controllers and the
 * given plugins, initialised but never listening. Its request handler is taken
 * from Fastify's `serverFactory`, so the host's long-lived server can call it.
 */
export async function buildGeneration(host: KernelHost, number: number, fingerprint: string, plugins: LoadedPlugin[]): Promise<Generation> {
  const served = plugins.filter((p) => p.definition);
  const entities = served.flatMap((p) => p.definition!.entities ?? []);
  const dataSource = await createSharedPoolDataSource(host.db, entities);

  const repositories: Provider[] = entities.map((entity) => ({
    provide: getRepositoryToken(entity),
    useFactory: () => dataSource.getRepository(entity),
  }));
  const listing: GenerationPlugin[] = plugins.map((p) => ({ name: p.name, manifest: p.manifest }));
  const shared: Provider[] = [
    { provide: KERNEL_HOST, useValue: host },
    { provide: DataSource, useValue: dataSource },
    { provide: GENERATION_PLUGINS, useValue: listing },
    { provide: REALTIME, useValue: host.realtime },
    { provide: TASKS, useValue: host.tasks },
    ...repositories,
  ];

  @Global()
  @Module({ providers: shared, exports: shared.map((p) => (p as { provide: unknown }).provide as symbol) })
  class GenerationServicesModule {}

  @Module({
    controllers: [HealthController, AdminPluginsController, AdminConfigController, DocsController, ClientController],
    providers: [AdminTokenGuard],
  })
  class CoreModule {}

  const pluginModules: DynamicModule[] = served.map((p) => ({
    module: p.definition!.module,
    providers: [{ provide: PLUGIN_INFO, useValue: pluginInfo(p, host) }],
  }));
  const routes = served.map((p) => ({ path: pluginBasePath(p.name), module: p.definition!.module }));

  @Module({ imports: [GenerationServicesModule, CoreModule, ...host.coreModules, ...pluginModules, RouterModule.register(routes)] })
  class GenerationModule {}

  let handler: RequestHandler | undefined;
  const adapter = new FastifyAdapter({
    serverFactory: (fastifyHandler: RequestHandler) => {
      handler = fastifyHandler;
      return http.createServer(); // never listens: the host's server calls `handler`
    },
    requestIdHeader: 'x-request-id',
    routerOptions: { ignoreTrailingSlash: true },
    genReqId: () => requestIdPrefix + (++requestCounter).toString(36),
    logger: false,
  } as ConstructorParameters<typeof FastifyAdapter>[0]);

  let app: NestFastifyApplication | undefined;
  try {
    app = await NestFactory.create<NestFastifyApplication>(GenerationModule, adapter, { logger: false, abortOnError: false });
    app.useGlobalFilters(new ErrorsFilter(host.logger));
    const fastify = app.getHttpAdapter().getInstance();
    fastify.addHook('onRequest', (request, reply, done) => {
      reply.header('x-request-id', request.id);
      done();
    });
    await app.init();
    await fastify.ready();
  } catch (error) {
    await app?.close().catch(() => {});
    await dataSource.destroy().catch(() => {});
    throw error;
  }
  if (!handler) throw new Error('Fastify did not call serverFactory: cannot route requests to this generation');
  const named = <T>(pick: (p: LoadedPlugin) => Record<string, T> | undefined) =>
    new Map(served.flatMap((p) => Object.entries(pick(p) ?? {}).map(([key, value]) => [`${p.name}.${key}`, value] as const)));
  const wsHandlers = named<WsHandler>((p) => p.definition!.wsHandlers);
  const tasks = new Map<string, GenerationTask>(
    served.flatMap((p) =>
      Object.entries(p.definition!.tasks ?? {}).map(([name, definition]) => {
        const kind = `${p.name}.${name}`;
        const entry = p.manifest.server!.replace(/\.(c|m)?ts$/, '.js');
        return [kind, { kind, definition, source: { buildDir: p.code!.buildDir, sourceDir: p.dir, entry, name } }] as const;
      }),
    ),
  );
  return new Generation(number, fingerprint, plugins, app, handler, dataSource, wsHandlers, tasks);
}

import { createSharedPoolDataSource } from '@brickyard/db';
import { getRepositoryToken, PLUGIN_INFO, REALTIME, TASKS, type PluginInfo, type WsHandler } from '@brickyard/sdk';
import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { ModulesContainer, RouterModule } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { pluginBasePath, type GenerationTask } from './generation';
import { AdminConfigController } from './http/admin-config.controller';
import { AdminPluginsController } from './http/admin-plugins.controller';
import { AdminTokenGuard } from './http/admin-token.guard';
import { ClientController } from './http/client.controller';
import { DocsController } from './http/docs.controller';
import { HealthController } from './http/health.controller';
import { KERNEL_HOST, type KernelHost } from './kernel-host';
import type { LoadedPlugin } from './loaded-plugin';
import { MountedApp } from './mounted-app';
import { createNestApp, yieldToEventLoop } from './nest-app';

/** Nest stores each plugin's route prefix on its module class under this key + the app id. */
const MODULE_PATH = '__module_path__';


function pluginInfo(plugin: LoadedPlugin, host: KernelHost): PluginInfo {
  return {
    name: plugin.name,
    version: plugin.manifest.version,
    basePath: pluginBasePath(plugin.name),
    setting: (key) => host.config().describe().find((s) => s.key === key && !s.secret)?.value,
  };
}

/** A global module that exports the given providers to every module of an app. */
function servicesModule(providers: Provider[]): DynamicModule {
  @Global()
  @Module({})
  class ServicesModule {}
  const tokens = providers.map((p) => (p as { provide: unknown }).provide as symbol);
  return { module: ServicesModule, providers, exports: tokens, global: true };
}

/** The core app: health, admin, docs, client page and the libraries' modules (tasks, parts, …). */
export async function buildCoreApp(host: KernelHost): Promise<MountedApp> {
  @Module({
    controllers: [HealthController, AdminPluginsController, AdminConfigController, DocsController, ClientController],
    providers: [AdminTokenGuard],
  })
  class CoreModule {}

  const services = servicesModule([
    { provide: KERNEL_HOST, useValue: host },
    { provide: DataSource, useValue: host.db },
    { provide: REALTIME, useValue: host.realtime },
    { provide: TASKS, useValue: host.tasks },
  ]);

  @Module({ imports: [services, CoreModule, ...host.coreModules] })
  class CoreAppModule {}

  const { app, handler } = await createNestApp(CoreAppModule, host.logger);
  return new MountedApp(app, handler);
}

/**
 * A plugin's app: its module under `/api/plugins/<name>/`, with repositories of
 * its entities from a DataSource on the host's pool.
 */
export async function buildPluginApp(host: KernelHost, plugin: LoadedPlugin): Promise<MountedApp> {
  const definition = plugin.definition!;
  const entities = definition.entities ?? [];
  const dataSource = await createSharedPoolDataSource(host.db, entities);

  const services = servicesModule([
    { provide: KERNEL_HOST, useValue: host },
    { provide: DataSource, useValue: dataSource },
    { provide: REALTIME, useValue: host.realtime },
    { provide: TASKS, useValue: host.tasks },
    { provide: PLUGIN_INFO, useValue: pluginInfo(plugin, host) },
    ...entities.map((entity) => ({ provide: getRepositoryToken(entity), useFactory: () => dataSource.getRepository(entity) })),
  ]);

  @Module({ imports: [services, definition.module, RouterModule.register([{ path: pluginBasePath(plugin.name), module: definition.module }])] })
  class PluginAppModule {}

  let created: Awaited<ReturnType<typeof createNestApp>>;
  try {
    created = await createNestApp(PluginAppModule, host.logger);
  } catch (error) {
    await dataSource.destroy().catch(() => {});
    throw error;
  }
  const { app, handler } = created;
  const applicationId = app.get(ModulesContainer).applicationId;
  return new MountedApp(app, handler, async () => {
    await dataSource.destroy(); // metadata only: the pool is the host's
    Reflect.deleteMetadata(MODULE_PATH + applicationId, definition.module);
  });
}

/** The websocket handlers and task kinds of a set of plugins, by `<plugin>.<name>`. */
export function pluginHandlers(plugins: LoadedPlugin[]): { wsHandlers: Map<string, WsHandler>; tasks: Map<string, GenerationTask> } {
  const served = plugins.filter((p) => p.definition);
  const wsHandlers = new Map(
    served.flatMap((p) => Object.entries(p.definition!.wsHandlers ?? {}).map(([key, value]) => [`${p.name}.${key}`, value] as const)),
  );
  const tasks = new Map<string, GenerationTask>(
    served.flatMap((p) =>
      Object.entries(p.definition!.tasks ?? {}).map(([name, definition]) => {
        const kind = `${p.name}.${name}`;
        const entry = p.manifest.server!.replace(/\.(c|m)?ts$/, '.js');
        return [kind, { kind, definition, source: { buildDir: p.code!.buildDir, sourceDir: p.dir, entry, name } }] as const;
      }),
    ),
  );
  return { wsHandlers, tasks };
}

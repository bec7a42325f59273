import { createSharedPoolDataSource } from '@brickyard/db';
import type { MountedWsHandler } from '@brickyard/realtime';
import { getRepositoryToken, PLUGIN_CONTEXT } from '@brickyard/sdk';
import type { TaskKind } from '@brickyard/tasks';
import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { ModulesContainer, RouterModule } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { missingCapability } from './capabilities';
import { ENGINE, type Engine } from './engine';
import { pluginBasePath, type RoutePrefix } from './generation';
import { AdminConfigController } from './http/admin-config.controller';
import { AdminEventsController } from './http/admin-events.controller';
import { AdminPluginsController } from './http/admin-plugins.controller';
import { ClientController } from './http/client.controller';
import { DocsController } from './http/docs.controller';
import { HealthController } from './http/health.controller';
import { PluginClientController } from './http/plugin-client.controller';
import { ActivitiesController } from './http/activities.controller';
import { NoticesController } from './http/notices.controller';
import { AdminTasksController, TasksController } from './http/tasks.controller';
import { AdminPluginSubmissionsController, PluginSubmissionsController } from './submissions/plugin-submissions.controller';
import type { LoadedPlugin } from './loaded-plugin';
import { MountedApp } from './mounted-app';
import { createNestApp } from './nest-app';
import type { PluginScope } from './plugin-scope';
import { guardDataSource } from './guarded-runner';
import { checkStatement } from './statement-guard';

/** Nest stores each plugin's route prefix on its module class under this key + the app id. */
const MODULE_PATH = '__module_path__';

/** A global module that exports the given providers to every module of an app. */
function servicesModule(providers: Provider[]): DynamicModule {
  @Global()
  @Module({})
  class ServicesModule {}
  const tokens = providers.map((p) => (p as { provide: unknown }).provide as symbol);
  return { module: ServicesModule, providers, exports: tokens, global: true };
}

/** The core app: health, admin, tasks, docs and the client page. It knows engine services only. */
export async function buildCoreApp(engine: Engine): Promise<MountedApp> {
  @Module({
    controllers: [HealthController, AdminPluginsController, AdminEventsController, AdminConfigController, TasksController, AdminTasksController, NoticesController, ActivitiesController, PluginSubmissionsController, AdminPluginSubmissionsController, DocsController, PluginClientController, ClientController],
  })
  class CoreModule {}

  @Module({ imports: [servicesModule([{ provide: ENGINE, useValue: engine }]), CoreModule] })
  class CoreAppModule {}

  const { app, handler } = await createNestApp(CoreAppModule, engine.logger);
  return new MountedApp(app, handler);
}

/** Says precisely why Nest could not build a plugin's app when the cause is a service plugins do not get. */
function explainStartError(error: unknown, plugin: LoadedPlugin): unknown {
  const message = (error as Error)?.message ?? '';
  if (/argument DataSource at index/.test(message) || /dependencies of the .*\(.*DataSource/.test(message)) {
    return new Error(
      missingCapability(plugin.name, 'database', "it injects the host's DataSource, which plugins do not get (use @InjectRepository(Entity) for its own tables)", plugin.requested.has('database')),
    );
  }
  return error;
}

/**
 * A plugin's app: its module under `/api/plugins/<name>/` (or at the paths it was
 * granted), with its scoped context and repositories of its own entities on a
 * DataSource borrowing the host's pool, every statement of which is checked
 * against its tables unless it was granted `database`. `onMount` runs before it
 * serves, `onUnmount` when it is retired.
 */
export async function buildPluginApp(engine: Engine, plugin: LoadedPlugin, scope: PluginScope): Promise<MountedApp> {
  const definition = plugin.definition!;
  const entities = definition.entities ?? [];
  const dataSource = await createSharedPoolDataSource(engine.db, entities);
  const unrestricted = scope.granted.has('database');
  try {
    for (const metadata of dataSource.entityMetadatas) {
      if (!unrestricted) checkStatement(`SELECT * FROM \`${metadata.tableName}\``, scope.tables);
    }
  } catch (error) {
    await dataSource.destroy().catch(() => {});
    throw new Error(`entity ${(error as Error).message.replace(/a statement touches/, 'table')}`);
  }
  if (!unrestricted) guardDataSource(dataSource, scope.tables);

  const services = servicesModule([
    { provide: PLUGIN_CONTEXT, useValue: scope.context },
    ...(unrestricted ? [{ provide: DataSource, useValue: dataSource }] : []),
    ...entities.map((entity) => ({ provide: getRepositoryToken(entity), useFactory: () => dataSource.getRepository(entity) })),
  ]);

  const base = pluginBasePath(plugin.name);
  const atRoot = scope.routePrefixes.length > 0; // granted paths outside its base: its controllers name full paths
  const allowed = [base, ...scope.routePrefixes];
  const outside: string[] = [];
  const onRoute = (method: string, url: string) => {
    if (method === 'HEAD') return; // Fastify's twin of each GET
    const path = url.replace(/\/$/, '') || '/';
    if (!allowed.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) outside.push(`${method} ${url}`);
  };

  @Module({ imports: [services, definition.module, ...(atRoot ? [] : [RouterModule.register([{ path: base, module: definition.module }])])] })
  class PluginAppModule {}

  let created: Awaited<ReturnType<typeof createNestApp>>;
  try {
    created = await createNestApp(PluginAppModule, engine.logger, onRoute);
  } catch (error) {
    await dataSource.destroy().catch(() => {});
    throw explainStartError(error, plugin);
  }
  const { app, handler } = created;
  const applicationId = app.get(ModulesContainer).applicationId;
  const release = async () => {
    await dataSource.destroy(); // metadata only: the pool is the host's
    Reflect.deleteMetadata(MODULE_PATH + applicationId, definition.module);
  };
  const mounted = new MountedApp(app, handler, async () => {
    try {
      await definition.onUnmount?.(scope.context);
    } catch (error) {
      engine.logger.warn({ err: error, plugin: plugin.name }, 'onUnmount failed');
    }
    await release();
  });
  try {
    if (outside.length) {
      const route = outside[0]!.split(' ')[1]!;
      const capability = `routes:${route.split('/').slice(0, 3).join('/')}`;
      throw new Error(missingCapability(plugin.name, capability, `${outside.length > 1 ? 'routes' : 'route'} ${outside.join(', ')} ${outside.length > 1 ? 'are' : 'is'} outside ${base}/`, plugin.requested.has(capability)));
    }
    await definition.onMount?.(scope.context);
  } catch (error) {
    await app.close().catch(() => {});
    await release().catch(() => {});
    throw error;
  }
  return mounted;
}

/** The websocket handlers and task kinds of a set of plugins, and their granted route prefixes. */
export function pluginHandlers(
  plugins: LoadedPlugin[],
  scopes: ReadonlyMap<string, PluginScope>,
): { wsHandlers: Map<string, MountedWsHandler>; tasks: Map<string, TaskKind>; routes: RoutePrefix[] } {
  const wsHandlers = new Map<string, MountedWsHandler>();
  const tasks = new Map<string, TaskKind>();
  const routes: RoutePrefix[] = [];
  for (const p of plugins) {
    const scope = scopes.get(p.name);
    if (!p.definition || !scope) continue;
    for (const [key, handler] of Object.entries(p.definition.wsHandlers ?? {})) {
      wsHandlers.set(`${p.name}.${key}`, { handler, plugin: scope.context, mayUseTopic: scope.mayUseTopic });
    }
    const entry = p.manifest.server!.replace(/\.(c|m)?ts$/, '.js');
    for (const [name, definition] of Object.entries(p.definition.tasks ?? {})) {
      const kind = name.startsWith('core.') ? name : `${p.name}.${name}`;
      tasks.set(kind, { kind, definition, plugin: scope.context, source: { buildDir: p.code!.buildDir, sourceDir: p.dir, entry, name, platformLibraries: p.builtin } });
    }
    for (const prefix of scope.routePrefixes) routes.push({ prefix, plugin: p.name });
  }
  routes.sort((a, b) => b.prefix.length - a.prefix.length);
  return { wsHandlers, tasks, routes };
}

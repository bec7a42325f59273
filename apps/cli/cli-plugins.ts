import { brickyardHome, Config, ConfigOverridesRepository, pluginDirs } from '@brickyard/config';
import { createHostDataSource, createSharedPoolDataSource, ensureDatabase, runCoreMigrations } from '@brickyard/db';
import {
  checkRequestedCapabilities,
  createPluginScope,
  createLogger,
  discoverPlugins,
  effectiveGrants,
  GrantsRepository,
  loadPlugin,
  pluginChecksum,
  pluginSettingDeclarations,
  PluginStateRepository,
  SnapshotPartsReader,
  unloadPluginModule,
  guardDataSource,
  type DiscoveredPlugin,
} from '@brickyard/kernel';
import { snapshotDatabaseOf } from '@brickyard/db';
import { BrickyardError, type PluginContext, type PluginDefinition, type Realtime } from '@brickyard/sdk';
import * as path from 'node:path';
import type { DataSource, Repository } from 'typeorm';
import { coreMigrations } from '../../migrations';

/** The database of a CLI command, brought up to date with the core migrations. */
export async function openCliDatabase(config = new Config(), onMigrated?: (ran: string[]) => void): Promise<DataSource> {
  await ensureDatabase(config.get('DATABASE_URL'));
  const db = await createHostDataSource(config.get('DATABASE_URL'), 2);
  try {
    const ran = await runCoreMigrations(db, coreMigrations);
    onMigrated?.(ran);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}

/** The CLI sends no websocket frames: a plugin command that tries is told so. */
const noRealtime: Realtime = new Proxy({} as Realtime, {
  get: () => () => Promise.reject(new BrickyardError('unavailable', 'the CLI sends no websocket frames: do this from the server')),
});

export interface CliPlugin {
  found: DiscoveredPlugin;
  definition: PluginDefinition | undefined;
  context: PluginContext;
  granted: ReadonlySet<string>;
  /** Repositories of its own entities, on the CLI's pool, under its table check. */
  repository<T extends object>(entity: new () => T): Repository<T>;
}

/**
 * Loads one plugin in the CLI through the kernel's own path (discovery, grants,
 * compile, load) and gives it a scoped context in role `cli`, for its commands
 * and migrations; unloads it after `work`.
 */
export async function withCliPlugin<T>(db: DataSource, found: DiscoveredPlugin, work: (plugin: CliPlugin) => Promise<T>): Promise<T> {
  if (found.error || !found.manifest) throw new Error(`plugin ${found.name} is invalid: ${found.error}`);
  const stored = await new GrantsRepository(db).all();
  const granted = effectiveGrants(found, stored.get(found.name));
  checkRequestedCapabilities(found, granted);
  const env = process.env;
  const overrides = await new ConfigOverridesRepository(db).load();
  const base = new Config(env, overrides);
  const loaded = await loadPlugin(found, pluginChecksum(found.dir), path.join(brickyardHome(base), 'build'), granted);
  try {
    const config = new Config(env, overrides, pluginSettingDeclarations(found.name, loaded.definition, env));
    const scope = createPluginScope(
      {
        role: 'cli',
        db,
        namespace: '',
        logger: createLogger('cli', config.get('LOG_LEVEL')),
        realtime: noRealtime,
        parts: new SnapshotPartsReader(db, snapshotDatabaseOf(config.get('DATABASE_URL'), config.get('SNAPSHOT_DATABASE'))),
        config: () => config,
      },
      { name: found.name, version: found.manifest.version, requested: loaded.requested, settings: new Map(Object.entries(loaded.definition?.settings ?? {}).map(([key, setting]) => [key, setting.default])) },
      granted,
    );
    const entities = loaded.definition?.entities ?? [];
    const dataSource = entities.length ? await createSharedPoolDataSource(db, entities) : undefined;
    if (dataSource && !granted.has('database')) guardDataSource(dataSource, scope.tables);
    const repository = <T extends object>(entity: new () => T): Repository<T> => {
      if (!dataSource || !entities.includes(entity)) throw new Error(`${entity.name} is not an entity of plugin ${found.name}`);
      return dataSource.getRepository(entity);
    };
    try {
      return await work({ found, definition: loaded.definition, context: scope.context, granted, repository });
    } finally {
      await dataSource?.destroy();
    }
  } finally {
    if (loaded.code) unloadPluginModule(loaded.code);
  }
}

/** The plugins a CLI run can use: discovered, valid, and not disabled. */
export async function enabledPlugins(db: DataSource): Promise<DiscoveredPlugin[]> {
  const config = new Config(process.env, await new ConfigOverridesRepository(db).load());
  const rows = new Map((await new PluginStateRepository(db).list()).map((r) => [r.name, r]));
  return discoverPlugins(pluginDirs(config)).filter((p) => rows.get(p.name)?.enabled !== false);
}

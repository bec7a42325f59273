import { Config, ConfigOverridesRepository, pluginDirs } from '@brickyard/config';
import { createHostDataSource, ensureDatabase, runCoreMigrations } from '@brickyard/db';
import { compilePlugin, discoverPlugins, loadPluginModule, pluginChecksum, PluginStateRepository, runPluginMigrations, unloadPluginModule } from '@brickyard/kernel';
import { brickyardHome } from '@brickyard/config';
import { isPluginDefinition } from '@brickyard/sdk';
import * as path from 'node:path';
import { coreMigrations } from '../../migrations';

/** `brickyard migrate`: core migrations, then those of every enabled, valid plugin. */
export async function runMigrate(): Promise<void> {
  const config = new Config();
  await ensureDatabase(config.get('DATABASE_URL'));
  const db = await createHostDataSource(config.get('DATABASE_URL'), 2);
  let failed = false;
  try {
    const ran = await runCoreMigrations(db, coreMigrations);
    console.log(ran.length ? `core: ran ${ran.join(', ')}` : 'core: up to date');
    const effective = new Config(process.env, await new ConfigOverridesRepository(db).load());
    const rows = new Map((await new PluginStateRepository(db).list()).map((r) => [r.name, r]));
    for (const plugin of discoverPlugins(pluginDirs(effective))) {
      if (rows.get(plugin.name)?.enabled === false) continue;
      if (plugin.error || !plugin.manifest?.server) {
        if (plugin.error) console.log(`${plugin.name}: skipped, ${plugin.error}`);
        continue;
      }
      try {
        const checksum = pluginChecksum(plugin.dir);
        const build = await compilePlugin(plugin.dir, plugin.name, checksum, path.join(brickyardHome(config), 'build'));
        const code = loadPluginModule(build, plugin.dir, plugin.manifest.server.replace(/\.(c|m)?ts$/, '.js'));
        const definition = (code.exports as { default?: unknown }).default;
        const migrations = isPluginDefinition(definition) ? (definition.migrations ?? []) : [];
        const done = await runPluginMigrations(db, plugin.name, migrations);
        unloadPluginModule(code);
        console.log(`${plugin.name}: ${done.length ? `ran ${done.join(', ')}` : 'up to date'}`);
      } catch (error) {
        failed = true;
        console.log(`${plugin.name}: FAILED, ${(error as Error).message}`);
      }
    }
  } finally {
    await db.destroy();
  }
  if (failed) process.exitCode = 1;
}

import { runPluginMigrations, migrationTables } from '@brickyard/kernel';
import { enabledPlugins, openCliDatabase, withCliPlugin } from './cli-plugins';

/** `brickyard migrate`: core migrations, then those of every enabled, valid plugin (with the same table checks as the server). */
export async function runMigrate(): Promise<void> {
  const db = await openCliDatabase(undefined, (ran) => console.log(ran.length ? `core: ran ${ran.join(', ')}` : 'core: up to date'));
  let failed = false;
  try {
    for (const found of await enabledPlugins(db)) {
      if (found.error || !found.manifest?.server) {
        if (found.error) console.log(`${found.name}: skipped, ${found.error}`);
        continue;
      }
      try {
        const done = await withCliPlugin(db, found, async ({ definition, granted }) => {
          return runPluginMigrations(db, found.name, definition?.migrations ?? [], migrationTables(found.name, String(db.options.database), granted));
        });
        console.log(`${found.name}: ${done.length ? `ran ${done.join(', ')}` : 'up to date'}`);
      } catch (error) {
        failed = true;
        console.log(`${found.name}: FAILED, ${(error as Error).message}`);
      }
    }
  } finally {
    await db.destroy();
  }
  if (failed) process.exitCode = 1;
}

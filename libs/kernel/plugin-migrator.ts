import { withAdvisoryLock } from '@brickyard/db';
import type { PluginMigration } from '@brickyard/sdk';
import type { DataSource } from 'typeorm';
import { guardRunner } from './guarded-runner';
import type { TableScope } from './statement-guard';

export class PluginMigrationError extends Error {}

function migrationName(Migration: PluginMigration): string {
  return new Migration().name ?? Migration.name;
}

/**
 * Runs a plugin's migrations that have not run yet, in order, under a MySQL named
 * lock so that the processes of a cluster never run one twice. A migration that
 * fails stops the rest; those before it stay applied (MySQL commits DDL). With
 * `tables`, a statement touching a table outside them is refused before it runs.
 */
export async function runPluginMigrations(db: DataSource, plugin: string, migrations: PluginMigration[], tables?: TableScope): Promise<string[]> {
  if (!migrations.length) return [];
  const names = migrations.map(migrationName);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new PluginMigrationError(`two migrations are named ${duplicate}: names must be unique`);
  const pending = async (runner: Pick<DataSource, 'query'> = db) => {
    const done = new Set<string>(
      (await runner.query('SELECT name FROM plugin_migrations WHERE plugin = ?', [plugin])).map((r: { name: string }) => r.name),
    );
    return migrations.filter((_, i) => !done.has(names[i]!));
  };
  if (!(await pending()).length) return []; // the common case: no lock needed
  return withAdvisoryLock(db, `${db.options.database}:migrate:plugin:${plugin}`, async (runner) => {
    const ran: string[] = [];
    for (const Migration of await pending(runner)) {
      const migration = new Migration();
      const name = migrationName(Migration);
      try {
        await migration.up(tables ? guardRunner(runner, tables, true) : runner);
        await runner.query('INSERT INTO plugin_migrations (plugin, name) VALUES (?, ?)', [plugin, name]);
      } catch (error) {
        throw new PluginMigrationError(`migration ${name} failed: ${(error as Error).message}`);
      }
      ran.push(name);
    }
    return ran;
  });
}

import type { DataSource, MigrationInterface } from 'typeorm';
import { withAdvisoryLock } from './advisory-lock';

export type MigrationClass = new () => MigrationInterface;

/**
 * Runs the core migrations that have not run yet, under a cluster-wide lock, each
 * in its own transaction where MySQL allows it (DDL commits implicitly).
 * Returns the names of the migrations it ran.
 */
export async function runCoreMigrations(dataSource: DataSource, migrations: MigrationClass[]): Promise<string[]> {
  return withAdvisoryLock(dataSource, `${dataSource.options.database}:migrate:core`, async (runner) => {
    await runner.query(`
      CREATE TABLE IF NOT EXISTS migrations (
        id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
        timestamp BIGINT NOT NULL,
        name VARCHAR(255) NOT NULL
      ) ENGINE=InnoDB`);
    const done = new Set<string>((await runner.query('SELECT name FROM migrations')).map((r: { name: string }) => r.name));
    const ran: string[] = [];
    for (const Migration of migrations) {
      const migration = new Migration();
      const name = migration.name ?? Migration.name;
      if (done.has(name)) continue;
      try {
        await migration.up(runner);
        const timestamp = Number(/(\d{13})$/.exec(name)?.[1] ?? Date.now());
        await runner.query('INSERT INTO migrations (timestamp, name) VALUES (?, ?)', [timestamp, name]);
      } catch (error) {
        throw new Error(`core migration ${name} failed: ${(error as Error).message}`);
      }
      ran.push(name);
    }
    return ran;
  });
}

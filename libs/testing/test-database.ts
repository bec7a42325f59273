import { createHostDataSource, dropDatabase, ensureDatabase, runCoreMigrations, withDatabase, type MigrationClass } from '@brickyard/db';
import * as crypto from 'node:crypto';

export const baseDatabaseUrl = () => process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/brickyard';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A new database on the configured server (one per test file keeps tests
 * independent), empty or brought up to date with `migrations`.
 */
export async function createTestDatabase(label = 'test', options: { migrations?: MigrationClass[] } = {}): Promise<TestDatabase> {
  const name = `by_${label.replace(/[^a-z0-9]/gi, '_').slice(0, 20)}_${crypto.randomBytes(4).toString('hex')}`;
  const url = withDatabase(baseDatabaseUrl(), name);
  await ensureDatabase(url);
  if (options.migrations) {
    const db = await createHostDataSource(url, 1);
    await runCoreMigrations(db, options.migrations).finally(() => db.destroy());
  }
  // Dropping also drops the snapshot database the parts library makes beside it (`<name>_igem`).
  return { url, name, drop: async () => {
    await dropDatabase(url);
    await dropDatabase(withDatabase(url, `${name}_igem`));
  } };
}

import { DataSource, type EntitySchema, type MixedList } from 'typeorm';
import { parseDatabaseUrl } from './database-url';

type EntityList = MixedList<Function | string | EntitySchema>;

/**
 * The process's long-lived TypeORM DataSource: it owns the MySQL pool. Generations
 * never open their own pool; they borrow this one (see generation-data-source.ts).
 */
export async function createHostDataSource(url: string, poolSize: number): Promise<DataSource> {
  const address = parseDatabaseUrl(url);
  const dataSource = new DataSource({
    type: address.type,
    host: address.host,
    port: address.port,
    username: address.user,
    password: address.password,
    database: address.database,
    socketPath: address.socketPath,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    poolSize,
    entities: [],
  });
  await dataSource.initialize();
  return dataSource;
}

/**
 * A DataSource with its own entity metadata that runs its queries on the host's
 * pool. Destroying it leaves the pool open. This is how each generation gets the
 * entities of the plugins it contains without new connections per reload.
 */
export async function createSharedPoolDataSource(host: DataSource, entities: EntityList): Promise<DataSource> {
  // The pool is borrowed: the copy needs no credentials, and a plugin reading its options finds none.
  const { password: _password, username: _username, ...options } = host.options as typeof host.options & { password?: unknown; username?: unknown };
  const dataSource = new DataSource({ ...options, entities, migrations: [], subscribers: [] } as typeof host.options);
  // TypeORM has no public way to share a pool: replace the two driver methods that own it.
  const driver = dataSource.driver as unknown as { createPool: () => Promise<unknown>; disconnect: () => Promise<void> };
  const hostPool = (host.driver as unknown as { pool: unknown }).pool;
  driver.createPool = async () => hostPool;
  driver.disconnect = async () => {};
  await dataSource.initialize();
  return dataSource;
}

export { parseDatabaseUrl, withDatabase, snapshotDatabaseOf, type DatabaseAddress } from './database-url';
export { ensureDatabase, dropDatabase } from './ensure-database';
export { createHostDataSource, createSharedPoolDataSource } from './host-data-source';
export { withAdvisoryLock } from './advisory-lock';
export { runCoreMigrations, type MigrationClass } from './migrate';
export { RedisConnections } from './redis-connections';
export { inTransaction, affectedRows } from './transaction';

import type { Config } from '@brickyard/config';
import { parseDatabaseUrl } from '@brickyard/db';

/** The snapshot database: SNAPSHOT_DATABASE, or the app database's name + `_igem`. */
export function snapshotDatabaseName(config: Config): string {
  return config.get('SNAPSHOT_DATABASE') || `${parseDatabaseUrl(config.get('DATABASE_URL')).database}_igem`;
}

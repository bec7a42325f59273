import type { Config } from '@brickyard/config';
import { snapshotDatabaseOf } from '@brickyard/db';

/** The snapshot database: SNAPSHOT_DATABASE, or the app database's name + `_igem`. */
export function snapshotDatabaseName(config: Config): string {
  return snapshotDatabaseOf(config.get('DATABASE_URL'), config.get('SNAPSHOT_DATABASE'));
}

/** The snapshot database of an app database, by SNAPSHOT_DATABASE from the environment or the `_igem` rule. */
export function snapshotDatabaseFor(appDatabase: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.SNAPSHOT_DATABASE || `${appDatabase}_igem`;
}

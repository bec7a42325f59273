import { demoDumpPath, importSnapshot, type ImportOptions, type ImportResult } from '@brickyard/parts';
import type { SnapshotAddress } from '@brickyard/sdk';
import type { DataSource } from 'typeorm';
import { qualified, rankParts } from './rank-parts';

/** What importing and ranking need: the app database, where the snapshot lives, the ranking strategy, and what a dump may cost. */
export interface SnapshotServices {
  db: DataSource;
  snapshot: SnapshotAddress;
  strategy: string;
  /** Limits on dumps and their downloads (the plugin's PARTS_IMPORT_* settings); the library's defaults otherwise. */
  limits?: ImportOptions['limits'];
}

/**
 * Imports a dump and ranks the new snapshot before it goes live, so the `parts`
 * view never shows a part without a weight; weights of parts that left are
 * dropped after the swap. `signal` stops it (download, reading, statements and
 * the ranking before the swap) and it fails; a stop after the swap has begun
 * cannot undo it, and the ranking after the swap completes.
 */
export async function importAndRank(
  services: SnapshotServices,
  source: string,
  options: { onMalformed?: 'skip' | 'abort'; onProgress?(fraction: number, message: string): void; signal?: AbortSignal } = {},
): Promise<ImportResult> {
  const { db, snapshot, strategy } = services;
  return importSnapshot({
    source: source === 'demo' ? demoDumpPath : source,
    appDatabaseUrl: snapshot.appDatabaseUrl,
    snapshotDatabase: snapshot.snapshotDatabase,
    onMalformed: options.onMalformed,
    onProgress: options.onProgress,
    signal: options.signal,
    limits: services.limits,
    beforeSwap: async (table) => void (await rankParts(db, table, strategy, false, options.signal)),
    afterSwap: async () => void (await rankParts(db, qualified(snapshot.snapshotDatabase, 'parts_filtered'), strategy, true)),
  });
}

/** Ranks the live snapshot with the configured strategy; `signal` stops it between steps and kills its running statement; `onProgress` hears each step. */
export function rankLive(services: SnapshotServices, signal?: AbortSignal, onProgress?: (fraction: number, message: string) => void) {
  return rankParts(services.db, qualified(services.snapshot.snapshotDatabase, 'parts_filtered'), services.strategy, true, signal, onProgress);
}

/**
 * Parts of the live snapshot without a weight: none after an import or a ranking,
 * all of them for an app database that shares an existing snapshot but has never
 * ranked it (a second instance, a recreated app database).
 */
export async function unrankedParts(services: Pick<SnapshotServices, 'db' | 'snapshot'>): Promise<number> {
  const [row] = await services.db.query(
    `SELECT COUNT(*) AS n FROM ${qualified(services.snapshot.snapshotDatabase, 'parts_filtered')} p
     LEFT JOIN part_weights w ON w.part_id = p.part_id WHERE w.part_id IS NULL`,
  );
  return Number(row.n);
}

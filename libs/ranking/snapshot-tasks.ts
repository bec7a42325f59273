import type { Config } from '@brickyard/config';
import { demoDumpPath, importSnapshot, snapshotDatabaseName, type ImportResult } from '@brickyard/parts';
import { defineTask, type TaskDefinition } from '@brickyard/sdk';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { qualified, rankParts } from './rank-parts';

export interface SnapshotServices {
  db: DataSource;
  config(): Config;
}

/**
 * Imports a dump and ranks the new snapshot before it goes live, so the `parts`
 * view never shows a part without a weight; weights of parts that left are
 * dropped after the swap.
 */
export async function importAndRank(
  services: SnapshotServices,
  source: string,
  options: { onMalformed?: 'skip' | 'abort'; onProgress?(fraction: number, message: string): void } = {},
): Promise<ImportResult> {
  const config = services.config();
  const strategy = config.get('RANKING_STRATEGY');
  return importSnapshot({
    source: source === 'demo' ? demoDumpPath : source,
    appDatabaseUrl: config.get('DATABASE_URL'),
    snapshotDatabase: snapshotDatabaseName(config),
    onMalformed: options.onMalformed,
    onProgress: options.onProgress,
    beforeSwap: async (table) => void (await rankParts(services.db, table, strategy, false)),
    afterSwap: async () => void (await rankParts(services.db, qualified(snapshotDatabaseName(config), 'parts_filtered'), strategy, true)),
  });
}

/** Ranks the live snapshot with the configured strategy. */
export function rankLive(services: SnapshotServices) {
  const config = services.config();
  return rankParts(services.db, qualified(snapshotDatabaseName(config), 'parts_filtered'), config.get('RANKING_STRATEGY'));
}

/** The core task kinds of the snapshot: import (with progress) and ranking. */
export function snapshotTaskKinds(services: SnapshotServices): Record<string, TaskDefinition> {
  return {
    'core.parts-import': defineTask({
      params: z.object({ source: z.string().min(1), abortOnMalformed: z.boolean().default(false) }).strict(),
      timeoutMs: 6 * 3_600_000,
      onWorkerLoss: 'retry',
      async run({ source, abortOnMalformed }, context) {
        let last = 0;
        const result = await importAndRank(services, source, {
          onMalformed: abortOnMalformed ? 'abort' : 'skip',
          onProgress: (fraction, message) => {
            if (Date.now() - last < 500 && fraction < 1) return;
            last = Date.now();
            void context.progress(Math.round(fraction * 1000) / 10, message).catch(() => {});
          },
        });
        return result;
      },
    }),
    'core.rank': defineTask({
      params: z.object({}).strict(),
      timeoutMs: 3_600_000,
      run: () => rankLive(services),
    }),
  };
}

import { importAndRank, rankLive } from '@brickyard/ranking';
import { defineTask, type PluginContext } from '@brickyard/sdk';
import { z } from 'zod';
import { snapshotServices } from './snapshot-services';
import type { PartsSettings } from './settings';

/**
 * The snapshot's task kinds. They keep the core's names (`core.parts-import`,
 * `core.rank`: capability `tasks:core`) and are for admins only: an import reads
 * any file or URL the server can reach and replaces the live snapshot. They run
 * on their own queue, `snapshot`, so a busy `default` queue (anyone's tasks)
 * never holds up an import or the scheduled ranking.
 */
export const partsTasks = {
  'core.parts-import': defineTask({
    access: 'admin',
    queue: 'snapshot',
    params: z.object({ source: z.string().min(1).max(2000), abortOnMalformed: z.boolean().default(false) }).strict(),
    timeoutMs: 6 * 3_600_000,
    onWorkerLoss: 'retry',
    async run({ source, abortOnMalformed }, context) {
      let last = 0;
      return importAndRank(snapshotServices(context.plugin as PluginContext<PartsSettings>), source, {
        onMalformed: abortOnMalformed ? 'abort' : 'skip',
        onProgress: (fraction, message) => {
          if (Date.now() - last < 500 && fraction < 1) return;
          last = Date.now();
          void context.progress(Math.round(fraction * 1000) / 10, message).catch(() => {});
        },
      });
    },
  }),
  'core.rank': defineTask({
    access: 'admin',
    queue: 'snapshot',
    params: z.object({}).strict(),
    timeoutMs: 3_600_000,
    run: (_params, context) => rankLive(snapshotServices(context.plugin as PluginContext<PartsSettings>)),
  }),
};

import { importAndRank, rankLive } from '@brickyard/ranking';
import { defineTask, type PluginContext } from '@brickyard/sdk';
import { z } from 'zod';
import { importSignal, snapshotServices } from './snapshot-services';
import type { PartsSettings } from './settings';

/**
 * The snapshot's task kinds. They keep the core's names (`core.parts-import`,
 * `core.rank`: capability `tasks:core`) and are for admins only: an import reads
 * any file or URL the server can reach and replaces the live snapshot. They run
 * on their own queue, `snapshot`, so a busy `default` queue (anyone's tasks)
 * never holds up an import or the scheduled ranking.
 *
 * Both pass the task's signal down: a cancel or the timeout stops the work
 * itself (the download, the reading, the running statements, the ranking), not
 * just the task's state. An import also stops at PARTS_IMPORT_TIMEOUT_MS (then
 * it ends `failed`, naming the setting); the kind's own hard limit, above that
 * setting's largest value, ends it `timed_out`.
 */
export const partsTasks = {
  'core.parts-import': defineTask({
    access: 'admin',
    queue: 'snapshot',
    params: z.object({ source: z.string().min(1).max(2000), abortOnMalformed: z.boolean().default(false) }).strict(),
    timeoutMs: 24 * 3_600_000 + 60_000,
    onWorkerLoss: 'retry',
    async run({ source, abortOnMalformed }, context) {
      const plugin = context.plugin as PluginContext<PartsSettings>;
      const { signal, done } = importSignal(plugin, context.signal);
      let last = 0;
      try {
        return await importAndRank(snapshotServices(plugin), source, {
          onMalformed: abortOnMalformed ? 'abort' : 'skip',
          signal,
          onProgress: (fraction, message) => {
            if (Date.now() - last < 500 && fraction < 1) return;
            last = Date.now();
            void context.progress(Math.round(fraction * 1000) / 10, message).catch(() => {});
          },
        });
      } finally {
        done();
      }
    },
  }),
  'core.rank': defineTask({
    access: 'admin',
    queue: 'snapshot',
    params: z.object({}).strict(),
    timeoutMs: 3_600_000,
    run: (_params, context) => rankLive(snapshotServices(context.plugin as PluginContext<PartsSettings>), context.signal),
  }),
};

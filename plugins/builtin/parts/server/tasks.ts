import { snapshotUploadDir, type ImportResult } from '@brickyard/parts';
import { importAndRank, rankLive, type RankResult } from '@brickyard/ranking';
import { defineTask, type PluginContext } from '@brickyard/sdk';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
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
 *
 * An import of an uploaded dump (`upload`, from POST /api/admin/parts/import/upload)
 * reads the file in PARTS_UPLOAD_DIR on the host that runs the task: a job worker on
 * another host must mount that folder at the same path, or the import fails saying so.
 * The file is deleted once the import has succeeded (its data is then the live
 * snapshot) and kept after a failure, so nothing uploaded is lost.
 */
/** A count for the console's feed, e.g. 12,345. */
const n = (value: number) => value.toLocaleString('en');

export const partsTasks = {
  'core.parts-import': defineTask({
    access: 'admin',
    queue: 'snapshot',
    params: z
      .object({
        source: z.string().min(1).max(2000),
        abortOnMalformed: z.boolean().default(false),
        /** Set by the upload route: the name the browser sent and the size. */
        upload: z.object({ filename: z.string().max(255), bytes: z.number().int().min(0) }).strict().optional(),
      })
      .strict(),
    timeoutMs: 24 * 3_600_000 + 60_000,
    onWorkerLoss: 'retry',
    platformEvent: {
      kind: 'import',
      noun: 'Snapshot import',
      source: (params) => params.source,
      summary: (r: ImportResult) =>
        `${n(r.partsLive)} parts live (${n(r.added)} added, ${n(r.removed)} removed, ${n(r.changed)} changed${r.malformed ? `, ${n(r.malformed)} malformed skipped` : ''}) in ${n(r.durationMs)} ms`,
    },
    async run({ source, abortOnMalformed, upload }, context) {
      const plugin = context.plugin as PluginContext<PartsSettings>;
      const uploadDir = snapshotUploadDir(plugin.settings.get('PARTS_UPLOAD_DIR'), plugin.platformSetting('BRICKYARD_HOME'));
      if (upload && !fs.existsSync(source)) {
        throw new Error(
          `the uploaded dump ${upload.filename} is not at ${source} on ${os.hostname()}, the host running this import: when job workers run on other hosts than the web workers, PARTS_UPLOAD_DIR must be a folder every host mounts at the same path`,
        );
      }
      const { signal, done } = importSignal(plugin, context.signal);
      let last = 0;
      try {
        const result = await importAndRank(snapshotServices(plugin), source, {
          onMalformed: abortOnMalformed ? 'abort' : 'skip',
          signal,
          onProgress: (fraction, message) => {
            if (Date.now() - last < 500 && fraction < 1) return;
            last = Date.now();
            void context.progress(Math.round(fraction * 1000) / 10, message).catch(() => {});
          },
        });
        // Only an upload's own file, in the upload folder, is ever deleted: a dump named by path stays where it is.
        if (upload && path.dirname(path.resolve(source)) === uploadDir) fs.rmSync(source, { force: true });
        return result;
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
    platformEvent: { kind: 'ranking', noun: 'Ranking', summary: (r: RankResult) => `${n(r.parts)} parts ranked with ${r.strategy} (${n(r.written)} weights written) in ${n(r.durationMs)} ms` },
    run: (_params, context) =>
      rankLive(snapshotServices(context.plugin as PluginContext<PartsSettings>), context.signal, (fraction, message) => {
        void context.progress(Math.round(fraction * 100), message).catch(() => {});
      }),
  }),
};

import type { PluginContext } from '@brickyard/sdk';
import type { SnapshotServices } from '@brickyard/ranking';
import type { PartsSettings } from './settings';

type Context = PluginContext<PartsSettings>;

/** What importing and ranking need, from the plugin's context (capabilities database and snapshot:write). */
export function snapshotServices(context: Context): SnapshotServices {
  return { db: context.database(), snapshot: context.snapshot(), strategy: context.settings.get('PARTS_RANKING_STRATEGY'), limits: importLimits(context) };
}

/** The limits on dumps and their downloads (PARTS_IMPORT_*), the same for a task and the CLI. */
export function importLimits(context: Context): NonNullable<SnapshotServices['limits']> {
  const settings = context.settings;
  return {
    allowHosts: settings.get('PARTS_IMPORT_ALLOWED_HOSTS').split(','),
    maxDownloadBytes: settings.get('PARTS_IMPORT_MAX_DOWNLOAD_BYTES'),
    downloadTimeoutMs: settings.get('PARTS_IMPORT_DOWNLOAD_TIMEOUT_MS'),
    maxDecompressedBytes: settings.get('PARTS_IMPORT_MAX_DECOMPRESSED_BYTES'),
    maxGzipRatio: settings.get('PARTS_IMPORT_MAX_GZIP_RATIO'),
    maxStatementBytes: settings.get('PARTS_IMPORT_MAX_STATEMENT_BYTES'),
    maxFieldBytes: settings.get('PARTS_IMPORT_MAX_FIELD_BYTES'),
  };
}

/**
 * The signal an import runs under: the caller's (a task's cancel and hard timeout),
 * and PARTS_IMPORT_TIMEOUT_MS. `done` clears the timer.
 */
export function importSignal(context: Context, outer?: AbortSignal): { signal: AbortSignal; done(): void } {
  const timeoutMs = context.settings.get('PARTS_IMPORT_TIMEOUT_MS');
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`its time limit of ${timeoutMs} ms passed (PARTS_IMPORT_TIMEOUT_MS)`)), timeoutMs);
  timer.unref();
  return { signal: outer ? AbortSignal.any([outer, controller.signal]) : controller.signal, done: () => clearTimeout(timer) };
}

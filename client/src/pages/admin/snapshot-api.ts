import { api, ApiError, connection, csrfToken } from '@brickyard/client';
import type { AdminTask } from './admin-api';

/**
 * The snapshot's admin API (libs/parts/api/parts.controller.ts AdminPartsController):
 * imports by source or upload and rankings run as tasks; the history, the diff of an
 * import and the live snapshot's summary are read here.
 */

/** A row of `snapshot_imports` as GET /api/admin/parts/imports answers it (URLs masked). */
export interface SnapshotImport {
  id: number;
  source: string;
  origin: 'upload' | 'demo' | 'url' | 'file';
  state: 'running' | 'succeeded' | 'failed' | 'interrupted';
  parts_read: number;
  features_read: number;
  malformed: number;
  parts_live: number | null;
  added: number | null;
  removed: number | null;
  changed: number | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
}

export interface SnapshotStatus {
  parts_live: number;
  last_import: SnapshotImport | null;
  running_import: SnapshotImport | null;
  ranking: { strategy: string; parts: number; ranked_at: string } | null;
}

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface ImportDiffPage {
  import_id: number;
  change: ChangeKind;
  counts: Record<ChangeKind, number | null>;
  page: number;
  per_page: number;
  total: number;
  names: string[];
}

/** What core.parts-import returns (libs/parts ImportResult). */
export interface ImportResult {
  importId: number;
  partsRead: number;
  featuresRead: number;
  malformed: number;
  malformedSamples: string[];
  partsLive: number;
  added: number;
  removed: number;
  changed: number;
  durationMs: number;
}

/** What core.rank returns (libs/ranking RankResult). */
export interface RankResult {
  strategy: string;
  parts: number;
  written: number;
  removed: number;
}

export const snapshotApi = {
  status: () => api.get<SnapshotStatus>('/api/admin/parts/snapshot'),
  imports: () => api.get<SnapshotImport[]>('/api/admin/parts/imports'),
  diff: (importId: number, change: ChangeKind, perPage = 8) =>
    api.get<ImportDiffPage>(`/api/admin/parts/imports/${importId}/diff`, { change, per_page: perPage }),
  /** `source`: a dump's path on the server, an http(s) URL, or `demo`. */
  importFrom: (source: string, abortOnMalformed: boolean) =>
    api.post<AdminTask>('/api/admin/parts/import', { source, abortOnMalformed, socketId: connection.socketId || undefined }),
  rank: () => api.post<AdminTask>('/api/admin/parts/rank', { socketId: connection.socketId || undefined }),
  task: (id: string) => api.get<AdminTask>(`/api/tasks/${encodeURIComponent(id)}`),
  /** The snapshot tasks running or queued now (any admin's), to follow one started elsewhere or before a reload. */
  unfinished: async (kind: 'core.parts-import' | 'core.rank') => {
    const [running, queued] = await Promise.all([
      api.get<{ tasks: AdminTask[] }>('/api/admin/tasks', { kind, state: 'running' }),
      api.get<{ tasks: AdminTask[] }>('/api/admin/tasks', { kind, state: 'queued' }),
    ]);
    return [...running.tasks, ...queued.tasks];
  },
};

/**
 * Uploads a dump (POST /api/admin/parts/import/upload, multipart field `file`)
 * with XMLHttpRequest, the one browser API that reports an upload's progress:
 * `onProgress` gets the fraction sent. Resolves with the import task; a refusal
 * (400 not a dump, 413 too large) rejects with the server's message.
 */
export function uploadDump(file: File, abortOnMalformed: boolean, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<AdminTask> {
  const form = new FormData();
  form.append('abortOnMalformed', String(abortOnMalformed));
  if (connection.socketId) form.append('socketId', connection.socketId);
  form.append('file', file);
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/api/admin/parts/import/upload');
    request.responseType = 'json';
    request.setRequestHeader('accept', 'application/json');
    const token = csrfToken();
    if (token) request.setRequestHeader('x-csrf-token', token);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      const body = request.response as { code?: string; message?: string } | null;
      if (request.status >= 200 && request.status < 300) return resolve(body as AdminTask);
      reject(new ApiError(request.status, body?.code ?? `http_${request.status}`, body?.message ?? `The upload was refused (${request.status}).`));
    };
    request.onerror = () => reject(new ApiError(0, 'network', 'The upload was cut off: the server cannot be reached. Check your connection and try again.'));
    request.onabort = () => reject(new DOMException('The upload was stopped.', 'AbortError'));
    signal?.addEventListener('abort', () => request.abort(), { once: true });
    request.send(form);
  });
}

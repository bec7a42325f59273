import { api } from '@brickyard/client';

/** A plugin submission as the server answers it (libs/kernel/submissions/submissions.repository.ts). */
export interface PluginSubmission {
  id: number;
  userId: string;
  username: string | null;
  url: string;
  ref: string;
  commit: string;
  name: string | null;
  version: string | null;
  title: string | null;
  manifest: Record<string, unknown> | null;
  requested: string[];
  state: 'invalid' | 'pending' | 'approved' | 'rejected' | 'superseded';
  problem: string | null;
  fileCount: number;
  totalBytes: number;
  granted: string[] | null;
  reason: string | null;
  reviewer: string | null;
  createdAt: string;
  reviewedAt: string | null;
  /** For an approved submission: what its mounted plugin reached. */
  plugin: { enabled: boolean; status: string; lastError: string | null } | null;
}

export interface SubmissionDetail extends PluginSubmission {
  files: { path: string; size: number }[];
  /** The approved version of the same plugin, when this one is an update. */
  replaces: { id: number; version: string | null; commit: string } | null;
}

export interface SubmissionFile {
  path: string;
  size: number;
  text: string | null;
  note?: string;
}

export interface ReviewReload {
  ok: boolean;
  generation: number;
  converged: { pid: number }[];
  notConverged: { pid: number; reason: string }[];
  errors: { plugin: string; error: string }[];
  durationMs: number;
}

export const submissionsApi = {
  submit: (url: string, ref: string) => api.post<PluginSubmission>('/api/plugin-submissions', { url, ref }),
  mine: () => api.get<PluginSubmission[]>('/api/plugin-submissions'),
  get: (id: number) => api.get<SubmissionDetail>(`/api/plugin-submissions/${id}`),
  file: (id: number, path: string) => api.get<SubmissionFile>(`/api/plugin-submissions/${id}/file`, { path }),
  all: (state?: string) => api.get<PluginSubmission[]>('/api/admin/plugin-submissions', { state: state || undefined }),
  approve: (id: number, capabilities: string[]) =>
    api.post<{ submission: PluginSubmission; reload: ReviewReload }>(`/api/admin/plugin-submissions/${id}/approve`, { capabilities }),
  reject: (id: number, reason: string) => api.post<{ submission: PluginSubmission }>(`/api/admin/plugin-submissions/${id}/reject`, { reason }),
};

/** A state as a person reads it, with the badge class that colours it. */
export const STATE_WORDS: Record<PluginSubmission['state'], { label: string; badge: string }> = {
  pending: { label: 'awaiting review', badge: 'text-bg-warning' },
  approved: { label: 'approved', badge: 'text-bg-success' },
  rejected: { label: 'rejected', badge: 'text-bg-danger' },
  invalid: { label: 'invalid manifest', badge: 'text-bg-danger' },
  superseded: { label: 'replaced by a newer version', badge: 'text-bg-secondary' },
};

/** Whether an approved submission's plugin runs, and if not, why (e.g. a capability not granted). */
export function pluginRunState(s: PluginSubmission): { running: boolean; text: string } | undefined {
  if (s.state !== 'approved' || !s.plugin) return undefined;
  if (s.plugin.status === 'active') return { running: true, text: 'running' };
  if (!s.plugin.enabled) return { running: false, text: 'disabled by an admin' };
  return { running: false, text: s.plugin.lastError ? `not running: ${s.plugin.lastError}` : `not running (${s.plugin.status})` };
}

export const shortCommit = (commit: string) => commit.slice(0, 12);

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

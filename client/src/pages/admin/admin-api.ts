import { api } from '@brickyard/client';

/** What the admin APIs answer (libs/kernel/http/admin-plugins.controller.ts, admin-config.controller.ts). */
export interface AdminPlugin {
  name: string;
  version: string | null;
  enabled: boolean;
  status: string;
  last_error: string | null;
  builtin: boolean;
  capabilities: { requested: string[]; granted: string[]; stored: string[] };
}

export interface ReloadReport {
  ok: boolean;
  generation: number;
  converged: { id: string; pid: number; role: string }[];
  notConverged: { id: string; pid: number; reason: string }[];
  errors: { plugin: string; error: string }[];
  durationMs: number;
}

export interface Setting {
  key: string;
  section: string;
  description: string;
  value: unknown;
  default: unknown;
  source: string;
  readOnly: boolean;
  secret: boolean;
  /** The values it may take, when they are a fixed list. */
  choices?: string[];
}

export const adminApi = {
  plugins: () => api.get<AdminPlugin[]>('/api/admin/plugins'),
  setEnabled: (name: string, enabled: boolean) =>
    api.post<{ reload: ReloadReport }>(`/api/admin/plugins/${encodeURIComponent(name)}/${enabled ? 'enable' : 'disable'}`),
  grant: (name: string, capability: string) => api.post<{ reload: ReloadReport }>(`/api/admin/plugins/${encodeURIComponent(name)}/grants`, { capability }),
  revoke: (name: string, capability: string) =>
    api.delete<{ reload: ReloadReport }>(`/api/admin/plugins/${encodeURIComponent(name)}/grants/${encodeURIComponent(capability)}`),
  reload: () => api.post<ReloadReport>('/api/admin/reload'),
  settings: () => api.get<Setting[]>('/api/admin/config'),
  setSetting: (key: string, value: unknown) => api.put<{ reload: ReloadReport }>(`/api/admin/config/${encodeURIComponent(key)}`, { value }),
  resetSetting: (key: string) => api.delete<{ reload: ReloadReport }>(`/api/admin/config/${encodeURIComponent(key)}`),
};

/** One sentence on a cluster reload: how many processes have the change, and which did not. */
export function describeReload(report: ReloadReport): string {
  const count = report.converged.length;
  const all = `${count} process${count === 1 ? '' : 'es'} applied it in ${Math.round(report.durationMs)} ms (generation ${report.generation})`;
  if (report.ok && !report.notConverged.length) return `Every process has it: ${all}.`;
  const missing = report.notConverged.map((p) => `pid ${p.pid}: ${p.reason}`).join('; ');
  return `${all}; not yet: ${missing || 'see the server log'}.`;
}

/** A task as GET /api/admin/tasks lists it (libs/sdk/tasks.ts TaskView). */
export interface AdminTask {
  id: string;
  kind: string;
  owner: string | null;
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'timed_out' | 'cancelled';
  progress: number;
  progressMessage: string | null;
  result: unknown;
  error: string | null;
  createdAt: string;
}

export const taskApi = {
  list: (filter: { state?: string; kind?: string; owner?: string }) =>
    api.get<{ tasks: AdminTask[] }>('/api/admin/tasks', { state: filter.state || undefined, kind: filter.kind || undefined, owner: filter.owner || undefined }),
  cancel: (id: string) => api.delete<AdminTask>(`/api/tasks/${encodeURIComponent(id)}`),
};

/** A live process of the cluster as GET /api/admin/processes lists it (libs/kernel/control-bus.ts ProcessInfo). */
export interface AdminProcess {
  id: string;
  host: string;
  pid: number;
  /** `http`, `job`, or `primary` (the supervisor: no generation of its own). */
  role: string;
  generation: number;
  seenAt: number;
  /** Over the last heartbeat interval (libs/kernel/process-metrics.ts). */
  metrics?: {
    cpuPercent: number;
    rssBytes: number;
    heapUsedBytes: number;
    loopLagMeanMs: number;
    loopLagP99Ms: number;
    startedAt: number;
    uptimeSeconds: number;
  };
}

export const processApi = {
  list: () => api.get<AdminProcess[]>('/api/admin/processes'),
};

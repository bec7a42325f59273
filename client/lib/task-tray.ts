import { reactive } from 'vue';
import { api } from './api';
import { connection, useRealtime } from './realtime';

export type TaskState = 'queued' | 'running' | 'succeeded' | 'failed' | 'timed_out' | 'cancelled';

/** A task as its frames and GET /api/tasks show it (libs/tasks, public-task.ts); frames may carry only some fields. */
export interface TrayTask {
  id: string;
  kind?: string;
  state: TaskState;
  progress: number;
  progressMessage?: string | null;
  error?: string | null;
  /** When this tab last heard of it: finished tasks leave the tray a while after. */
  seenAt: number;
}

export const FINISHED: ReadonlySet<TaskState> = new Set(['succeeded', 'failed', 'timed_out', 'cancelled']);

/** Merges a task frame into what the tray knows: frames carry the changed fields, so unknown ones keep their value. */
export function mergeTask(known: TrayTask | undefined, frame: Partial<TrayTask> & { id: string }, now: number): TrayTask {
  return {
    id: frame.id,
    kind: frame.kind ?? known?.kind,
    state: frame.state ?? known?.state ?? 'queued',
    progress: frame.progress ?? known?.progress ?? 0,
    progressMessage: frame.progressMessage !== undefined ? frame.progressMessage : known?.progressMessage,
    error: frame.error !== undefined ? frame.error : known?.error,
    seenAt: now,
  };
}

/**
 * The caller's tasks with live progress: what GET /api/tasks lists when the
 * page opens, then every `task` frame the server pushes to this user or tab.
 */
export const tray = reactive({ tasks: new Map<string, TrayTask>() });

let started = false;

export function startTaskTray(): void {
  if (started) return;
  started = true;
  useRealtime().on('task', (frame: Partial<TrayTask> & { id: string }) => {
    if (frame?.id) tray.tasks.set(frame.id, mergeTask(tray.tasks.get(frame.id), frame, Date.now()));
  });
  // Tasks still running from before this page was opened; finished ones are history, not the tray's.
  api
    .get<TrayTask[]>('/api/tasks')
    .then((tasks) => {
      for (const task of tasks) if (!FINISHED.has(task.state) && !tray.tasks.has(task.id)) tray.tasks.set(task.id, mergeTask(undefined, task, Date.now()));
    })
    .catch(() => {}); // the tray stays empty: nothing to show is no error
}

/** Submits a task with this tab's socket, so every frame of even a short task reaches the tray. */
export async function submitTask<T = unknown>(kind: string, params?: unknown): Promise<TrayTask & { result?: T }> {
  startTaskTray();
  const task = await api.post<TrayTask & { result?: T }>('/api/tasks', { kind, params, socketId: connection.socketId });
  tray.tasks.set(task.id, mergeTask(tray.tasks.get(task.id), task, Date.now()));
  return task;
}

export function dismissTask(id: string): void {
  tray.tasks.delete(id);
}

import type { ZodType } from 'zod';
import type { Access } from './access';
import type { PluginContext } from './context';
import type { Identity } from './identity';

export type TaskState = 'queued' | 'running' | 'succeeded' | 'failed' | 'timed_out' | 'cancelled';

/** Given to a running task. */
export interface TaskContext {
  taskId: string;
  attempt: number;
  /** Who submitted the task (the plugin itself, for work it started on its own: role `admin`, userId `plugin:<name>`). */
  identity: Identity;
  /**
   * Aborted on cancellation and at the timeout: stop and return (or throw). In an isolated
   * task's thread too: it has half a second to stop what it started
   * (kill a child process) before the thread is terminated.
   */
  signal: AbortSignal;
  /**
   * The task's plugin. In an isolated task's thread, a part of it served by the parent through
   * messages: `name`, `settings` (as they were when the attempt started), `store`, `notices` and
   * `logger`; any other member throws. Large inputs and outputs go through the store.
   */
  plugin?: PluginContext;
  /** Reports progress, 0–100, with an optional message; pushed to the owner and topic `task:<id>`. */
  progress(percent: number, message?: string): Promise<void>;
}

/** A kind of background task a plugin (or the core) offers, named `<plugin>.<task>`. */
export interface TaskDefinition<P = any, R = any> {
  /**
   * Who may submit it through `POST /api/tasks` or on their behalf: any caller, a signed-in
   * user, or an admin. Every kind says so; there is no default.
   */
  access: Access;
  /** Validates `params` at submission; a mismatch is refused with 400. */
  params?: ZodType<P>;
  run(params: P, context: TaskContext): Promise<R> | R;
  /** Hard limit; the task ends `timed_out`. Default: TASKS_DEFAULT_TIMEOUT_MS. */
  timeoutMs?: number;
  /**
   * Run in a worker thread that is terminated at the timeout or on cancellation:
   * required for CPU-bound work, which would otherwise block the job worker.
   * The task's module is loaded in the thread, so `run` must not rely on state
   * set up elsewhere in the process; of its plugin's context it gets the store,
   * notices, settings and logger (see `TaskContext.plugin`).
   */
  isolated?: boolean;
  /** Queue the task runs on (`brickyard worker --queues` selects queues). Default: `default`. */
  queue?: string;
  /** When the job worker running it dies: run it again (`retry`, default) or fail it. */
  onWorkerLoss?: 'retry' | 'fail';
  /** How many times a crashed or lost attempt may be retried. Default 2. */
  retries?: number;
  /**
   * Makes each run an event of the operator console's feed: started (with `source(params)`),
   * then done with `summary(result)`, or failed with the reason. Honoured for the core's kinds
   * (`core.…`, capability `tasks:core`) only: the admins' feed is not a plugin's to write in.
   */
  platformEvent?: { kind: 'import' | 'ranking'; noun: string; source?: (params: P) => string | undefined; summary?: (result: R) => string };
}

export interface TaskView {
  id: string;
  kind: string;
  owner: string | null;
  queue: string;
  state: TaskState;
  progress: number;
  progressMessage: string | null;
  params: unknown;
  result: unknown;
  error: string | null;
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface SubmitOptions {
  /**
   * On whose behalf: the task belongs to this identity, and its kind's `access` is checked
   * against it. Without it the plugin submits on its own account (owner `plugin:<name>`).
   */
  identity?: Identity;
  /** Also send the task's frames to this websocket (from its welcome frame). */
  socketId?: string;
}

/**
 * Lets a plugin's providers submit, read and cancel tasks of its own kinds
 * (`<plugin>.<task>`), and of other kinds only with a capability (`tasks:core`,
 * `tasks:<plugin>`).
 */
export interface Tasks {
  submit(kind: string, params: unknown, options?: SubmitOptions): Promise<TaskView>;
  get(id: string): Promise<TaskView | undefined>;
  cancel(id: string): Promise<TaskView | undefined>;
}

/** Declares a task with its types inferred from `params`. */
export function defineTask<P, R>(definition: TaskDefinition<P, R>): TaskDefinition<P, R> {
  return definition;
}

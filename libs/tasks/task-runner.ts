import type { TaskContext, TaskState, TaskView } from '@brickyard/sdk';
import { Worker, type Job } from 'bullmq';
import type { RedisConnections } from '@brickyard/db';
import type { Logger } from 'pino';
import { runIsolated } from './isolated-attempt';
import { DEFAULT_QUEUE, queueOf, type TaskKind, type TaskKindResolver } from './task-kind';
import { identityOfOwner } from './task-owner';
import { FINAL_STATES } from './task.repository';
import { cancelChannel, type TaskJobData, type TaskService } from './task.service';

export interface TaskRunnerOptions {
  redisUrl: string;
  /** The process's Redis (the cancel channel is heard on its shared subscriber). */
  redis: RedisConnections;
  namespace: string;
  logger: Logger;
  /** Only these queues; all queues of the known kinds when absent. */
  queues?: string[];
  concurrency: number;
  lockMs: number;
  defaultTimeoutMs: () => number;
  resultTtlHours: () => number;
  /** Largest result kept, as JSON bytes: a larger one fails the task (TASKS_MAX_PAYLOAD_BYTES). */
  maxResultBytes: () => number;
  /** Every task kind this process knows now (to follow new queues after a reload). */
  kinds: () => TaskKind[];
  /** Told when an attempt starts and when a task ends here (the platform's event record); must not throw. */
  onTaskEvent?: (phase: 'started' | 'ended', task: TaskView) => void;
}

class TimeoutError extends Error {}

/**
 * How long an attempt runs before its row is marked `running` (and the `running` frame sent),
 * unless it reports progress first. An attempt that ends sooner is written once, at its end.
 */
export const RUNNING_MARK_DELAY_MS = 20;

/**
 * The job worker's side of tasks: BullMQ workers for its queues, which run each
 * attempt with a hard timeout and cancellation, and push state and progress.
 * A task whose worker died is picked up again when its lock expires: it is then
 * retried or failed, as its kind declares, never left `running`.
 */
export class TaskRunner {
  private readonly workers = new Map<string, Worker>();
  private readonly running = new Map<string, AbortController>();
  /** Cancels of tasks not running here when they arrived, by arrival time (kept a minute). */
  private readonly cancelledEarly = new Map<string, number>();
  private stopListening?: () => Promise<void>;
  private expiryTimer?: NodeJS.Timeout;

  constructor(
    private readonly service: TaskService,
    private readonly resolve: TaskKindResolver,
    private readonly options: TaskRunnerOptions,
  ) {}

  async start(): Promise<void> {
    this.stopListening = await this.options.redis.subscribe(cancelChannel(this.options.namespace), (id) => {
      const running = this.running.get(id);
      if (running) running.abort(new Error('cancelled'));
      else this.rememberCancel(id);
    });
    await this.follow();
    const sweep = () => this.service.repository.expire().catch((error) => this.options.logger.warn({ err: error }, 'task expiry failed'));
    this.expiryTimer = setInterval(sweep, 60_000);
    this.expiryTimer.unref();
    await sweep();
  }

  /** The queues this worker serves. */
  queueNames(): string[] {
    return [...this.workers.keys()];
  }

  /** Opens a BullMQ worker for each queue it should serve that has none yet (after a reload adds kinds). */
  async follow(): Promise<void> {
    const wanted = this.options.queues ?? [DEFAULT_QUEUE, ...this.options.kinds().map(queueOf)];
    for (const name of new Set(wanted)) {
      if (this.workers.has(name)) continue;
      const worker = new Worker(name, (job) => this.process(job), {
        connection: { url: this.options.redisUrl },
        prefix: this.service.queues.prefix,
        concurrency: this.options.concurrency,
        lockDuration: this.options.lockMs,
        stalledInterval: Math.max(1000, Math.floor(this.options.lockMs / 2)),
        maxStalledCount: 1000, // our own retry policy decides (see process)
      });
      worker.on('failed', (job, error) => void this.onJobFailed(job, error));
      worker.on('error', (error) => this.options.logger.warn({ err: error, queue: name }, 'task queue error'));
      this.workers.set(name, worker);
      this.options.logger.info({ queue: name }, 'serving task queue');
    }
  }

  private async onJobFailed(job: Job | undefined, error: Error): Promise<void> {
    const id = job?.data?.taskId as string | undefined;
    if (!id) return;
    await this.end(id, 'failed', `the task's job failed: ${error.message}`, job?.data?.socketId);
  }

  /**
   * Ends a task that has no attempt under way here (nothing to report but the outcome), from its row.
   * A row not final yet whose end was claimed (its writer failed) gets that end (TaskService.end).
   */
  private async end(id: string, state: TaskState, error: string, socketId?: string, attempts = 0): Promise<void> {
    const row = await this.service.repository.find(id);
    if (!row || FINAL_STATES.includes(row.state)) return;
    const ended = await this.service.end({ ...row, state, error, result: null, attempts: Math.max(row.attempts, attempts), finishedAt: new Date().toISOString() }, socketId);
    if (ended.won && ended.task) this.options.onTaskEvent?.('ended', ended.task);
  }

  /** Remembers a cancel for a task that is not running here (yet): its job may be about to start. */
  private rememberCancel(id: string): void {
    const now = Date.now();
    this.cancelledEarly.set(id, now);
    for (const [old, at] of this.cancelledEarly) {
      if (now - at < 60_000) break;
      this.cancelledEarly.delete(old);
    }
  }

  /**
   * One attempt. A first attempt needs nothing from the database: the job carries the task.
   * The attempt starts at once; the row is marked `running` (and the `running` frame sent)
   * RUNNING_MARK_DELAY_MS later, at the first progress report, or not at all when the attempt
   * ends before: then its one final UPDATE takes the row from `queued` to the end. A job picked up
   * again (its worker died) or from an older version reads the row and applies the kind's policy.
   */
  private async process(job: Job): Promise<void> {
    const data = job.data as TaskJobData;
    const id = data.taskId;
    const repository = this.service.repository;
    if (this.cancelledEarly.delete(id)) return; // cancelled while its job was being picked up: the cancel wrote and published it
    let task: Omit<TaskView, 'state' | 'progress' | 'progressMessage' | 'result' | 'error' | 'attempts' | 'startedAt' | 'finishedAt'>;
    let attempt: number;
    const pickups = job.attemptsStarted || 1;
    if (data.kind !== undefined && pickups <= 1) {
      task = { id, kind: data.kind, owner: data.owner ?? null, queue: data.queue ?? job.queueName, params: data.params ?? null, createdAt: data.createdAt ?? new Date(job.timestamp).toISOString() };
      attempt = 1;
    } else {
      const row = await repository.find(id);
      if (!row || FINAL_STATES.includes(row.state)) return; // cancelled before it started, or expired
      // Ended, but its end's writer stopped before the row said so: write it.
      if (await this.service.writeClaimedEnd(id)) return;
      task = row;
      // Picked up before: the job worker running an earlier attempt stopped (it may have died before marking the row running).
      const previous = Math.max(row.attempts, pickups - 1);
      if (row.state === 'running' || previous > 0) {
        const definition = this.resolve(row.kind)?.definition;
        const retries = definition?.retries ?? 2;
        if (definition && ((definition.onWorkerLoss ?? 'retry') === 'fail' || previous > retries)) {
          const why = definition.onWorkerLoss === 'fail' ? 'its kind is declared onWorkerLoss: fail' : `no retries left (${retries})`;
          return this.end(id, 'failed', `the job worker running attempt ${Math.max(previous, 1)} stopped; ${why}`, data.socketId, previous);
        }
      }
      attempt = previous + 1;
    }
    const kind = this.resolve(task.kind);
    if (!kind) {
      return this.end(id, 'failed', `task kind ${task.kind} is not offered here any more (is its plugin disabled?)`, data.socketId);
    }
    const definition = kind.definition;
    const socketId = data.socketId;

    const controller = new AbortController();
    this.running.set(id, controller);
    const startedAt = new Date();
    let progress = { percent: 0, message: null as string | null };
    const view = (state: TaskState, extra: Partial<TaskView> = {}): TaskView => ({
      ...task,
      state,
      progress: progress.percent,
      progressMessage: progress.message,
      result: null,
      error: null,
      attempts: attempt,
      startedAt: startedAt.toISOString(),
      finishedAt: null,
      ...extra,
    });
    /** Marks the row running once; false (and the attempt aborted) when the task was cancelled meanwhile. */
    let marked: Promise<boolean> | undefined;
    const markRunning = () =>
      (marked ??= (async () => {
        if (!(await repository.markRunning(id, attempt, startedAt))) {
          controller.abort(new Error('cancelled'));
          return false;
        }
        if (!controller.signal.aborted) await this.service.publishUnderWay(view('running'), socketId);
        return true;
      })());
    this.options.onTaskEvent?.('started', view('running'));
    const markTimer = setTimeout(() => void markRunning().catch((error) => this.options.logger.warn({ err: error, task: id }, 'could not mark a task running')), RUNNING_MARK_DELAY_MS);
    const timeoutMs = definition.timeoutMs ?? this.options.defaultTimeoutMs();
    const timer = setTimeout(() => controller.abort(new TimeoutError(`exceeded its time limit of ${timeoutMs} ms`)), timeoutMs);
    const reports = new Set<Promise<void>>();
    const report = (percent: number, message?: string): Promise<void> => {
      const pending = reportNow(percent, message).finally(() => reports.delete(pending));
      reports.add(pending);
      return pending;
    };
    const reportNow = async (percent: number, message?: string) => {
      // After a cancel or the timeout, a task that reports progress is told to stop, and nothing is published.
      if (controller.signal.aborted) throw controller.signal.reason;
      if (!(await markRunning())) throw controller.signal.reason;
      const value = Math.max(0, Math.min(100, Number(percent) || 0));
      const text = message === undefined ? null : String(message).slice(0, 500);
      if (!(await repository.progress(id, value, text))) return;
      progress = { percent: value, message: text };
      await this.service.publishUnderWay({ id, owner: task.owner, kind: task.kind, state: 'running', progress: value, progressMessage: text }, socketId);
    };
    /** Ends the task with this outcome (TaskService.end), unless a cancel ended it first. */
    const finish = async (state: TaskState, outcome: { result?: unknown; error?: string }) => {
      clearTimeout(markTimer);
      // The running mark and progress reports under way first, so none can land after the end.
      await Promise.allSettled([marked ?? false, ...reports]);
      const ended = await this.service.end(
        view(state, {
          progress: state === 'succeeded' ? 100 : progress.percent,
          result: outcome.result === undefined ? null : JSON.parse(JSON.stringify(outcome.result)),
          error: outcome.error ?? null,
          finishedAt: new Date().toISOString(),
        }),
        socketId,
      );
      // The end that won: a cancel that came first is this task's end, not `state`.
      if (ended.task) this.options.onTaskEvent?.('ended', ended.task);
    };
    try {
      const result = definition.isolated
        ? await runIsolated(kind, task.params, { id, attempt, owner: task.owner }, controller.signal, (p, m) => void report(p, m).catch(() => {}))
        : await this.runInline(kind, task.params, { taskId: id, attempt, identity: identityOfOwner(task.owner), plugin: kind.plugin, signal: controller.signal, progress: report });
      const size = Buffer.byteLength(JSON.stringify(result ?? null) ?? 'null');
      if (size > this.options.maxResultBytes()) {
        await finish('failed', { error: `its result is ${size} bytes as JSON; the limit is ${this.options.maxResultBytes()} (TASKS_MAX_PAYLOAD_BYTES)` });
      } else {
        await finish('succeeded', { result: result ?? null });
      }
    } catch (error) {
      const reason = controller.signal.aborted ? controller.signal.reason : error;
      if (reason instanceof TimeoutError) await finish('timed_out', { error: reason.message });
      else if (controller.signal.aborted) await finish('cancelled', { error: 'cancelled by request' }); // already ended by the cancel
      else await finish('failed', { error: (error as Error)?.message ?? String(error) });
    } finally {
      clearTimeout(timer);
      clearTimeout(markTimer);
      this.running.delete(id);
    }
  }

  /**
   * Runs in this process; an abort settles the attempt at once even if `run` ignores the signal.
   * The work itself stops only when `run` heeds `context.signal` (its reason says cancel or
   * timeout): a kind passes it to everything it starts (downloads, streams, statements), as the
   * parts plugin's import and ranking do.
   */
  private runInline(kind: TaskKind, params: unknown, context: TaskContext): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(context.signal.reason);
      if (context.signal.aborted) return onAbort();
      context.signal.addEventListener('abort', onAbort, { once: true });
      Promise.resolve()
        .then(() => kind.definition.run(params, context))
        .then(resolve, reject)
        .finally(() => context.signal.removeEventListener('abort', onAbort));
    });
  }

  async close(): Promise<void> {
    clearInterval(this.expiryTimer);
    await Promise.all([...this.workers.values()].map((w) => w.close()));
    await this.stopListening?.();
  }
}

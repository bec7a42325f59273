import type { TaskContext, TaskState } from '@brickyard/sdk';
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { runIsolated } from './isolated-attempt';
import { publishTask } from './task-events';
import { DEFAULT_QUEUE, queueOf, type TaskKind, type TaskKindResolver } from './task-kind';
import { FINAL_STATES } from './task.repository';
import { cancelChannel, type TaskService } from './task.service';

export interface TaskRunnerOptions {
  redisUrl: string;
  namespace: string;
  logger: Logger;
  /** Only these queues; all queues of the known kinds when absent. */
  queues?: string[];
  concurrency: number;
  lockMs: number;
  defaultTimeoutMs: () => number;
  resultTtlHours: () => number;
  /** Every task kind this process knows now (to follow new queues after a reload). */
  kinds: () => TaskKind[];
}

class TimeoutError extends Error {}

/**
 * The job worker's side of tasks: BullMQ workers for its queues, which run each
 * attempt with a hard timeout and cancellation, and push state and progress.
 * A task whose worker died is picked up again when its lock expires: it is then
 * retried or failed, as its kind declares, never left `running`.
 */
export class TaskRunner {
  private readonly workers = new Map<string, Worker>();
  private readonly running = new Map<string, AbortController>();
  private readonly subscriber: Redis;
  private expiryTimer?: NodeJS.Timeout;

  constructor(
    private readonly service: TaskService,
    private readonly resolve: TaskKindResolver,
    private readonly options: TaskRunnerOptions,
  ) {
    this.subscriber = new Redis(options.redisUrl, { lazyConnect: true });
    this.subscriber.on('error', (error) => options.logger.warn({ err: error }, 'task cancel channel error'));
  }

  async start(): Promise<void> {
    await this.subscriber.connect();
    this.subscriber.on('message', (_channel, id) => this.running.get(id)?.abort(new Error('cancelled')));
    await this.subscriber.subscribe(cancelChannel(this.options.namespace));
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
    await this.end(id, 'failed', { error: `the task's job failed: ${error.message}` });
  }

  private async end(id: string, state: TaskState, outcome: { result?: unknown; error?: string }): Promise<void> {
    await this.service.repository.finish(id, state, outcome, this.options.resultTtlHours());
    const view = await this.service.repository.find(id);
    if (view) await publishTask(this.service.realtime, view);
  }

  private async process(job: Job): Promise<void> {
    const id = job.data.taskId as string;
    const repository = this.service.repository;
    const task = await repository.find(id);
    if (!task || FINAL_STATES.includes(task.state)) return; // cancelled before it started, or expired
    const kind = this.resolve(task.kind);
    if (!kind) {
      return this.end(id, 'failed', { error: `task kind ${task.kind} is not offered here any more (is its plugin disabled?)` });
    }
    const definition = kind.definition;
    if (task.state === 'running') {
      // Picked up again: the job worker running the previous attempt stopped.
      const retries = definition.retries ?? 2;
      if ((definition.onWorkerLoss ?? 'retry') === 'fail' || task.attempts > retries) {
        const why = definition.onWorkerLoss === 'fail' ? 'its kind is declared onWorkerLoss: fail' : `no retries left (${retries})`;
        return this.end(id, 'failed', { error: `the job worker running attempt ${task.attempts} stopped; ${why}` });
      }
    }
    if (!(await repository.start(id))) return;
    const attempt = task.attempts + 1;
    const started = await repository.find(id);
    if (started) await publishTask(this.service.realtime, started);

    const controller = new AbortController();
    this.running.set(id, controller);
    const timeoutMs = definition.timeoutMs ?? this.options.defaultTimeoutMs();
    const timer = setTimeout(() => controller.abort(new TimeoutError(`exceeded its time limit of ${timeoutMs} ms`)), timeoutMs);
    const progress = async (percent: number, message?: string) => {
      // After a cancel or the timeout, a task that reports progress is told to stop, and nothing is published.
      if (controller.signal.aborted) throw controller.signal.reason;
      const value = Math.max(0, Math.min(100, Number(percent) || 0));
      const text = message === undefined ? null : String(message).slice(0, 500);
      if (!(await repository.progress(id, value, text))) return;
      await publishTask(this.service.realtime, { id, owner: task.owner, kind: task.kind, state: 'running', progress: value, progressMessage: text });
    };
    try {
      const result = definition.isolated
        ? await runIsolated(kind, task.params, { id, attempt }, controller.signal, (p, m) => void progress(p, m).catch(() => {}))
        : await this.runInline(kind, task.params, { taskId: id, attempt, signal: controller.signal, progress });
      await this.end(id, 'succeeded', { result: result ?? null });
    } catch (error) {
      const reason = controller.signal.aborted ? controller.signal.reason : error;
      if (reason instanceof TimeoutError) await this.end(id, 'timed_out', { error: reason.message });
      else if (controller.signal.aborted) await this.end(id, 'cancelled', { error: 'cancelled by request' }); // already ended by the cancel
      else await this.end(id, 'failed', { error: (error as Error)?.message ?? String(error) });
    } finally {
      clearTimeout(timer);
      this.running.delete(id);
    }
  }

  /** Runs in this process; an abort settles the attempt at once even if `run` ignores the signal. */
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
    this.subscriber.disconnect();
  }
}

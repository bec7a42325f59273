import type { Realtime, Tasks, TaskState, TaskView } from '@brickyard/sdk';
import type { Redis } from 'ioredis';
import * as crypto from 'node:crypto';
import type { DataSource } from 'typeorm';
import { TaskRequestError } from './task-errors';
import { publishTask } from './task-events';
import { DEFAULT_QUEUE, queueOf, type TaskKindResolver } from './task-kind';
import { TaskQueues } from './task-queues';
import { FINAL_STATES, TaskRepository } from './task.repository';

export interface TaskLimits {
  perUser: number;
  globalConcurrency: number;
  resultTtlHours: number;
}

/**
 * What a task's BullMQ job carries: everything the job worker needs to run a first attempt
 * without reading the row (jobs of older versions carry only `taskId`; the worker reads the row then).
 */
export interface TaskJobData {
  taskId: string;
  kind?: string;
  owner?: string | null;
  queue?: string;
  params?: unknown;
  createdAt?: string;
  /** Also send the task's frames to this websocket. */
  socketId?: string;
}

const ADMITTED = 'admitted';
const REFUSED = 'refused';
/** How long an admission key waits for its job worker (a job queued longer is checked against its row). */
const ADMISSION_TTL_S = 24 * 3600;

export const cancelChannel = (namespace: string) => `${namespace}:tasks:cancel`;

/**
 * Submits, reads and cancels tasks, from any process. The row in `tasks` is what
 * users see; the BullMQ job (id = task id) is how a job worker gets it.
 */
export class TaskService implements Tasks {
  readonly repository: TaskRepository;
  readonly queues: TaskQueues;

  constructor(
    db: DataSource,
    private readonly redis: Redis,
    redisUrl: string,
    private readonly namespace: string,
    readonly realtime: Realtime,
    private readonly resolve: TaskKindResolver,
    private readonly limits: () => TaskLimits,
  ) {
    this.repository = new TaskRepository(db);
    this.queues = new TaskQueues(redisUrl, `${namespace}:bull`);
  }

  /**
   * Queues a task. One statement (the insert, with the owner's limit folded in), then the
   * BullMQ job, which carries everything the job worker needs to run it without reading
   * the row. With `socketId`, the task's frames are also sent to that websocket from the first.
   */
  async submit(kind: string, params: unknown, owner: string | null = null, options: { socketId?: string } = {}): Promise<TaskView> {
    if (typeof kind !== 'string' || !kind) throw new TaskRequestError(400, 'send {"kind": "<plugin>.<task>", "params": {…}}');
    const found = this.resolve(kind);
    if (!found) {
      throw new TaskRequestError(400, `no task kind ${JSON.stringify(kind)}: core kinds start with "core." (e.g. core.noop); plugin kinds are "<plugin>.<task>" of an enabled plugin`);
    }
    let validated = params ?? {};
    if (found.definition.params) {
      const parsed = found.definition.params.safeParse(validated);
      if (!parsed.success) {
        throw new TaskRequestError(400, `invalid params for ${kind}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ')}`);
      }
      validated = parsed.data;
    }
    const socketId = options.socketId;
    if (socketId !== undefined && (typeof socketId !== 'string' || !socketId || socketId.length > 200)) {
      throw new TaskRequestError(400, 'socketId must be the socketId of a websocket\'s welcome frame');
    }
    const { perUser } = this.limits();
    const id = crypto.randomUUID();
    const queueName = queueOf(found);
    const queue = this.queues.get(queueName);
    const createdAt = new Date();
    const paramsJson = JSON.stringify(validated ?? null);
    const data: TaskJobData = { taskId: id, kind, owner, queue: queueName, params: validated ?? null, createdAt: createdAt.toISOString(), socketId };
    // The insert and the job go out together; the job worker runs the job only once
    // `admit` says the row was inserted within the limit (see TaskRunner.admission).
    const added = queue.add(kind, data, { jobId: id, removeOnComplete: true, removeOnFail: true }).then(
      () => undefined,
      (error: Error) => error,
    );
    let active: number | undefined;
    try {
      active = await this.insertWithinLimit({ id, kind, owner, queue: queueName, params: paramsJson, createdAt }, perUser);
    } catch (error) {
      await this.refuse(id, queueName, added);
      throw error;
    }
    if (active !== undefined) {
      await this.refuse(id, queueName, added);
      throw new TaskRequestError(429, `${owner ? `user ${owner}` : 'anonymous users'} already ${active === 1 ? 'has 1 task' : `have ${active} tasks`} queued or running (limit ${perUser}): wait for one to finish or cancel one`);
    }
    const view: TaskView = {
      id,
      kind,
      owner,
      queue: queueName,
      state: 'queued',
      progress: 0,
      progressMessage: null,
      params: JSON.parse(paramsJson),
      result: null,
      error: null,
      attempts: 0,
      createdAt: createdAt.toISOString(),
      startedAt: null,
      finishedAt: null,
    };
    // Same connection, in this order: the `queued` frame goes out before the job can run.
    const queued = publishTask(this.realtime, view, socketId);
    const admitted = this.sendWord(id, ADMITTED); // without it, the job worker reads the row
    const addError = await added;
    if (addError) {
      const message = `could not queue the task: ${addError.message}`;
      await this.repository.finish(id, 'failed', { error: message }, this.limits().resultTtlHours, new Date()).catch(() => false);
      throw addError;
    }
    await Promise.all([queued, admitted]);
    return view;
  }

  /** Inserts the row unless the owner is at its limit: undefined when inserted, else the owner's active count. */
  private async insertWithinLimit(row: Parameters<TaskRepository['insertWithinLimit']>[0], perUser: number): Promise<number | undefined> {
    // Refused only when the owner still has `perUser` active tasks (one may have ended in between).
    for (let tries = 0; ; tries++) {
      if (await this.repository.insertWithinLimit(row, perUser)) return undefined;
      const active = await this.repository.countActive(row.owner);
      if (active >= perUser || tries >= 2) return active;
    }
  }

  /** The row was not inserted: the job must not run. Its worker, if it has it already, reads `refused`. */
  private async refuse(id: string, queueName: string, added: Promise<Error | undefined>): Promise<void> {
    await this.sendWord(id, REFUSED);
    await added;
    await this.queues.get(queueName).remove(id).catch(() => 0);
  }

  /** The submitter's word on a task's row, for its job worker: a one-element list it pops (BLPOP). */
  private async sendWord(id: string, word: typeof ADMITTED | typeof REFUSED): Promise<void> {
    const key = this.admissionKey(id);
    await this.redis
      .multi()
      .rpush(key, word)
      .expire(key, ADMISSION_TTL_S)
      .exec()
      .catch(() => null);
  }

  admissionKey(id: string): string {
    return `${this.namespace}:tasks:admit:${id}`;
  }

  /** Reads (and consumes) the submitter's word: see TaskRunner.admission. */
  static word(value: string | null | undefined): 'admitted' | 'refused' | undefined {
    return value === ADMITTED ? 'admitted' : value === REFUSED ? 'refused' : undefined;
  }

  get(id: string): Promise<TaskView | undefined> {
    return this.repository.find(id);
  }

  list(filter: { owner?: string | null; state?: TaskState; kind?: string; limit?: number }): Promise<TaskView[]> {
    return this.repository.list({ ...filter, limit: Math.min(500, Math.max(1, filter.limit ?? 50)) });
  }

  /** Cancels a queued or running task; a running attempt is stopped by its job worker. */
  async cancel(id: string): Promise<TaskView | undefined> {
    const task = await this.repository.find(id);
    if (!task) return undefined;
    if (FINAL_STATES.includes(task.state)) {
      throw new TaskRequestError(409, `task ${id} has already ended (${task.state})`);
    }
    const queue = this.queues.get(task.queue);
    const job = await queue.getJob(id).catch(() => undefined);
    await this.repository.finish(id, 'cancelled', { error: 'cancelled by request' }, this.limits().resultTtlHours, new Date());
    await this.redis.publish(cancelChannel(this.namespace), id);
    await queue.remove(id).catch(() => 0); // a job that is running is locked: its worker stops it
    const view = (await this.repository.find(id))!;
    await publishTask(this.realtime, view, (job?.data as TaskJobData | undefined)?.socketId);
    return view;
  }

  /** Applies TASKS_GLOBAL_CONCURRENCY to these queues (after each reload, so a changed setting takes effect). */
  async applyGlobalConcurrency(queues: string[]): Promise<void> {
    const limit = this.limits().globalConcurrency;
    for (const name of new Set(queues)) await this.queues.get(name).setGlobalConcurrency(limit);
  }

  async queueStats(): Promise<Record<string, Record<string, number>>> {
    const names = new Set([DEFAULT_QUEUE, ...this.queues.names()]);
    const stats: Record<string, Record<string, number>> = {};
    for (const name of names) {
      stats[name] = await this.queues.get(name).getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed');
    }
    return stats;
  }

  close(): Promise<void> {
    return this.queues.close();
  }
}

import { fanoutPublication } from '@brickyard/realtime';
import { BrickyardError, describeIssues, type Identity, type Realtime, type TaskState, type TaskView } from '@brickyard/sdk';
import type { Redis } from 'ioredis';
import * as crypto from 'node:crypto';
import type { DataSource } from 'typeorm';
import { publishTask, TASK_FRAME, taskRecipients } from './task-events';
import { DEFAULT_QUEUE, queueOf, type TaskKindResolver } from './task-kind';
import { publicTask } from './public-task';
import { TaskOutcomes } from './task-outcomes';
import { TaskQueues } from './task-queues';
import { FINAL_STATES, TaskRepository } from './task.repository';

export interface TaskLimits {
  perUser: number;
  /** Largest params (at submission) and result (at the end), as JSON bytes. */
  maxPayloadBytes: number;
  submissionsPerMinute: number;
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

/** Who submits a task, and under which owner it is filed. */
export interface Submitter {
  identity: Identity;
  owner: string;
  /** A plugin submitting its own kind on its own account: the kind's `access` is not checked. */
  trusted?: boolean;
  /** Whether a socket named to receive the task's frames is the submitter's own (checked after access). */
  ownsSocket?(socketId: string): Promise<boolean>;
}

/** Owners whose work is the platform's own: outside every per-owner limit. */
const unlimited = (owner: string) => owner === 'admin' || owner.startsWith('plugin:');

const ACCESS_WORDS = { anyone: 'anyone', user: 'signed-in users', admin: 'admins' } as const;

export const cancelChannel = (namespace: string) => `${namespace}:tasks:cancel`;

/**
 * Submits, reads and cancels tasks, from any process. The row in `tasks` is what
 * users see; the BullMQ job (id = task id) is how a job worker gets it.
 */
export class TaskService {
  readonly repository: TaskRepository;
  readonly queues: TaskQueues;
  readonly outcomes: TaskOutcomes;

  constructor(
    db: DataSource,
    private readonly redis: Redis,
    private readonly namespace: string,
    readonly realtime: Realtime,
    private readonly resolve: TaskKindResolver,
    private readonly limits: () => TaskLimits,
  ) {
    this.repository = new TaskRepository(db);
    this.queues = new TaskQueues(redis, `${namespace}:bull`);
    this.outcomes = new TaskOutcomes(redis, namespace);
  }

  /**
   * Queues a task. One statement (the insert, with the owner's limit folded in), then the
   * BullMQ job, which carries everything the job worker needs to run it without reading
   * the row. With `socketId`, the task's frames are also sent to that websocket from the first.
   */
  async submit(kind: string, params: unknown, submitter: Submitter, options: { socketId?: string } = {}): Promise<TaskView> {
    if (typeof kind !== 'string' || !kind) throw new BrickyardError('invalid_params', 'send {"kind": "<plugin>.<task>", "params": {…}}');
    const found = this.resolve(kind);
    if (!found) {
      throw new BrickyardError('invalid_params', `no task kind ${JSON.stringify(kind)}: core kinds start with "core." (e.g. core.noop); plugin kinds are "<plugin>.<task>" of an enabled plugin`);
    }
    // Who may submit is decided before anything else is looked at: a refused caller gets nothing read, stored or run.
    const access = found.definition.access;
    const allowed = submitter.trusted || access === 'anyone' || submitter.identity.role === 'admin' || (access === 'user' && submitter.identity.role === 'user');
    if (!allowed) {
      throw new BrickyardError('forbidden', `task kind ${kind} may be submitted by ${ACCESS_WORDS[access]} only${access === 'admin' ? ': use the admin token (Authorization: Bearer <token in $BRICKYARD_HOME/admin-token>)' : ''}`);
    }
    let validated = params ?? {};
    if (found.definition.params) {
      const parsed = found.definition.params.safeParse(validated);
      if (!parsed.success) throw new BrickyardError('invalid_params', `invalid params for ${kind}: ${describeIssues(parsed.error.issues, 'params')}`);
      validated = parsed.data;
    }
    const socketId = options.socketId;
    if (socketId !== undefined && (typeof socketId !== 'string' || !socketId || socketId.length > 200)) {
      throw new BrickyardError('invalid_params', 'socketId must be the socketId of a websocket\'s welcome frame');
    }
    if (socketId !== undefined && submitter.ownsSocket && !(await submitter.ownsSocket(socketId))) {
      throw new BrickyardError('invalid_params', "socketId is not one of your open websockets: send the socketId of your own websocket's welcome frame");
    }
    const owner = submitter.owner;
    const limits = this.limits();
    const paramsJson = JSON.stringify(validated ?? null);
    if (Buffer.byteLength(paramsJson) > limits.maxPayloadBytes) {
      throw new BrickyardError('payload_too_large', `the params of ${kind} are ${Buffer.byteLength(paramsJson)} bytes as JSON; the limit is ${limits.maxPayloadBytes} (TASKS_MAX_PAYLOAD_BYTES)`);
    }
    if (!unlimited(owner)) await this.countSubmission(owner, limits.submissionsPerMinute);
    const perUser = unlimited(owner) ? Number.MAX_SAFE_INTEGER : limits.perUser;
    const id = crypto.randomUUID();
    const queueName = queueOf(found);
    const createdAt = new Date();
    const row = { id, kind, owner, queue: queueName, params: paramsJson, createdAt };
    // Refused only when the owner still has `perUser` active tasks (one may have ended in between).
    for (let tries = 0; !(await this.repository.insertWithinLimit(row, perUser)); tries++) {
      const active = await this.repository.countActive(owner);
      if (active >= perUser || tries >= 2) {
        const who = owner.startsWith('anonymous:') ? `anonymous callers from ${owner.slice('anonymous:'.length)}` : `user ${owner}`;
        throw new BrickyardError('rate_limited', `${who} already ${active === 1 ? 'have 1 task' : `have ${active} tasks`} queued or running (TASKS_PER_USER_LIMIT ${perUser}): wait for one to finish or cancel one`);
      }
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
    const data: TaskJobData = { taskId: id, kind, owner, queue: queueName, params: view.params, createdAt: view.createdAt, socketId };
    // The `queued` frame is sent before the job is added, so it arrives before the job worker's frames;
    // not to the task's topic, which nobody can have subscribed to before this answer.
    const queued = publishTask(this.realtime, publicTask(view), socketId, false);
    try {
      await this.queues.get(queueName).add(kind, data, { jobId: id, removeOnComplete: true, removeOnFail: true });
    } catch (error) {
      const message = `could not queue the task: ${(error as Error)?.message ?? String(error)}`;
      await this.end({ ...view, state: 'failed', error: message, finishedAt: new Date().toISOString() }, socketId).catch(() => undefined);
      throw error;
    }
    await queued;
    return view;
  }

  /** Counts a submission of `owner` in the current minute (cluster-wide, in Redis); refuses one over the limit. */
  private async countSubmission(owner: string, perMinute: number): Promise<void> {
    const minute = Math.floor(Date.now() / 60_000);
    const key = `${this.namespace}:tasks:submissions:${owner}:${minute}`;
    const [[, count]] = (await this.redis.multi().incr(key).pexpire(key, 120_000).exec()) as [[unknown, number], unknown];
    if (Number(count) > perMinute) {
      throw new BrickyardError('rate_limited', `${owner} submitted more than ${perMinute} tasks this minute (TASKS_SUBMISSIONS_PER_MINUTE): wait ${60 - (Math.floor(Date.now() / 1000) % 60)} s`);
    }
  }

  /**
   * Ends a task with `final` (its view in a final state), unless it has ended already. One Redis
   * script claims the outcome (TaskOutcomes: the first end wins) and publishes its frame; the row is
   * written after, so the frame does not wait for MySQL (reads consult the claim meanwhile, and no
   * running or progress frame can follow it: publishUnderWay). Returns the task's end: `final`, or the
   * end that won.
   */
  async end(final: TaskView, socketId?: string): Promise<{ won: boolean; task: TaskView | undefined }> {
    const announce = fanoutPublication(this.namespace, { recipients: taskRecipients(final, socketId) }, TASK_FRAME, publicTask(final));
    if (await this.outcomes.claim(final, announce)) {
      await this.repository.writeEnd(final, this.limits().resultTtlHours);
      return { won: true, task: final };
    }
    return { won: false, task: (await this.writeClaimedEnd(final.id)) ?? (await this.repository.find(final.id)) };
  }

  /**
   * Writes the claimed end of a task to its row (a no-op when the row says it already), for an end
   * whose writer may have stopped between its claim and its row; the claimed end, if any.
   */
  async writeClaimedEnd(id: string): Promise<TaskView | undefined> {
    const claimed = await this.outcomes.read(id);
    if (claimed) await this.repository.writeEnd(claimed, this.limits().resultTtlHours);
    return claimed;
  }

  /** Publishes a running or progress frame of a task, unless its end is already claimed (TaskOutcomes.publishUnlessEnded): nothing under way is ever sent after the end. */
  async publishUnderWay(task: Pick<TaskView, 'id' | 'owner'> & Partial<TaskView>, socketId?: string): Promise<void> {
    await this.outcomes.publishUnlessEnded(task.id, fanoutPublication(this.namespace, { recipients: taskRecipients(task, socketId) }, TASK_FRAME, publicTask(task)));
  }

  /** A task as its owner sees it: the row, or the outcome claimed by an end whose row is being written. */
  async get(id: string): Promise<TaskView | undefined> {
    const row = await this.repository.find(id);
    if (!row || FINAL_STATES.includes(row.state)) return row;
    return (await this.outcomes.read(id)) ?? row;
  }

  async list(filter: { owner?: string | null; state?: TaskState; kind?: string; limit?: number }): Promise<TaskView[]> {
    const rows = await this.repository.list({ ...filter, limit: Math.min(500, Math.max(1, filter.limit ?? 50)) });
    const claimed = await this.outcomes.readMany(rows.filter((row) => !FINAL_STATES.includes(row.state)).map((row) => row.id));
    return rows.map((row) => claimed.get(row.id) ?? row);
  }

  /** Cancels a queued or running task; a running attempt is stopped by its job worker. */
  async cancel(id: string): Promise<TaskView | undefined> {
    const task = await this.get(id);
    if (!task) return undefined;
    const ended = (state: string) => new BrickyardError('conflict', `task ${id} has already ended (${state})`);
    if (FINAL_STATES.includes(task.state)) throw ended(task.state);
    const queue = this.queues.get(task.queue);
    const job = await queue.getJob(id).catch(() => undefined);
    const socketId = (job?.data as TaskJobData | undefined)?.socketId;
    const { won, task: end } = await this.end({ ...task, state: 'cancelled', error: 'cancelled by request', result: null, finishedAt: new Date().toISOString() }, socketId);
    if (!won) throw ended(end?.state ?? 'unknown');
    await this.redis.publish(cancelChannel(this.namespace), id);
    await queue.remove(id).catch(() => 0); // a job that is running is locked: its worker stops it
    return end;
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

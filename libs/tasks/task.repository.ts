import type { TaskState, TaskView } from '@brickyard/sdk';
import type { DataSource } from 'typeorm';

interface TaskRow {
  id: string;
  kind: string;
  owner: string | null;
  queue: string;
  state: TaskState;
  progress: number;
  progress_message: string | null;
  params: string;
  result: string | null;
  error: string | null;
  attempts: number;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export const FINAL_STATES: TaskState[] = ['succeeded', 'failed', 'timed_out', 'cancelled'];

function toView(row: TaskRow): TaskView {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: row.id,
    kind: row.kind,
    owner: row.owner,
    queue: row.queue,
    state: row.state,
    progress: Number(row.progress),
    progressMessage: row.progress_message,
    params: JSON.parse(row.params),
    result: row.result === null ? null : JSON.parse(row.result),
    error: row.error,
    attempts: row.attempts,
    createdAt: iso(row.created_at)!,
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  };
}

export interface TaskFilter {
  owner?: string | null;
  state?: TaskState;
  kind?: string;
  limit: number;
}

/** Table `tasks`. Final states are written only over non-final ones, so a cancel is never overwritten. */
export class TaskRepository {
  constructor(private readonly db: DataSource) {}

  async insert(task: { id: string; kind: string; owner: string | null; queue: string; params: unknown }): Promise<void> {
    await this.db.query('INSERT INTO tasks (id, kind, owner, queue, state, params) VALUES (?, ?, ?, ?, ?, ?)', [
      task.id, task.kind, task.owner, task.queue, 'queued', JSON.stringify(task.params ?? null),
    ]);
  }

  async find(id: string): Promise<TaskView | undefined> {
    const [row] = await this.db.query('SELECT * FROM tasks WHERE id = ?', [id]);
    return row ? toView(row) : undefined;
  }

  async list(filter: TaskFilter): Promise<TaskView[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (filter.owner !== undefined) {
      where.push(filter.owner === null ? 'owner IS NULL' : 'owner = ?');
      if (filter.owner !== null) values.push(filter.owner);
    }
    if (filter.state) (where.push('state = ?'), values.push(filter.state));
    if (filter.kind) (where.push('kind = ?'), values.push(filter.kind));
    const rows = await this.db.query(
      `SELECT * FROM tasks ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_at DESC LIMIT ${Math.floor(filter.limit)}`,
      values,
    );
    return rows.map(toView);
  }

  async countActive(owner: string | null): Promise<number> {
    const [row] = await this.db.query(
      `SELECT COUNT(*) AS n FROM tasks WHERE ${owner === null ? 'owner IS NULL' : 'owner = ?'} AND state IN ('queued','running')`,
      owner === null ? [] : [owner],
    );
    return Number(row.n);
  }

  /** Marks an attempt as started; false when the task is no longer queued or running (e.g. cancelled). */
  async start(id: string): Promise<boolean> {
    const result = await this.db.query(
      "UPDATE tasks SET state = 'running', attempts = attempts + 1, started_at = CURRENT_TIMESTAMP(3), progress = 0, progress_message = NULL WHERE id = ? AND state IN ('queued','running')",
      [id],
    );
    return result.affectedRows > 0;
  }

  /** Records progress of a running task; false when it is no longer running (cancelled, timed out). */
  async progress(id: string, percent: number, message: string | null): Promise<boolean> {
    const result = await this.db.query("UPDATE tasks SET progress = ?, progress_message = ? WHERE id = ? AND state = 'running'", [percent, message, id]);
    return result.affectedRows > 0;
  }

  /** Ends a task; returns false when it had already ended (a cancel won the race). */
  async finish(id: string, state: TaskState, outcome: { result?: unknown; error?: string }, ttlHours: number): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE tasks SET state = ?, result = ?, error = ?, finished_at = CURRENT_TIMESTAMP(3),
         expires_at = CURRENT_TIMESTAMP(3) + INTERVAL ? HOUR,
         progress = IF(? = 'succeeded', 100, progress)
       WHERE id = ? AND state IN ('queued','running')`,
      [state, outcome.result === undefined ? null : JSON.stringify(outcome.result), outcome.error ?? null, ttlHours, state, id],
    );
    return result.affectedRows > 0;
  }

  /** Deletes finished tasks whose retention has passed. */
  async expire(): Promise<number> {
    const result = await this.db.query('DELETE FROM tasks WHERE expires_at IS NOT NULL AND expires_at < CURRENT_TIMESTAMP(3) LIMIT 10000');
    return result.affectedRows;
  }
}

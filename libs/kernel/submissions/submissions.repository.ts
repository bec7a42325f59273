import type { DataSource, EntityManager } from 'typeorm';
import type { TreeFile } from './git-fetch';

export type SubmissionState = 'invalid' | 'pending' | 'approved' | 'rejected' | 'superseded';
export const SUBMISSION_STATES: readonly SubmissionState[] = ['invalid', 'pending', 'approved', 'rejected', 'superseded'];

/** A submission as its owner and the admins read it. */
export interface Submission {
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
  state: SubmissionState;
  problem: string | null;
  fileCount: number;
  totalBytes: number;
  granted: string[] | null;
  reason: string | null;
  reviewer: string | null;
  createdAt: Date;
  reviewedAt: Date | null;
}

export interface NewSubmission {
  userId: string;
  username: string | null;
  url: string;
  ref: string;
  commit: string;
  name: string | null;
  version: string | null;
  title: string | null;
  manifest: unknown;
  requested: string[];
  state: 'invalid' | 'pending';
  problem: string | null;
  files: TreeFile[];
  totalBytes: number;
}

const COLUMNS = 'id, user_id, username, url, ref, commit_sha, name, version, title, manifest, requested, state, problem, file_count, total_bytes, granted, reason, reviewer, created_at, reviewed_at';

const parse = <T>(text: string | null, fallback: T): T => {
  if (text === null || text === undefined) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

function toSubmission(row: Record<string, any>): Submission {
  return {
    id: Number(row.id),
    userId: row.user_id,
    username: row.username,
    url: row.url,
    ref: row.ref,
    commit: row.commit_sha,
    name: row.name,
    version: row.version,
    title: row.title,
    manifest: parse(row.manifest, null),
    requested: parse(row.requested, []),
    state: row.state,
    problem: row.problem,
    fileCount: Number(row.file_count),
    totalBytes: Number(row.total_bytes),
    granted: parse(row.granted, null),
    reason: row.reason,
    reviewer: row.reviewer,
    createdAt: row.created_at,
    reviewedAt: row.reviewed_at,
  };
}

/** Tables `plugin_submissions` and `plugin_submission_files`. */
export class SubmissionsRepository {
  constructor(private readonly db: DataSource) {}

  /** Records a submission and its files in one transaction; earlier pending submissions of the same plugin by the same user are superseded. */
  async insert(submission: NewSubmission): Promise<number> {
    return this.db.transaction(async (tx) => {
      const result = await tx.query(
        `INSERT INTO plugin_submissions (user_id, username, url, ref, commit_sha, name, version, title, manifest, requested, state, problem, file_count, total_bytes)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          submission.userId, submission.username, submission.url, submission.ref, submission.commit, submission.name, submission.version, submission.title,
          submission.manifest === undefined ? null : JSON.stringify(submission.manifest), JSON.stringify(submission.requested), submission.state, submission.problem,
          submission.files.length, submission.totalBytes,
        ],
      );
      const id = Number(result.insertId);
      for (const file of submission.files) {
        await tx.query('INSERT INTO plugin_submission_files (submission_id, path, size, content) VALUES (?, ?, ?, ?)', [id, file.path, file.content.length, file.content]);
      }
      if (submission.state === 'pending' && submission.name) {
        await tx.query(
          "UPDATE plugin_submissions SET state = 'superseded' WHERE name = ? AND user_id = ? AND state = 'pending' AND id <> ?",
          [submission.name, submission.userId, id],
        );
      }
      return id;
    });
  }

  async find(id: number): Promise<Submission | undefined> {
    const [row] = await this.db.query(`SELECT ${COLUMNS} FROM plugin_submissions WHERE id = ?`, [id]);
    return row ? toSubmission(row) : undefined;
  }

  /** Newest first; `userId` limits to one user's, `state` to one state. */
  async list(filter: { userId?: string; state?: SubmissionState; limit: number }): Promise<Submission[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.userId !== undefined) (where.push('user_id = ?'), params.push(filter.userId));
    if (filter.state !== undefined) (where.push('state = ?'), params.push(filter.state));
    const rows = await this.db.query(
      `SELECT ${COLUMNS} FROM plugin_submissions ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      [...params, filter.limit],
    );
    return rows.map(toSubmission);
  }

  /** Another user's pending or approved submission of this plugin name, if any: the name is theirs. */
  async ownerOfName(name: string): Promise<{ userId: string; username: string | null } | undefined> {
    const [row] = await this.db.query(
      "SELECT user_id, username FROM plugin_submissions WHERE name = ? AND state IN ('approved', 'pending') ORDER BY state = 'approved' DESC, id LIMIT 1",
      [name],
    );
    return row ? { userId: row.user_id, username: row.username } : undefined;
  }

  /** The approved version of each submitted plugin: what every host materialises. */
  async approved(): Promise<{ id: number; name: string; commit: string }[]> {
    const rows = await this.db.query("SELECT id, approved_name, commit_sha FROM plugin_submissions WHERE state = 'approved' AND approved_name IS NOT NULL");
    return rows.map((row: any) => ({ id: Number(row.id), name: row.approved_name, commit: row.commit_sha }));
  }

  /** The approved version of a plugin, if any: what an update would replace. */
  async approvedOf(name: string): Promise<{ id: number; version: string | null; commit: string } | undefined> {
    const [row] = await this.db.query('SELECT id, version, commit_sha FROM plugin_submissions WHERE approved_name = ?', [name]);
    return row ? { id: Number(row.id), version: row.version, commit: row.commit_sha } : undefined;
  }

  async fileList(id: number): Promise<{ path: string; size: number }[]> {
    const rows = await this.db.query('SELECT path, size FROM plugin_submission_files WHERE submission_id = ? ORDER BY path', [id]);
    return rows.map((row: any) => ({ path: row.path, size: Number(row.size) }));
  }

  async file(id: number, path: string): Promise<Buffer | undefined> {
    const [row] = await this.db.query('SELECT content FROM plugin_submission_files WHERE submission_id = ? AND path = ?', [id, path]);
    return row ? Buffer.from(row.content) : undefined;
  }

  async files(id: number): Promise<TreeFile[]> {
    const rows = await this.db.query('SELECT path, content FROM plugin_submission_files WHERE submission_id = ? ORDER BY path', [id]);
    return rows.map((row: any) => ({ path: row.path, content: Buffer.from(row.content) }));
  }

  /**
   * Makes `id` the approved version of its plugin, superseding the one before
   * and any other pending submission of the name, and replaces the plugin's
   * grants with exactly `granted`, in one transaction. False when it was no
   * longer pending (another admin decided first).
   */
  async approve(id: number, name: string, granted: string[], reviewer: string): Promise<boolean> {
    return this.db.transaction(async (tx: EntityManager) => {
      const [row] = await tx.query("SELECT state FROM plugin_submissions WHERE id = ? FOR UPDATE", [id]);
      if (row?.state !== 'pending') return false;
      await tx.query("UPDATE plugin_submissions SET state = 'superseded', approved_name = NULL WHERE approved_name = ?", [name]);
      await tx.query("UPDATE plugin_submissions SET state = 'superseded' WHERE name = ? AND state = 'pending' AND id < ?", [name, id]);
      await tx.query(
        "UPDATE plugin_submissions SET state = 'approved', approved_name = ?, granted = ?, reviewer = ?, reviewed_at = CURRENT_TIMESTAMP(3) WHERE id = ?",
        [name, JSON.stringify(granted), reviewer, id],
      );
      await tx.query('DELETE FROM plugin_grants WHERE plugin = ?', [name]);
      for (const capability of granted) await tx.query('INSERT INTO plugin_grants (plugin, capability) VALUES (?, ?)', [name, capability]);
      return true;
    });
  }

  /** False when it was no longer pending. */
  async reject(id: number, reason: string, reviewer: string): Promise<boolean> {
    const result = await this.db.query(
      "UPDATE plugin_submissions SET state = 'rejected', reason = ?, reviewer = ?, reviewed_at = CURRENT_TIMESTAMP(3) WHERE id = ? AND state = 'pending'",
      [reason, reviewer, id],
    );
    return Number(result.affectedRows ?? 0) > 0;
  }
}

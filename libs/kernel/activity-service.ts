import { BrickyardError, type ActivityInput, type ActivityQuery, type ActivityRecord, type Identity } from '@brickyard/sdk';
import type { DataSource } from 'typeorm';

/** An activity as `/api/activities` lists it. */
export type ActivityView = ActivityRecord;

/** A listing: an ActivityQuery (audience, types, paging) narrowed by user name or part. */
export interface ActivityFilter extends ActivityQuery {
  username?: string;
  partName?: string;
}

const TYPE = /^[a-z0-9-]{1,32}$/;
const MAX_PARAMS_BYTES = 4096;
export const ACTIVITY_COLUMNS = 'id, type, user_id, username, part_name, target_type, target_id, params, created_at';

/**
 * The public record of what users did (table `activities`), newest first:
 * plugins record through their context, anyone lists them at `/api/activities`.
 * A plugin removes only what it recorded itself.
 */
export class ActivityService {
  constructor(private readonly db: DataSource) {}

  async record(plugin: string, actor: Identity, activity: ActivityInput): Promise<number> {
    if (!actor?.userId) throw new BrickyardError('unauthorized', 'only a signed-in user has activities');
    if (typeof activity?.type !== 'string' || !TYPE.test(activity.type)) {
      throw new BrickyardError('invalid_params', 'an activity type is 1 to 32 lowercase letters, digits or dashes (experience, comment, vote, rating, watch, …)');
    }
    const partName = activity.partName ?? null;
    if (partName !== null && (typeof partName !== 'string' || partName.length > 255)) throw new BrickyardError('invalid_params', 'an activity partName is a part name');
    const target = activity.target;
    if (target !== undefined && (typeof target?.type !== 'string' || target.type.length > 64 || typeof target.id !== 'string' || target.id.length > 128)) {
      throw new BrickyardError('invalid_params', 'an activity target is { type: string (≤ 64), id: string (≤ 128) }');
    }
    const params = JSON.stringify(activity.params ?? {});
    if (Buffer.byteLength(params) > MAX_PARAMS_BYTES) throw new BrickyardError('invalid_params', `activity params are at most ${MAX_PARAMS_BYTES} bytes of JSON`);
    const result = await this.db.query(
      'INSERT INTO activities (type, user_id, username, part_name, target_type, target_id, params, plugin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [activity.type, actor.userId, actor.username ?? actor.userId, partName, target?.type ?? null, target?.id ?? null, params, plugin],
    );
    return Number(result.insertId);
  }

  /** Removes activities `plugin` recorded, matching every given field; a target or a part name is required. */
  async remove(plugin: string, filter: { type?: string; userId?: string; partName?: string; target?: { type: string; id: string } }): Promise<number> {
    if (!filter?.target && !filter?.partName) throw new BrickyardError('invalid_params', 'say which activities to remove: a target { type, id } or a partName');
    const where = ['plugin = ?'];
    const params: unknown[] = [plugin];
    if (filter.type !== undefined) (where.push('type = ?'), params.push(filter.type));
    if (filter.userId !== undefined) (where.push('user_id = ?'), params.push(filter.userId));
    if (filter.partName !== undefined) (where.push('part_name = ?'), params.push(filter.partName));
    if (filter.target) (where.push('target_type = ? AND target_id = ?'), params.push(filter.target.type, filter.target.id));
    const result = await this.db.query(`DELETE FROM activities WHERE ${where.join(' AND ')}`, params);
    return Number(result.affectedRows ?? 0);
  }

  /**
   * Activities matching the filter, newest first. A timeline (`byUsers` /
   * `onParts`) is read in two steps, because its rows are spread over many
   * users and parts: first the newest SCAN_WINDOW ids by primary key, checking
   * each row (cheap when the audience is active: a page is found in a few
   * hundred rows); only if that leaves the page short, the older rows through
   * the user and part indexes, each branch limited to the page.
   */
  async list(filter: ActivityFilter): Promise<ActivityView[]> {
    const limit = Math.min(Math.max(1, Math.trunc(filter.limit)), 100);
    const base: string[] = [];
    const params: unknown[] = [];
    if (filter.types?.length) (base.push(`type IN (${marks(filter.types)})`), params.push(...filter.types));
    if (filter.username !== undefined) (base.push('username = ?'), params.push(filter.username));
    if (filter.partName !== undefined) (base.push('part_name = ?'), params.push(filter.partName));
    const branches = audienceBranches(filter);
    if (branches && !branches.length) return [];
    const [{ top }] = filter.before !== undefined ? [{ top: filter.before }] : await this.db.query('SELECT COALESCE(MAX(id), 0) + 1 AS top FROM activities');
    const newest = Number(top);
    if (!branches) {
      const rows = await this.db.query(
        `SELECT ${ACTIVITY_COLUMNS} FROM activities WHERE ${['id < ?', ...base].join(' AND ')} ORDER BY id DESC LIMIT ?`,
        [newest, ...params, limit],
      );
      return rows.map(activityView);
    }
    const audience = `(${branches.map((b) => b.sql).join(' OR ')})`;
    const audienceParams = branches.flatMap((b) => b.params);
    const recent = await this.db.query(
      `SET STATEMENT in_predicate_conversion_threshold = 0 FOR
       SELECT ${ACTIVITY_COLUMNS} FROM activities FORCE INDEX (PRIMARY)
       WHERE ${['id < ?', 'id >= ?', audience, ...base].join(' AND ')} ORDER BY id DESC LIMIT ?`,
      [newest, newest - SCAN_WINDOW, ...audienceParams, ...params, limit],
    );
    if (recent.length === limit || newest - SCAN_WINDOW <= 1) return recent.map(activityView);
    const rest = limit - recent.length;
    // Ids first, from the narrow user and part indexes, then the page's rows by primary key. MariaDB turns an IN
    // list of 1000 values or more into a join with a temporary table by default; kept as a list, each branch
    // reads its index ranges and sorts only ids.
    const ids: { id: number }[] = await this.db.query(
      `SET STATEMENT in_predicate_conversion_threshold = 0 FOR
       SELECT id FROM (${branches
         .map((b) => `(SELECT id FROM activities WHERE ${['id < ?', b.sql, ...base].join(' AND ')} ORDER BY id DESC LIMIT ${rest})`)
         .join(' UNION ')}) t ORDER BY id DESC LIMIT ${rest}`,
      branches.flatMap((b) => [newest - SCAN_WINDOW, ...b.params, ...params]),
    );
    if (!ids.length) return recent.map(activityView);
    const older = await this.db.query(
      `SELECT ${ACTIVITY_COLUMNS} FROM activities WHERE id IN (${marks(ids)}) ORDER BY id DESC`,
      ids.map((row) => row.id),
    );
    return [...recent, ...older].map(activityView);
  }
}

/** How many of the newest ids a timeline checks row by row before it turns to the indexes. */
const SCAN_WINDOW = 2000;

const marks = (values: readonly unknown[]) => values.map(() => '?').join(', ');

/** The OR-ed parts of a timeline's audience; undefined when there is no audience (every activity); empty when it is empty. */
function audienceBranches(filter: ActivityQuery): { sql: string; params: unknown[] }[] | undefined {
  if (filter.byUsers === undefined && filter.onParts === undefined) return undefined;
  const branches: { sql: string; params: unknown[] }[] = [];
  if (filter.byUsers?.length) branches.push({ sql: `user_id IN (${marks(filter.byUsers)})`, params: [...filter.byUsers] });
  if (filter.onParts?.length) {
    const except = filter.exceptUser !== undefined ? ' AND user_id <> ?' : '';
    branches.push({ sql: `(part_name IN (${marks(filter.onParts)})${except})`, params: [...filter.onParts, ...(filter.exceptUser !== undefined ? [filter.exceptUser] : [])] });
  }
  return branches;
}

/** An `activities` row (ACTIVITY_COLUMNS) as the API gives it. */
export function activityView(row: Record<string, any>): ActivityView {
  let params: Record<string, unknown> = {};
  try {
    params = JSON.parse(row.params);
  } catch {
    // A row written by hand: show it without params rather than fail the page.
  }
  return {
    id: Number(row.id),
    type: row.type,
    user: { id: row.user_id, username: row.username },
    part_name: row.part_name,
    target: row.target_type ? { type: row.target_type, id: row.target_id } : null,
    params,
    created_at: row.created_at,
  };
}

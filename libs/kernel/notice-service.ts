import { BrickyardError, type NoticeInput, type NoticeTarget, type Realtime } from '@brickyard/sdk';
import * as crypto from 'node:crypto';
import type { DataSource } from 'typeorm';

/** A notice as its recipient reads it (`/api/notices`). */
export interface NoticeView {
  id: number;
  category: string;
  message: string;
  target: NoticeTarget | null;
  actor_id: string | null;
  plugin: string;
  has_read: boolean;
  created_at: Date;
  updated_at: Date;
}

/** The frame that carries a user's unread count to their open websockets. */
export const UNREAD_FRAME = 'notices.unread';

const MAX_RECIPIENTS = 10_000;
const INSERT_CHUNK = 500;

/**
 * The notices of every user (table `notices`): plugins send them through their
 * context, users read and mark their own through `/api/notices`, and each
 * change of a user's unread count is pushed to that user's websockets
 * (UNREAD_FRAME). A notice with a slug is "one per actor, updated": sending it
 * again to the same user about the same target by the same actor updates the
 * message and marks it unread, instead of adding another (Biohub's rule for
 * repeated comments).
 */
export class NoticeService {
  constructor(
    private readonly db: DataSource,
    private readonly realtime: Realtime,
  ) {}

  async send(plugin: string, userIds: string | readonly string[], notice: NoticeInput): Promise<number> {
    const input = checkNotice(notice);
    const recipients = [...new Set(typeof userIds === 'string' ? [userIds] : userIds)].filter((id) => id && id !== input.actorId);
    if (recipients.some((id) => typeof id !== 'string' || id.length > 64)) throw new BrickyardError('invalid_params', 'notice recipients are user ids: strings of at most 64 characters');
    if (recipients.length > MAX_RECIPIENTS) throw new BrickyardError('invalid_params', `a notice goes to at most ${MAX_RECIPIENTS} users at once (got ${recipients.length})`);
    if (!recipients.length) return 0;
    for (let start = 0; start < recipients.length; start += INSERT_CHUNK) {
      const chunk = recipients.slice(start, start + INSERT_CHUNK);
      const values: unknown[] = [];
      for (const userId of chunk) {
        values.push(userId, input.category, input.message, input.target?.type ?? null, input.target?.id ?? null, input.actorId, input.slug, plugin, dedupeKey(userId, input));
      }
      await this.db.query(
        `INSERT INTO notices (user_id, category, message, target_type, target_id, actor_id, slug, plugin, dedupe_key)
         VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
         ON DUPLICATE KEY UPDATE message = VALUES(message), has_read = 0, updated_at = CURRENT_TIMESTAMP(3)`,
        values,
      );
    }
    await this.pushUnread(recipients);
    return recipients.length;
  }

  /** Removes the notices `plugin` sent about a target (only those of a slug and actor, when given). */
  async remove(plugin: string, filter: { target: NoticeTarget; slug?: string; actorId?: string }): Promise<number> {
    const target = checkTarget(filter.target);
    if (!target) throw new BrickyardError('invalid_params', 'say which notices to remove: { target: { type, id } }');
    const where = ['plugin = ?', 'target_type = ?', 'target_id = ?'];
    const params: unknown[] = [plugin, target.type, target.id];
    if (filter.slug !== undefined) (where.push('slug = ?'), params.push(filter.slug));
    if (filter.actorId !== undefined) (where.push('actor_id = ?'), params.push(filter.actorId));
    const users: { user_id: string }[] = await this.db.query(`SELECT DISTINCT user_id FROM notices WHERE ${where.join(' AND ')}`, params);
    if (!users.length) return 0;
    const result = await this.db.query(`DELETE FROM notices WHERE ${where.join(' AND ')}`, params);
    await this.pushUnread(users.map((u) => u.user_id));
    return Number(result.affectedRows ?? 0);
  }

  /** One user's notices, unread first, newest first (Biohub's ordering), 20 a page by default. */
  async list(userId: string, filter: { hasRead?: boolean; category?: string; page: number; perPage: number }): Promise<{ items: NoticeView[]; total: number; unread: number }> {
    const where = ['user_id = ?'];
    const params: unknown[] = [userId];
    if (filter.hasRead !== undefined) (where.push('has_read = ?'), params.push(filter.hasRead ? 1 : 0));
    if (filter.category !== undefined) (where.push('category = ?'), params.push(filter.category));
    const [{ total }] = await this.db.query(`SELECT COUNT(*) AS total FROM notices WHERE ${where.join(' AND ')}`, params);
    const rows = await this.db.query(
      `SELECT id, category, message, target_type, target_id, actor_id, plugin, has_read, created_at, updated_at FROM notices
       WHERE ${where.join(' AND ')} ORDER BY has_read, updated_at DESC, id DESC LIMIT ? OFFSET ?`,
      [...params, filter.perPage, (filter.page - 1) * filter.perPage],
    );
    return { items: rows.map(toView), total: Number(total), unread: (await this.unreadCounts([userId])).get(userId) ?? 0 };
  }

  /** Per category: how many notices the user has and how many are unread. */
  async stats(userId: string): Promise<{ category: string; count: number; unread: number }[]> {
    const rows = await this.db.query(
      'SELECT category, COUNT(*) AS count, SUM(has_read = 0) AS unread FROM notices WHERE user_id = ? GROUP BY category ORDER BY category',
      [userId],
    );
    return rows.map((r: { category: string; count: unknown; unread: unknown }) => ({ category: r.category, count: Number(r.count), unread: Number(r.unread) }));
  }

  /** Marks one of the user's notices read; another user's notice is not found (its existence is not revealed). */
  async markRead(userId: string, id: number): Promise<NoticeView> {
    await this.db.query('UPDATE notices SET has_read = 1 WHERE id = ? AND user_id = ?', [id, userId]);
    const [row] = await this.db.query(
      'SELECT id, category, message, target_type, target_id, actor_id, plugin, has_read, created_at, updated_at FROM notices WHERE id = ? AND user_id = ?',
      [id, userId],
    );
    if (!row) throw new BrickyardError('not_found', `you have no notice ${id}`);
    await this.pushUnread([userId]);
    return toView(row);
  }

  /** Marks all the user's notices read (of one category, when given); returns how many changed. */
  async markAllRead(userId: string, category?: string): Promise<number> {
    const result = await this.db.query(
      `UPDATE notices SET has_read = 1 WHERE user_id = ? AND has_read = 0${category !== undefined ? ' AND category = ?' : ''}`,
      category !== undefined ? [userId, category] : [userId],
    );
    await this.pushUnread([userId]);
    return Number(result.affectedRows ?? 0);
  }

  async unreadCounts(userIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map(userIds.map((id) => [id, 0]));
    if (!userIds.length) return counts;
    const rows = await this.db.query(
      `SELECT user_id, COUNT(*) AS unread FROM notices WHERE user_id IN (${userIds.map(() => '?').join(', ')}) AND has_read = 0 GROUP BY user_id`,
      [...userIds],
    );
    for (const row of rows) counts.set(row.user_id, Number(row.unread));
    return counts;
  }

  /** Sends each user's unread count to their open websockets, wherever they are connected. */
  async pushUnread(userIds: readonly string[]): Promise<void> {
    const counts = await this.unreadCounts([...new Set(userIds)]);
    await Promise.all([...counts].map(([userId, unread]) => this.realtime.toUser(userId, UNREAD_FRAME, { unread })));
  }
}

function toView(row: Record<string, any>): NoticeView {
  return {
    id: Number(row.id),
    category: row.category,
    message: row.message,
    target: row.target_type ? { type: row.target_type, id: row.target_id } : null,
    actor_id: row.actor_id,
    plugin: row.plugin,
    has_read: Boolean(Number(row.has_read)),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function checkTarget(target: NoticeTarget | undefined): NoticeTarget | undefined {
  if (target === undefined) return undefined;
  if (typeof target?.type !== 'string' || !target.type || target.type.length > 64 || typeof target.id !== 'string' || !target.id || target.id.length > 128) {
    throw new BrickyardError('invalid_params', 'a notice target is { type: string (≤ 64), id: string (≤ 128) }');
  }
  return { type: target.type, id: target.id };
}

function checkNotice(notice: NoticeInput): { category: string; message: string; target?: NoticeTarget; actorId: string | null; slug: string | null } {
  const { category, message, slug, actorId } = notice ?? ({} as NoticeInput);
  if (typeof category !== 'string' || !category.trim() || category.length > 64) throw new BrickyardError('invalid_params', 'a notice needs a category of 1 to 64 characters');
  if (typeof message !== 'string' || !message.trim() || message.length > 2000) throw new BrickyardError('invalid_params', 'a notice needs a message of 1 to 2000 characters');
  if (slug !== undefined && (typeof slug !== 'string' || !slug || slug.length > 64)) throw new BrickyardError('invalid_params', 'a notice slug is a string of 1 to 64 characters');
  if (actorId !== undefined && actorId !== null && (typeof actorId !== 'string' || actorId.length > 64)) throw new BrickyardError('invalid_params', 'a notice actorId is a user id');
  return { category, message, target: checkTarget(notice.target), actorId: actorId ?? null, slug: slug ?? null };
}

/** The key that makes a slugged notice one per (user, category, slug, actor, target). */
function dedupeKey(userId: string, notice: { category: string; slug: string | null; actorId: string | null; target?: NoticeTarget }): string | null {
  if (notice.slug === null) return null;
  return crypto.createHash('sha256').update(JSON.stringify([userId, notice.category, notice.slug, notice.actorId, notice.target?.type ?? null, notice.target?.id ?? null])).digest('hex');
}

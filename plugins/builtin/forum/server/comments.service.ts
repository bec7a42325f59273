import { BrickyardError, InjectPluginContext, type Identity, type PluginContext } from '@brickyard/sdk';
import { Injectable } from '@nestjs/common';
import { assertMayChange, notAnonymous, signedIn } from './caller';
import { ExperiencesService, type Page } from './experiences.service';
import { ForumNews } from './forum-news';
import { renderMarkdown } from './markdown';
import type { ForumSettings } from './settings';
import { ForumThrottle } from './throttle';
import { inTransaction } from '@brickyard/db';

/** Replies nest at most this deep (a top-level comment is depth 0); deeper threads are refused, not flattened. */
export const MAX_DEPTH = 8;

/** A comment, flat: `parent_id` and `depth` say where it sits in its thread. `html` is its text rendered and sanitized. */
export interface CommentView {
  id: string;
  experience_id: string;
  parent_id: string | null;
  depth: number;
  author: { id: string; username: string };
  author_name: string;
  text: string;
  html: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'c.id, c.experience_id, c.parent_id, c.depth, c.author_id, u.username AS author_username, c.author_name, c.text, c.created_at, c.updated_at';

function view(row: Record<string, any>): CommentView {
  return {
    id: String(row.id),
    experience_id: String(row.experience_id),
    parent_id: row.parent_id === null ? null : String(row.parent_id),
    depth: Number(row.depth),
    author: { id: String(row.author_id), username: row.author_username ?? row.author_name },
    author_name: row.author_name,
    text: row.text,
    html: renderMarkdown(row.text),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/**
 * Threaded comments on experiences (Biohub's posts, with replies). A page is a
 * page of threads (top-level comments, oldest first), each followed by all its
 * replies in thread order, so a client draws the tree from `depth` alone.
 */
@Injectable()
export class CommentsService {
  private readonly throttle: ForumThrottle;

  constructor(
    @InjectPluginContext() private readonly plugin: PluginContext<ForumSettings>,
    private readonly experiences: ExperiencesService,
    private readonly news: ForumNews,
  ) {
    this.throttle = new ForumThrottle(plugin.store);
  }

  private get db() {
    return this.plugin.database();
  }

  async create(who: Identity, experienceId: string, input: { text: string; parent_id?: number }): Promise<CommentView> {
    const author = signedIn(who);
    const experience = await this.experiences.ref(experienceId);
    let parent: { id: string; depth: number; author_id: string } | null = null;
    if (input.parent_id !== undefined) {
      const [row] = await this.db.query('SELECT id, depth, author_id, experience_id FROM forum_comments WHERE id = ?', [input.parent_id]);
      if (!row || String(row.experience_id) !== experienceId) throw new BrickyardError('invalid_params', `parent_id: ${input.parent_id} is not a comment on experience ${experienceId}`);
      if (Number(row.depth) + 1 > MAX_DEPTH) throw new BrickyardError('invalid_params', `parent_id: replies nest at most ${MAX_DEPTH} deep; reply higher up the thread`);
      parent = { id: String(row.id), depth: Number(row.depth), author_id: String(row.author_id) };
    }
    const seconds = this.plugin.settings.get('FORUM_POST_INTERVAL_SECONDS');
    const claim = await this.throttle.claim(`post:${author.id}`, seconds, `one post every ${seconds} s`);
    let id: string;
    try {
      const result = await this.db.query('INSERT INTO forum_comments (experience_id, parent_id, depth, author_id, author_name, text) VALUES (?, ?, ?, ?, ?, ?)', [
        experienceId, parent?.id ?? null, parent ? parent.depth + 1 : 0, author.id, author.username, input.text,
      ]);
      id = String(result.insertId);
    } catch (error) {
      await claim.release();
      // ER_NO_REFERENCED_ROW_2: the experience or the parent was deleted meanwhile.
      if ((error as { errno?: number }).errno === 1452) throw new BrickyardError('not_found', `experience ${experienceId} or the comment replied to was just deleted`);
      throw error;
    }
    await this.news.commented(who, experience, { id, parentId: parent?.id ?? null, parentAuthorId: parent?.author_id ?? null });
    return this.read(id);
  }

  async read(id: string): Promise<CommentView> {
    const [row] = await this.db.query(`SELECT ${COLUMNS} FROM forum_comments c LEFT JOIN accounts_users u ON u.id = c.author_id WHERE c.id = ?`, [id]);
    if (!row) throw new BrickyardError('not_found', `no comment ${id}`);
    return view(row);
  }

  async list(experienceId: string, page: number, perPage: number): Promise<Page<CommentView>> {
    await this.experiences.ref(experienceId);
    const [{ total }] = await this.db.query('SELECT COUNT(*) AS total FROM forum_comments WHERE experience_id = ? AND parent_id IS NULL', [experienceId]);
    const threads: { id: string }[] = await this.db.query(
      'SELECT id FROM forum_comments WHERE experience_id = ? AND parent_id IS NULL ORDER BY id LIMIT ? OFFSET ?',
      [experienceId, perPage, (page - 1) * perPage],
    );
    if (!threads.length) return { page, per_page: perPage, total: Number(total), items: [] };
    // Each comment's path is its ancestors' ids, zero-padded: sorting by it gives thread order.
    const rows = await this.db.query(
      `WITH RECURSIVE thread (id, path) AS (
         SELECT id, CAST(LPAD(id, 20, '0') AS CHAR(400)) FROM forum_comments WHERE id IN (${threads.map(() => '?').join(', ')})
         UNION ALL
         SELECT c.id, CONCAT(t.path, '/', LPAD(c.id, 20, '0')) FROM forum_comments c JOIN thread t ON c.parent_id = t.id
       )
       SELECT ${COLUMNS} FROM thread t JOIN forum_comments c ON c.id = t.id LEFT JOIN accounts_users u ON u.id = c.author_id ORDER BY t.path`,
      threads.map((t) => t.id),
    );
    return { page, per_page: perPage, total: Number(total), items: rows.map(view) };
  }

  async update(who: Identity, id: string, text: string): Promise<CommentView> {
    notAnonymous(who);
    const [row] = await this.db.query('SELECT author_id FROM forum_comments WHERE id = ?', [id]);
    if (!row) throw new BrickyardError('not_found', `no comment ${id}`);
    assertMayChange(who, String(row.author_id), `comment ${id}`);
    await this.db.query('UPDATE forum_comments SET text = ?, updated_at = CURRENT_TIMESTAMP(3) WHERE id = ?', [text, id]);
    return this.read(id);
  }

  /** Deletes the comment and its replies (they answer it, and go with it). */
  async remove(who: Identity, id: string): Promise<{ deleted: string[] }> {
    notAnonymous(who);
    const { experienceId, deleted } = await inTransaction(this.db, async (tx) => {
      const [row] = await tx.query('SELECT author_id, experience_id FROM forum_comments WHERE id = ? FOR UPDATE', [id]);
      if (!row) throw new BrickyardError('not_found', `no comment ${id}`);
      assertMayChange(who, String(row.author_id), `comment ${id}`);
      const subtree: { id: string; parent_id: string | null; author_id: string }[] = await tx.query(
        `WITH RECURSIVE sub (id) AS (SELECT id FROM forum_comments WHERE id = ? UNION ALL SELECT c.id FROM forum_comments c JOIN sub s ON c.parent_id = s.id)
         SELECT c.id, c.parent_id, c.author_id FROM sub s JOIN forum_comments c ON c.id = s.id`,
        [id],
      );
      await tx.query('DELETE FROM forum_comments WHERE id = ?', [id]); // the replies by ON DELETE CASCADE
      return { experienceId: String(row.experience_id), deleted: subtree.map((c) => ({ id: String(c.id), parentId: c.parent_id === null ? null : String(c.parent_id), authorId: String(c.author_id) })) };
    });
    const experience = await this.experiences.ref(experienceId).catch(() => null);
    if (experience) {
      const ids = new Set(deleted.map((c) => c.id));
      const commenters: string[] = [];
      for (const authorId of new Set(deleted.map((c) => c.authorId))) {
        const [left] = await this.db.query('SELECT 1 FROM forum_comments WHERE experience_id = ? AND author_id = ? LIMIT 1', [experienceId, authorId]);
        if (!left) commenters.push(authorId);
      }
      const repliers: { authorId: string; parentId: string }[] = [];
      for (const c of deleted) {
        if (c.parentId === null || ids.has(c.parentId)) continue; // the parent is gone too, and its notices with it
        const [left] = await this.db.query('SELECT 1 FROM forum_comments WHERE parent_id = ? AND author_id = ? LIMIT 1', [c.parentId, c.authorId]);
        if (!left) repliers.push({ authorId: c.authorId, parentId: c.parentId });
      }
      await this.news.commentsDeleted(experience, [...ids], { commenters, repliers });
    }
    return { deleted: deleted.map((c) => c.id) };
  }
}

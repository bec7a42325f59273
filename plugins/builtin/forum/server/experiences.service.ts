import { BrickyardError, InjectPluginContext, type Identity, type PluginContext } from '@brickyard/sdk';
import { Injectable } from '@nestjs/common';
import { AttachmentsService, type AttachmentView } from './attachments.service';
import { assertMayChange, notAnonymous, signedIn } from './caller';
import { makeDigest } from './digest';
import { ForumNews, type ExperienceRef } from './forum-news';
import { renderMarkdown, sanitizeForumHtml } from './markdown';
import { PartWeight } from './part-weight';
import { RegistryExperiences } from './registry-experiences';
import type { ForumSettings } from './settings';
import { ForumThrottle } from './throttle';
import { inTransaction } from '@brickyard/db';

export interface ExperienceInput {
  part_name: string;
  title: string;
  text: string;
  works?: boolean;
  attachment_ids?: number[];
}

export type ExperienceChange = Partial<Omit<ExperienceInput, 'part_name'>>;

/** An experience in a list. `title` and `author_name` are plain text: show them as text, never as HTML. */
export interface ExperienceSummary {
  id: string;
  part_name: string;
  /** null for an experience written on the Registry (author_name says who). */
  author: { id: string; username: string } | null;
  author_name: string;
  title: string;
  digest: string;
  works: boolean | null;
  votes: number;
  /** Whether the caller voted for it. */
  voted: boolean;
  comments: number;
  created_at: Date;
  updated_at: Date;
}

/** One experience: its Markdown (`text`, for editing) and that Markdown rendered and sanitized (`html`). */
export interface ExperienceDetail extends ExperienceSummary {
  text: string;
  html: string;
  attachments: AttachmentView[];
}

export interface Page<T> {
  page: number;
  per_page: number;
  total: number;
  items: T[];
}

const SUMMARY_COLUMNS = `e.id, e.part_name, e.author_id, u.username AS author_username, e.author_name, e.title, e.digest, e.works, e.votes,
  e.created_at, e.updated_at, (SELECT COUNT(*) FROM forum_comments c WHERE c.experience_id = e.id) AS comments,
  EXISTS (SELECT 1 FROM forum_votes v WHERE v.experience_id = e.id AND v.user_id = ?) AS voted`;

function summary(row: Record<string, any>): ExperienceSummary {
  return {
    id: String(row.id),
    part_name: row.part_name,
    author: row.author_id === null ? null : { id: String(row.author_id), username: row.author_username ?? row.author_name },
    author_name: row.author_name,
    title: row.title,
    digest: row.digest,
    works: row.works === null ? null : Number(row.works) === 1,
    votes: Number(row.votes),
    voted: Number(row.voted) === 1,
    comments: Number(row.comments),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** The caller's user id for `voted`, or one no account has. */
const viewerOf = (who: Identity) => (who.userId && /^[0-9]+$/.test(who.userId) ? who.userId : '0');

/**
 * Experiences with parts (Biohub's Experience): Markdown written by signed-in
 * users about a part of the live snapshot; changed and deleted by their author
 * or an admin.
 *
 * Experiences from the Registry: the user reviews on each part's
 * `Part:<name>:Experience` wiki page, fetched when the part's experiences are
 * listed (registry-experiences.ts, Biohub's ExperienceSpider). Such a row has
 * no local author (author_id NULL, author_name the Registry's author), is
 * listed with `author: null`, is read-only for users, and keeps its body as
 * HTML (registry_html), sanitized again when read.
 */
@Injectable()
export class ExperiencesService {
  private readonly throttle: ForumThrottle;
  private readonly weight: PartWeight;

  constructor(
    @InjectPluginContext() private readonly plugin: PluginContext<ForumSettings>,
    private readonly attachments: AttachmentsService,
    private readonly news: ForumNews,
    private readonly registry: RegistryExperiences,
  ) {
    this.throttle = new ForumThrottle(plugin.store);
    this.weight = new PartWeight(plugin);
  }

  private get db() {
    return this.plugin.database();
  }

  async list(who: Identity, filter: { part?: string; authorId?: string; author?: string; page: number; perPage: number }): Promise<Page<ExperienceSummary>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.part !== undefined) {
      // The part's Registry reviews are refreshed in the background when stale: this listing never waits for them.
      this.registry.refreshIfNeeded(filter.part);
      where.push('e.part_name = ?');
      params.push(filter.part);
    }
    if (filter.authorId !== undefined) (where.push('e.author_id = ?'), params.push(filter.authorId));
    if (filter.author !== undefined) (where.push('e.author_id = (SELECT id FROM accounts_users WHERE username = ?)'), params.push(filter.author));
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await this.db.query(`SELECT COUNT(*) AS total FROM forum_experiences e ${clause}`, params);
    const rows = await this.db.query(
      `SELECT ${SUMMARY_COLUMNS} FROM forum_experiences e LEFT JOIN accounts_users u ON u.id = e.author_id ${clause} ORDER BY e.id DESC LIMIT ? OFFSET ?`,
      [viewerOf(who), ...params, filter.perPage, (filter.page - 1) * filter.perPage],
    );
    return { page: filter.page, per_page: filter.perPage, total: Number(total), items: rows.map(summary) };
  }

  async read(who: Identity, id: string): Promise<ExperienceDetail> {
    const [row] = await this.db.query(
      `SELECT ${SUMMARY_COLUMNS}, e.text, e.registry_html FROM forum_experiences e LEFT JOIN accounts_users u ON u.id = e.author_id WHERE e.id = ?`,
      [viewerOf(who), id],
    );
    if (!row) throw new BrickyardError('not_found', `no experience ${id}`);
    // Rendered (a Registry review: sanitized) when read, so a tightened sanitizer applies to every experience at once.
    const html = row.registry_html === null ? renderMarkdown(row.text) : sanitizeForumHtml(row.registry_html);
    return { ...summary(row), text: row.text, html, attachments: await this.attachments.listFor(id) };
  }

  /** The experience's row as news and permissions need it, or 404. */
  async ref(id: string, runner: { query(sql: string, params?: unknown[]): Promise<any> } = this.db, lock = false): Promise<ExperienceRef & { works: boolean | null }> {
    const [row] = await runner.query(`SELECT id, part_name, title, author_id, works FROM forum_experiences WHERE id = ?${lock ? ' FOR UPDATE' : ''}`, [id]);
    if (!row) throw new BrickyardError('not_found', `no experience ${id}`);
    return { id: String(row.id), part_name: row.part_name, title: row.title, author_id: row.author_id === null ? null : String(row.author_id), works: row.works === null ? null : Number(row.works) === 1 };
  }

  async create(who: Identity, input: ExperienceInput): Promise<ExperienceDetail> {
    const author = signedIn(who);
    const part = await this.plugin.parts.find(input.part_name);
    if (!part) throw new BrickyardError('not_found', `no part named ${input.part_name} in the live snapshot`);
    const settings = this.plugin.settings;
    const claim = await this.throttle.claimAll([
      { key: `experience:${author.id}:${part.name.toLowerCase()}`, seconds: settings.get('FORUM_EXPERIENCE_INTERVAL_SECONDS'), what: `one experience on ${part.name} every ${settings.get('FORUM_EXPERIENCE_INTERVAL_SECONDS')} s` },
      { key: `post:${author.id}`, seconds: settings.get('FORUM_POST_INTERVAL_SECONDS'), what: `one post every ${settings.get('FORUM_POST_INTERVAL_SECONDS')} s` },
    ]);
    let id: string;
    try {
      id = await inTransaction(this.db, async (tx) => {
        const result = await tx.query(
          'INSERT INTO forum_experiences (part_name, author_id, author_name, title, text, digest, works) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [part.name, author.id, author.username, input.title, input.text, makeDigest(input.text), input.works === undefined ? null : input.works ? 1 : 0],
        );
        const newId = String(result.insertId);
        await this.attachments.attach(tx, newId, input.attachment_ids ?? [], author.id, false);
        await this.weight.count(tx, part.name, 1, input.works ? 1 : 0);
        return newId;
      });
    } catch (error) {
      await claim.release();
      throw error;
    }
    await this.news.experiencePublished(who, { id, part_name: part.name, title: input.title, author_id: author.id });
    await this.news.experiencesChanged(part.name, { added: 1, updated: 0, removed: 0 });
    return this.read(who, id);
  }

  async update(who: Identity, id: string, change: ExperienceChange): Promise<ExperienceDetail> {
    notAnonymous(who);
    const partName = await inTransaction(this.db, async (tx) => {
      const current = await this.ref(id, tx, true);
      assertMayChange(who, current.author_id, `experience ${id}`);
      const sets: string[] = ['updated_at = CURRENT_TIMESTAMP(3)'];
      const params: unknown[] = [];
      if (change.title !== undefined) (sets.push('title = ?'), params.push(change.title));
      // New text is Markdown, even for a Registry review an admin edits (until its page is read again).
      if (change.text !== undefined) (sets.push('text = ?', 'digest = ?', 'registry_html = NULL'), params.push(change.text, makeDigest(change.text)));
      if (change.works !== undefined) (sets.push('works = ?'), params.push(change.works ? 1 : 0));
      await tx.query(`UPDATE forum_experiences SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
      if (change.attachment_ids !== undefined) await this.attachments.attach(tx, id, change.attachment_ids, who.userId, true);
      const good = change.works === undefined ? 0 : Number(change.works) - Number(current.works === true);
      await this.weight.count(tx, current.part_name, 0, good);
      return current.part_name;
    });
    await this.news.experiencesChanged(partName, { added: 0, updated: 1, removed: 0 });
    return this.read(who, id);
  }

  async remove(who: Identity, id: string): Promise<{ deleted: true; id: string }> {
    notAnonymous(who);
    const { experience, commentIds } = await inTransaction(this.db, async (tx) => {
      const current = await this.ref(id, tx, true);
      assertMayChange(who, current.author_id, `experience ${id}`);
      const comments: { id: string }[] = await tx.query('SELECT id FROM forum_comments WHERE experience_id = ?', [id]);
      // Its comments, votes and attachments go with it (ON DELETE CASCADE).
      await tx.query('DELETE FROM forum_experiences WHERE id = ?', [id]);
      await this.weight.count(tx, current.part_name, -1, current.works === true ? -1 : 0);
      return { experience: current, commentIds: comments.map((c) => String(c.id)) };
    });
    await this.news.experienceDeleted(experience, commentIds);
    await this.news.experiencesChanged(experience.part_name, { added: 0, updated: 0, removed: 1 });
    return { deleted: true, id };
  }
}

import { InjectPluginContext, type PluginContext } from '@brickyard/sdk';
import { Injectable } from '@nestjs/common';
import type { QueryRunner } from 'typeorm';
import { makeDigest } from './digest';
import { ForumNews } from './forum-news';
import { plainTextOf } from './html-text';
import { sanitizeForumHtml } from './markdown';
import { PartWeight } from './part-weight';
import { readExperiencePage, type RegistryReview } from './registry-experience-page';
import { fetchExperiencePage } from './registry-fetch';
import type { ForumSettings } from './settings';
import { inTransaction } from '@brickyard/db';

/**
 * Refreshes (check and fetch) running at once per process. Past it a listing starts none (the
 * next listing of that part will): nothing queues behind a slow Registry.
 */
const MAX_CONCURRENT = 4;
/** Title of a Registry review, which has none on the page. */
const titleOf = (author: string) => `Review by ${author} on the Registry`.slice(0, 200);

/** What a fetch changed. */
interface Applied {
  added: number;
  updated: number;
  removed: { id: string; part_name: string; title: string; commentIds: string[] }[];
}

/**
 * Experiences from the Registry (issue 12, Biohub's ExperienceSpider): when a
 * part's experiences are listed and its Experience page was never read, or
 * longer ago than FORUM_REGISTRY_EXPERIENCES_MAX_AGE_DAYS, the page is fetched
 * in the background (once per part across the cluster: a claim in the shared
 * store), and each user review becomes an experience without a local author
 * (author_id NULL, author_name the Registry's author), read-only for users.
 * A fetch again updates those of the same author, adds new ones and removes
 * those gone from the page; part_forum_stats and the part's weight follow in
 * the same transaction. Then `forum.experiences` goes to topic
 * `forum:part:<name>`. A failure is recorded and backs off (1 min, 2, 4, … up
 * to a day), never shown to the user, who is never kept waiting.
 */
@Injectable()
export class RegistryExperiences {
  private readonly inFlight = new Set<string>();
  /** Checks and fetches under way in this process, counted from the moment a listing starts one. */
  private running = 0;
  private readonly weight: PartWeight;

  constructor(
    @InjectPluginContext() private readonly plugin: PluginContext<ForumSettings>,
    private readonly news: ForumNews,
  ) {
    this.weight = new PartWeight(plugin);
  }

  private get db() {
    return this.plugin.database();
  }

  /** Starts a fetch of the part's reviews if they need one; returns at once and never throws. */
  refreshIfNeeded(partName: string): void {
    if (!this.plugin.settings.get('FORUM_REGISTRY_EXPERIENCES')) return;
    if (this.running >= MAX_CONCURRENT) return;
    this.running++;
    this.maybeFetch(partName)
      .catch((error) => this.plugin.logger.warn({ err: error, part: partName }, 'forum: Registry experiences were not refreshed'))
      .finally(() => this.running--);
  }

  private async maybeFetch(requested: string): Promise<void> {
    // Only parts of the live snapshot, by their own name: a listing of any other name fetches nothing.
    const part = await this.plugin.parts.find(requested);
    if (!part || this.inFlight.has(part.name) || !(await this.due(part.name))) return;
    this.inFlight.add(part.name);
    const claimKey = `registry-experiences:${part.name}`;
    try {
      // One fetcher per part in the whole cluster: whoever sets the key fetches.
      const ttlMs = this.plugin.settings.get('FORUM_REGISTRY_EXPERIENCES_TIMEOUT_MS') + 30_000;
      if (!(await this.plugin.store.set(claimKey, String(process.pid), { ifAbsent: true, ttlMs }))) return;
      try {
        // Asked again once claimed: another process may have fetched it between our first look and the claim.
        if (await this.due(part.name)) await this.fetch(part.name);
      } finally {
        await this.plugin.store.delete(claimKey).catch(() => {});
      }
    } finally {
      this.inFlight.delete(part.name);
    }
  }

  /** Never read, or read too long ago, and not backing off after a failure. */
  private async due(partName: string): Promise<boolean> {
    const [row] = await this.db.query(
      `SELECT fetched_at > CURRENT_TIMESTAMP(3) - INTERVAL ? DAY AS recent, retry_after > CURRENT_TIMESTAMP(3) AS backing_off
       FROM forum_registry_fetches WHERE part_name = ?`,
      [this.plugin.settings.get('FORUM_REGISTRY_EXPERIENCES_MAX_AGE_DAYS'), partName],
    );
    return !row || (!Number(row.recent) && !Number(row.backing_off));
  }

  private async fetch(partName: string): Promise<void> {
    const url = this.plugin.settings.get('FORUM_REGISTRY_EXPERIENCES_URL').replace('{name}', encodeURIComponent(partName));
    let reviews: RegistryReview[];
    try {
      const page = await fetchExperiencePage(this.plugin, url);
      reviews = page === null ? [] : readExperiencePage(page);
    } catch (error) {
      // fetchOutbound's refusals name the setting that governs them (hosts, deadline, size).
      const message = (error as Error).message;
      await this.db.query(
        `INSERT INTO forum_registry_fetches (part_name, failures, last_error, retry_after) VALUES (?, 1, ?, CURRENT_TIMESTAMP(3) + INTERVAL 1 MINUTE)
         ON DUPLICATE KEY UPDATE failures = failures + 1, last_error = VALUES(last_error),
           retry_after = CURRENT_TIMESTAMP(3) + INTERVAL LEAST(1440, POW(2, failures)) MINUTE`,
        [partName, message.slice(0, 1000)],
      );
      this.plugin.logger.warn({ part: partName, error: message }, 'forum: fetching Registry experiences failed; keeping those stored');
      return;
    }
    const applied = await inTransaction(this.db, async (tx) => {
      const result = await this.apply(tx, partName, reviews);
      await tx.query(
        `INSERT INTO forum_registry_fetches (part_name, fetched_at, failures, last_error, retry_after) VALUES (?, CURRENT_TIMESTAMP(3), 0, NULL, NULL)
         ON DUPLICATE KEY UPDATE fetched_at = VALUES(fetched_at), failures = 0, last_error = NULL, retry_after = NULL`,
        [partName],
      );
      return result;
    });
    // Comments on a removed review took their notices and activities with them: those go now.
    for (const gone of applied.removed) await this.news.experienceDeleted({ ...gone, author_id: null }, gone.commentIds);
    if (applied.added || applied.updated || applied.removed.length) {
      await this.news.experiencesChanged(partName, { added: applied.added, updated: applied.updated, removed: applied.removed.length });
    }
  }

  /** Upserts the page's reviews by (part, Registry author), removes the part's others, and keeps the part's counters exact. */
  private async apply(tx: QueryRunner, partName: string, reviews: RegistryReview[]): Promise<Applied> {
    const applied: Applied = { added: 0, updated: 0, removed: [] };
    const kept: string[] = [];
    for (const review of reviews) {
      const html = sanitizeForumHtml(review.html);
      const text = plainTextOf(html);
      if (!text) continue; // nothing to read once sanitized
      const title = titleOf(review.author);
      const [current] = await tx.query(
        'SELECT id, title, text, registry_html FROM forum_experiences WHERE part_name = ? AND registry_author = ? FOR UPDATE',
        [partName, review.author],
      );
      if (!current) {
        const result = await tx.query(
          'INSERT INTO forum_experiences (part_name, author_id, author_name, title, text, digest, registry_html) VALUES (?, NULL, ?, ?, ?, ?, ?)',
          [partName, review.author, title, text, makeDigest(text), html],
        );
        kept.push(String(result.insertId));
        applied.added++;
        continue;
      }
      kept.push(String(current.id));
      if (current.text === text && current.registry_html === html && current.title === title) continue;
      await tx.query(
        'UPDATE forum_experiences SET title = ?, text = ?, digest = ?, registry_html = ?, updated_at = CURRENT_TIMESTAMP(3) WHERE id = ?',
        [title, text, makeDigest(text), html, current.id],
      );
      applied.updated++;
    }
    const gone: { id: string; title: string; works: number | null }[] = await tx.query(
      `SELECT id, title, works FROM forum_experiences WHERE part_name = ? AND author_id IS NULL${kept.length ? ` AND id NOT IN (${kept.map(() => '?').join(', ')})` : ''} FOR UPDATE`,
      [partName, ...kept],
    );
    for (const row of gone) {
      const comments: { id: string }[] = await tx.query('SELECT id FROM forum_comments WHERE experience_id = ?', [row.id]);
      // Its comments, votes and attachments go with it (ON DELETE CASCADE).
      await tx.query('DELETE FROM forum_experiences WHERE id = ?', [row.id]);
      applied.removed.push({ id: String(row.id), part_name: partName, title: row.title, commentIds: comments.map((c) => String(c.id)) });
    }
    if (applied.added || gone.length) {
      // An admin may have marked one as working (works = 1): its good_experiences goes with it.
      const good = -gone.filter((row) => Number(row.works) === 1).length;
      await this.weight.count(tx, partName, applied.added - gone.length, good);
    }
    return applied;
  }
}

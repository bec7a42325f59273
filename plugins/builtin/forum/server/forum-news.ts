import { InjectPluginContext, noticeLink, type Identity, type PluginContext } from '@brickyard/sdk';
import { Injectable } from '@nestjs/common';
import { EXPERIENCES_FRAME, partTopic, type ExperiencesChange } from './experiences-frame';

/** Biohub's notice category for everything the forum tells people. */
export const CATEGORY = 'Forum';
/** One notice per commenter on an experience, updated by their next comments (Biohub's target_slug). */
export const COMMENT_SLUG = 'comment experience';
/** One notice per replier to a comment. */
export const REPLY_SLUG = 'reply comment';
/** One notice per voter on an experience, removed by the unvote. */
export const VOTE_SLUG = 'vote experience';

/** What the news is about: an experience as stored. */
export interface ExperienceRef {
  id: string;
  part_name: string;
  title: string;
  author_id: string | null;
}

/** Most users one notice goes to (the engine's limit per send). */
const MAX_AUDIENCE = 10_000;

const experienceTarget = (id: string) => ({ type: 'experience', id: String(id) });
const commentTarget = (id: string) => ({ type: 'comment', id: String(id) });
const user = (name: string) => noticeLink(name, 'user', name);
const experience = (e: ExperienceRef) => noticeLink(e.title, 'experience', e.id);
const part = (name: string) => noticeLink(name, 'part', name);

/**
 * What others learn of forum actions: activities (the public record, the
 * timeline) and notices (Biohub's signals, §6.2 of the reference). Each runs
 * after its action committed: a failure here is logged, never the action's.
 */
@Injectable()
export class ForumNews {
  constructor(@InjectPluginContext() private readonly plugin: PluginContext) {}

  /**
   * A new experience: an activity, and a notice to the part's watchers and the
   * author's followers (issue 12), one per user however many of those they are,
   * never to the author.
   */
  experiencePublished(who: Identity, e: ExperienceRef) {
    return this.quietly('experience published', async () => {
      await this.plugin.activities.record(who, { type: 'experience', partName: e.part_name, target: experienceTarget(e.id), params: { title: e.title } });
      const audience = await this.audienceOf(e.part_name, who.userId ?? undefined);
      await this.plugin.notices.send(audience, {
        category: CATEGORY, actorId: who.userId, target: experienceTarget(e.id),
        message: `${user(who.username ?? '')} published a new experience ${experience(e)} at part ${part(e.part_name)}`,
      });
    });
  }

  /** Pages open on the part reload its experiences (frame forum.experiences on topic forum:part:<name>): local ones and Registry reviews alike. */
  experiencesChanged(partName: string, change: ExperiencesChange) {
    return this.quietly('change of experiences', () => this.plugin.realtime.toTopic(partTopic(partName), EXPERIENCES_FRAME, { part: partName, ...change }));
  }

  /** An experience is gone: its activities and notices, and those of its comments, go with it. */
  experienceDeleted(e: ExperienceRef, commentIds: string[]) {
    return this.quietly('experience deleted', async () => {
      await this.plugin.activities.remove({ target: experienceTarget(e.id) });
      await this.plugin.notices.remove({ target: experienceTarget(e.id) });
      for (const id of commentIds) await this.forgetComment(id);
    });
  }

  /**
   * A comment: an activity when the experience has a local author (Biohub's
   * rule), a notice to the experience's author (one per commenter, updated) and,
   * for a reply, one to the parent comment's author.
   */
  commented(who: Identity, e: ExperienceRef, comment: { id: string; parentId: string | null; parentAuthorId: string | null }) {
    return this.quietly('comment', async () => {
      if (e.author_id !== null) {
        await this.plugin.activities.record(who, { type: 'comment', partName: e.part_name, target: commentTarget(comment.id), params: { title: e.title, experience: e.id } });
      }
      const replyTo = comment.parentAuthorId;
      if (replyTo !== null) {
        await this.plugin.notices.send(replyTo, {
          category: CATEGORY, actorId: who.userId, target: commentTarget(comment.parentId!), slug: REPLY_SLUG,
          message: `${user(who.username ?? '')} replied to your comment on ${experience(e)}`,
        });
      }
      // The experience's author hears of it once: not again when the reply notice already told them.
      if (e.author_id !== null && e.author_id !== replyTo) {
        await this.plugin.notices.send(e.author_id, {
          category: CATEGORY, actorId: who.userId, target: experienceTarget(e.id), slug: COMMENT_SLUG,
          message: `${user(who.username ?? '')} commented on your experience ${experience(e)}`,
        });
      }
    });
  }

  /**
   * Comments are gone (one and its replies): their activities and the notices
   * of replies to them; and the comment or reply notice of each author who has
   * no comment left there for it to be about (`gone`, found by the caller).
   */
  commentsDeleted(e: ExperienceRef, deletedIds: string[], gone: { commenters: string[]; repliers: { authorId: string; parentId: string }[] }) {
    return this.quietly('comments deleted', async () => {
      for (const id of deletedIds) await this.forgetComment(id);
      for (const actorId of gone.commenters) await this.plugin.notices.remove({ target: experienceTarget(e.id), slug: COMMENT_SLUG, actorId });
      for (const r of gone.repliers) await this.plugin.notices.remove({ target: commentTarget(r.parentId), slug: REPLY_SLUG, actorId: r.authorId });
    });
  }

  /** A vote: an activity, and the author's notice with the new count (one per voter, updated). */
  voted(who: Identity, e: ExperienceRef, votes: number) {
    return this.quietly('vote', async () => {
      await this.plugin.activities.record(who, { type: 'vote', partName: e.part_name, target: experienceTarget(e.id), params: { title: e.title } });
      if (e.author_id !== null) {
        await this.plugin.notices.send(e.author_id, {
          category: CATEGORY, actorId: who.userId, target: experienceTarget(e.id), slug: VOTE_SLUG,
          message: `${user(who.username ?? '')} voted for your experience ${experience(e)}; now it has ${votes} vote${votes === 1 ? '' : 's'}`,
        });
      }
    });
  }

  /** An unvote takes back the vote's activity and notice. */
  unvoted(who: Identity, e: ExperienceRef) {
    return this.quietly('unvote', async () => {
      await this.plugin.activities.remove({ type: 'vote', userId: who.userId!, target: experienceTarget(e.id) });
      await this.plugin.notices.remove({ target: experienceTarget(e.id), slug: VOTE_SLUG, actorId: who.userId! });
    });
  }

  private async forgetComment(id: string) {
    await this.plugin.activities.remove({ target: commentTarget(id) });
    await this.plugin.notices.remove({ target: commentTarget(id) });
  }

  /**
   * Who hears of a new experience: the part's watchers (parts_watches, the parts
   * plugin's table) and the author's followers (accounts_follows, the accounts
   * plugin's), each once, at most the MAX_AUDIENCE a notice may go to.
   */
  private async audienceOf(partName: string, authorId: string | undefined): Promise<string[]> {
    const watchers = await this.userIds('SELECT user_id AS id FROM parts_watches WHERE part_name = ? LIMIT ?', [partName, MAX_AUDIENCE]);
    const followers = authorId ? await this.userIds('SELECT follower_id AS id FROM accounts_follows WHERE followee_id = ? LIMIT ?', [authorId, MAX_AUDIENCE]) : [];
    return [...new Set([...watchers, ...followers])].slice(0, MAX_AUDIENCE);
  }

  /** User ids a query finds; none while its table does not exist (its plugin was never enabled). */
  private async userIds(sql: string, params: unknown[]): Promise<string[]> {
    try {
      const rows: { id: string }[] = await this.plugin.database().query(sql, params);
      return rows.map((r) => String(r.id));
    } catch (error) {
      if ((error as { code?: string }).code === 'ER_NO_SUCH_TABLE') return [];
      throw error;
    }
  }

  private async quietly(what: string, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      this.plugin.logger.warn({ err: error }, `forum: the activities and notices of a ${what} could not all be written`);
    }
  }
}

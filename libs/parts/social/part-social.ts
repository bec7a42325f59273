import { affectedRows, inTransaction } from '@brickyard/db';
import { BrickyardError, type Activities, type Identity, type PluginLogger, type Realtime } from '@brickyard/sdk';
import type { DataSource, QueryRunner } from 'typeorm';
import { RATE_MEAN } from '../api/parts-search-sql';
import { partTopic } from '../enrichment/part-enricher';
import type { RatingThrottle } from './rating-throttle';

/** The frame pushed to a part's watchers and to topic parts:<name> when its counters change. */
export const SOCIAL_FRAME = 'parts.social';

/** A part's social counters and weight, as the API answers and pushes them. */
export interface PartCounters {
  part_name: string;
  stars: number;
  watches: number;
  rates: number;
  /** null when unrated. */
  rate_mean: number | null;
  /** null before the first ranking. */
  weight: number | null;
}

/** What the signed-in caller did to a part. */
export interface MySocial {
  starred: boolean;
  watching: boolean;
  /** null when the caller has not rated it. */
  rating: number | null;
}

/**
 * Recomputes one part's weight inside the caller's transaction (libs/ranking's
 * reweightPart). Ranking depends on this library, so the plugin passes it in.
 */
export type PartReweigher = (runner: QueryRunner, partsTable: string, partName: string) => Promise<unknown>;

/** Changes of part_forum_stats' counters made by one request. */
interface Delta {
  rates: number;
  rate_sum: number;
  stars: number;
  watches: number;
}

const NO_CHANGE: Delta = { rates: 0, rate_sum: 0, stars: 0, watches: 0 };
const changed = (d: Delta) => d.rates !== 0 || d.rate_sum !== 0 || d.stars !== 0 || d.watches !== 0;

/** A live part: its canonical name (the URL's may differ in case), id and short description. */
interface LivePart {
  part_id: number;
  part_name: string;
  short_desc: string | null;
}

const q = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/**
 * Ratings, stars and watches of parts (issue 12): one of each per user and part.
 *
 * Each change is one READ COMMITTED transaction that locks, in this order, the
 * user's row (of parts_ratings, _stars or _watches) and then the part's row of
 * part_forum_stats, so two changes never wait for each other in a cycle. The
 * counters move by what actually changed (starring twice counts once), and
 * while the part's counter row is locked its weight is recomputed (PartReweigher),
 * so concurrent changes of one part take turns and the last sees every counter.
 * After the commit, the new counters and weight go to the part's watchers and
 * topic parts:<name>, and the user's activity is recorded.
 */
export class PartSocial {
  private readonly partsTable: string;

  constructor(
    private readonly db: DataSource,
    snapshot: string,
    private readonly services: {
      realtime: Realtime;
      logger: PluginLogger;
      throttle: RatingThrottle;
      /** The engine's activities (a getter: the service may come after the plugin's providers are built). */
      activities: () => Activities | undefined;
      /** Without it, weights change only at the next ranking. */
      reweight?: PartReweigher;
      /** After the commit, the part's new weight: the search index of every worker takes it (search-index-service.ts). */
      reweighted?: (partId: number, weight: number) => Promise<void>;
    },
  ) {
    this.partsTable = `${q(snapshot)}.parts_filtered`;
  }

  /** The part of the live snapshot with this name, or 404. */
  async livePart(name: string): Promise<LivePart> {
    const [part] = await this.db.query(`SELECT part_id, part_name, short_desc FROM ${this.partsTable} WHERE part_name = ?`, [name]);
    if (!part) throw new BrickyardError('not_found', `no part named ${name} in the live snapshot`);
    return part;
  }

  async rate(who: Identity, name: string, score: number) {
    const userId = userOf(who);
    const part = await this.livePart(name);
    await this.services.throttle.claim(userId);
    const result = await this.change(part, userId, async (tx) => {
      const [row] = await tx.query('SELECT score FROM parts_ratings WHERE part_name = ? AND user_id = ? FOR UPDATE', [part.part_name, userId]);
      if (row && Number(row.score) === score) return NO_CHANGE;
      if (row) {
        await tx.query('UPDATE parts_ratings SET score = ?, updated_at = CURRENT_TIMESTAMP(3) WHERE part_name = ? AND user_id = ?', [score, part.part_name, userId]);
        return { ...NO_CHANGE, rate_sum: score - Number(row.score) };
      }
      await tx.query('INSERT INTO parts_ratings (part_name, user_id, score) VALUES (?, ?, ?)', [part.part_name, userId, score]);
      return { ...NO_CHANGE, rates: 1, rate_sum: score };
    }).catch(async (error) => {
      await this.services.throttle.release(userId).catch(() => {});
      throw error;
    });
    if (result.changed) {
      await this.activity(async (activities) => {
        // One rating activity per user and part: the latest score.
        await activities.remove({ type: 'rating', userId, partName: part.part_name });
        await activities.record(who, { type: 'rating', partName: part.part_name, params: { score } });
      });
    }
    return result.answer;
  }

  async unrate(who: Identity, name: string) {
    const userId = userOf(who);
    const part = await this.livePart(name);
    const result = await this.change(part, userId, async (tx) => {
      const [row] = await tx.query('SELECT score FROM parts_ratings WHERE part_name = ? AND user_id = ? FOR UPDATE', [part.part_name, userId]);
      if (!row) return NO_CHANGE;
      await tx.query('DELETE FROM parts_ratings WHERE part_name = ? AND user_id = ?', [part.part_name, userId]);
      return { ...NO_CHANGE, rates: -1, rate_sum: -Number(row.score) };
    });
    if (result.changed) await this.activity((activities) => activities.remove({ type: 'rating', userId, partName: part.part_name }));
    return result.answer;
  }

  async star(who: Identity, name: string, on: boolean) {
    const part = await this.livePart(name);
    return (await this.toggle('parts_stars', 'stars', part, userOf(who), on)).answer;
  }

  async watch(who: Identity, name: string, on: boolean) {
    const userId = userOf(who);
    const part = await this.livePart(name);
    const result = await this.toggle('parts_watches', 'watches', part, userId, on);
    if (result.changed) {
      await this.activity((activities) =>
        on
          ? activities.record(who, { type: 'watch', partName: part.part_name, params: { intro: part.short_desc ?? '' } })
          : activities.remove({ type: 'watch', userId, partName: part.part_name }),
      );
    }
    return result.answer;
  }

  /** What `userId` did to the part (on `runner`, inside a transaction, or on the pool). */
  async mine(partName: string, userId: string, runner: Pick<DataSource, 'query'> = this.db): Promise<MySocial> {
    const [row] = await runner.query(
      `SELECT (SELECT score FROM parts_ratings WHERE part_name = ? AND user_id = ?) AS rating,
         EXISTS (SELECT 1 FROM parts_stars WHERE part_name = ? AND user_id = ?) AS starred,
         EXISTS (SELECT 1 FROM parts_watches WHERE part_name = ? AND user_id = ?) AS watching`,
      [partName, userId, partName, userId, partName, userId],
    );
    return { starred: Number(row.starred) === 1, watching: Number(row.watching) === 1, rating: row.rating === null ? null : Number(row.rating) };
  }

  /** A star or a watch: INSERT IGNORE and DELETE say by their affected rows whether anything changed. */
  private toggle(table: 'parts_stars' | 'parts_watches', counter: 'stars' | 'watches', part: LivePart, userId: string, on: boolean) {
    return this.change(part, userId, async (tx) => {
      const result = on
        ? await tx.query(`INSERT IGNORE INTO ${table} (part_name, user_id) VALUES (?, ?)`, [part.part_name, userId])
        : await tx.query(`DELETE FROM ${table} WHERE part_name = ? AND user_id = ?`, [part.part_name, userId]);
      return affectedRows(result) > 0 ? { ...NO_CHANGE, [counter]: on ? 1 : -1 } : NO_CHANGE;
    });
  }

  /**
   * Runs `write` (which locks and changes the user's row, returning the counters'
   * delta) and then, when something changed, the counters and the weight, in one
   * transaction; pushes the result after the commit.
   */
  private async change(part: LivePart, userId: string, write: (tx: QueryRunner) => Promise<Delta>) {
    // The counter row exists before the transaction (zeros count as no activity for the ranking), so inside it
    // the part is locked by a plain row lock and never by an insert's gap and duplicate-key locks.
    await this.db.query('INSERT IGNORE INTO part_forum_stats (part_name) VALUES (?)', [part.part_name]);
    const result = await inTransaction(
      this.db,
      async (tx) => {
        const delta = await write(tx); // 1. the user's row
        if (changed(delta)) {
          // 2. the part's counter row: from here on, changes of this part take turns.
          await tx.query(
            'UPDATE part_forum_stats SET rates = rates + ?, rate_sum = rate_sum + ?, stars = stars + ?, watches = watches + ? WHERE part_name = ?',
            [delta.rates, delta.rate_sum, delta.stars, delta.watches, part.part_name],
          );
          await this.services.reweight?.(tx, this.partsTable, part.part_name);
        }
        const counters = await this.counters(part, tx);
        const me = await this.mine(part.part_name, userId, tx);
        return { changed: changed(delta), answer: { ...counters, me } };
      },
      // ER_DUP_ENTRY: a first rating raced by the same user's other request.
      { retryOn: [1062] },
    );
    // Its connection back in the pool first: the push needs one, and every pooled one may be a change waiting for this part.
    if (result.changed) {
      if (result.answer.weight !== null) await this.services.reweighted?.(Number(part.part_id), result.answer.weight);
      await this.publish(result.answer);
    }
    return result;
  }

  private async counters(part: LivePart, runner: Pick<DataSource, 'query'>): Promise<PartCounters> {
    const [row] = await runner.query(
      `SELECT f.stars, f.watches, f.rates, ${RATE_MEAN} AS rate_mean, (SELECT weight FROM part_weights WHERE part_id = ?) AS weight
       FROM part_forum_stats f WHERE f.part_name = ?`,
      [part.part_id, part.part_name],
    );
    const number = (value: unknown) => (value === null || value === undefined ? null : Number(value));
    return {
      part_name: part.part_name, stars: Number(row?.stars ?? 0), watches: Number(row?.watches ?? 0), rates: Number(row?.rates ?? 0),
      rate_mean: number(row?.rate_mean), weight: number(row?.weight),
    };
  }

  /** The new counters and weight to the part's watchers and its topic; a failure is logged (the change is committed). */
  private async publish({ part_name, stars, watches, rates, rate_mean, weight }: PartCounters): Promise<void> {
    const counters: PartCounters = { part_name, stars, watches, rates, rate_mean, weight };
    try {
      const watchers: { user_id: string }[] = await this.db.query('SELECT user_id FROM parts_watches WHERE part_name = ?', [counters.part_name]);
      await this.services.realtime.toRecipients({ users: watchers.map((w) => w.user_id), topics: [partTopic(counters.part_name)] }, SOCIAL_FRAME, counters);
    } catch (error) {
      this.services.logger.warn({ err: error, part: counters.part_name }, 'could not push a part\'s new counters');
    }
  }

  /** Records or removes an activity; a failure is logged, never the request's (the change is committed). */
  private async activity(run: (activities: Activities) => Promise<unknown>): Promise<void> {
    try {
      const activities = this.services.activities();
      if (!activities) throw new Error('the engine has no activities service');
      await run(activities);
    } catch (error) {
      this.services.logger.warn({ err: error }, 'could not record an activity');
    }
  }
}

/** The caller's user id; RequireAccess('user') lets only callers with one through. */
function userOf(who: Identity): string {
  if (!who.userId || who.role === 'anonymous') throw new BrickyardError('unauthorized', 'sign in first: POST /api/auth/login');
  return who.userId;
}


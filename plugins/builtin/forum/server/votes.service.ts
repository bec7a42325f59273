import { BrickyardError, InjectPluginContext, type Identity, type PluginContext } from '@brickyard/sdk';
import { Injectable } from '@nestjs/common';
import { signedIn } from './caller';
import { ExperiencesService } from './experiences.service';
import { ForumNews } from './forum-news';
import { PartWeight } from './part-weight';
import type { ForumSettings } from './settings';
import { ForumThrottle } from './throttle';
import { affectedRows, inTransaction } from '@brickyard/db';

export interface VoteState {
  experience_id: string;
  votes: number;
  voted: boolean;
}

/**
 * Votes for experiences: one per user and experience (the primary key of
 * forum_votes), never for one's own. The vote row and the counter change in
 * one transaction holding the experience's row, and the counter moves only by
 * what the INSERT IGNORE or DELETE actually changed, so concurrent and repeated
 * votes are counted exactly.
 */
@Injectable()
export class VotesService {
  private readonly throttle: ForumThrottle;
  private readonly weight: PartWeight;

  constructor(
    @InjectPluginContext() private readonly plugin: PluginContext<ForumSettings>,
    private readonly experiences: ExperiencesService,
    private readonly news: ForumNews,
  ) {
    this.throttle = new ForumThrottle(plugin.store);
    this.weight = new PartWeight(plugin);
  }

  async vote(who: Identity, experienceId: string): Promise<VoteState> {
    const user = signedIn(who);
    const experience = await this.experiences.ref(experienceId);
    if (experience.author_id === user.id) throw new BrickyardError('forbidden', 'one cannot vote for one\'s own experience');
    // Voting again for the same experience changes nothing, so it takes no throttle slot.
    const [already] = await this.plugin.database().query('SELECT votes FROM forum_experiences e WHERE id = ? AND EXISTS (SELECT 1 FROM forum_votes v WHERE v.experience_id = e.id AND v.user_id = ?)', [experienceId, user.id]);
    if (already) return { experience_id: experienceId, votes: Number(already.votes), voted: true };
    const seconds = this.plugin.settings.get('FORUM_VOTE_INTERVAL_SECONDS');
    const claim = await this.throttle.claim(`vote:${user.id}`, seconds, `one vote every ${seconds} s`);
    const result = await this.change(experienceId, user.id, true).catch(async (error) => {
      await claim.release();
      throw error;
    });
    if (!result.changed) await claim.release(); // a concurrent request of the same user voted first
    else await this.news.voted(who, experience, result.state.votes);
    return result.state;
  }

  async unvote(who: Identity, experienceId: string): Promise<VoteState> {
    const user = signedIn(who);
    const experience = await this.experiences.ref(experienceId);
    const result = await this.change(experienceId, user.id, false);
    if (result.changed) await this.news.unvoted(who, experience);
    return result.state;
  }

  private change(experienceId: string, userId: string, on: boolean) {
    return inTransaction(this.plugin.database(), async (tx) => {
      const [row] = await tx.query('SELECT part_name FROM forum_experiences WHERE id = ? FOR UPDATE', [experienceId]);
      if (!row) throw new BrickyardError('not_found', `no experience ${experienceId}`);
      const result = on
        ? await tx.query('INSERT IGNORE INTO forum_votes (experience_id, user_id) VALUES (?, ?)', [experienceId, userId])
        : await tx.query('DELETE FROM forum_votes WHERE experience_id = ? AND user_id = ?', [experienceId, userId]);
      const changed = affectedRows(result) > 0;
      if (changed) {
        await tx.query(`UPDATE forum_experiences SET votes = votes ${on ? '+ 1' : '- 1'} WHERE id = ?`, [experienceId]);
        // Votes are no ranking signal today (FORUM_COUNTERS); re-weighting keeps the weight current should they become one.
        await this.weight.reweight(tx, row.part_name);
      }
      const [{ votes }] = await tx.query('SELECT votes FROM forum_experiences WHERE id = ?', [experienceId]);
      return { changed, state: { experience_id: experienceId, votes: Number(votes), voted: on } };
    });
  }
}

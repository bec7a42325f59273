import { InjectPluginContext, type ActivityRecord, type Identity, type PluginContext } from '@brickyard/sdk';
import { Injectable } from '@nestjs/common';
import { signedIn } from './caller';

/** Followed users and watched parts read at most (the activity query's IN lists stay bounded). */
const MAX_FOLLOWED = 5000;
const MAX_WATCHED = 5000;

/**
 * Biohub's timeline: the activities of the users I follow (accounts_follows),
 * and those on the parts I watch (parts_watches) by anyone but me, newest first.
 */
@Injectable()
export class TimelineService {
  constructor(@InjectPluginContext() private readonly plugin: PluginContext) {}

  async timeline(who: Identity, page: { before?: number; limit: number }): Promise<{ items: ActivityRecord[]; next_before: number | null }> {
    const me = signedIn(who);
    const [byUsers, onParts] = await Promise.all([this.followed(me.id), this.watched(me.id)]);
    const items = await this.plugin.activities.list({ byUsers, onParts, exceptUser: me.id, before: page.before, limit: page.limit });
    return { items, next_before: items.length === page.limit ? items[items.length - 1]!.id : null };
  }

  private async followed(userId: string): Promise<string[]> {
    const rows: { id: string }[] = await this.optional(`SELECT followee_id AS id FROM accounts_follows WHERE follower_id = ? LIMIT ${MAX_FOLLOWED}`, [userId]);
    return rows.map((r) => String(r.id));
  }

  private async watched(userId: string): Promise<string[]> {
    const rows: { part_name: string }[] = await this.optional(`SELECT part_name FROM parts_watches WHERE user_id = ? LIMIT ${MAX_WATCHED}`, [userId]);
    return rows.map((r) => r.part_name);
  }

  /** A query on another plugin's table: while that table does not exist (plugin disabled, not migrated), nothing. */
  private async optional(sql: string, params: unknown[]): Promise<any[]> {
    try {
      return await this.plugin.database().query(sql, params);
    } catch (error) {
      if ((error as { code?: string }).code === 'ER_NO_SUCH_TABLE') return [];
      throw error;
    }
  }
}

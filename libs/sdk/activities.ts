import type { Identity } from './identity';

/**
 * Activities: the public record of what users did (Biohub's `Activity`):
 * `experience`, `comment`, `vote`, `rating`, `watch`, or a plugin's own
 * type. They are listed at `/api/activities` (by user, type or part) and make
 * up the timeline of followed users and watched parts.
 */
export interface ActivityInput {
  /** `experience`, `comment`, `vote`, `rating`, `watch`, …: lowercase letters, digits and dashes, at most 32. */
  type: string;
  /** The part it is about, if any. */
  partName?: string | null;
  /** The thing it is about: `{ type: 'experience', id: '12' }`. */
  target?: { type: string; id: string };
  /** Shown with it (e.g. `{ score: 4 }`, `{ title: '…' }`); at most 4 KB as JSON. */
  params?: Record<string, unknown>;
}

export interface Activities {
  /** Records what `actor` (a signed-in user) did. */
  record(actor: Identity, activity: ActivityInput): Promise<void>;
  /**
   * Removes the activities of `type` by `userId` about `target` or
   * `partName` (an unvote, an unwatch, a deleted experience: all types when
   * `type` is absent).
   */
  remove(filter: { type?: string; userId?: string; partName?: string; target?: { type: string; id: string } }): Promise<number>;
  /**
   * Activities newest first: those by `byUsers`, or on `onParts` by anyone but
   * `exceptUser` (a timeline of followed users and watched parts), or all when
   * neither list is given; `before` (an id) pages back.
   */
  list(filter: ActivityQuery): Promise<ActivityRecord[]>;
}

export interface ActivityQuery {
  byUsers?: readonly string[];
  onParts?: readonly string[];
  exceptUser?: string;
  types?: readonly string[];
  before?: number;
  /** At most 100. */
  limit: number;
}

export interface ActivityRecord {
  id: number;
  type: string;
  user: { id: string; username: string };
  part_name: string | null;
  target: { type: string; id: string } | null;
  params: Record<string, unknown>;
  created_at: Date;
}

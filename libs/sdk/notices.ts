/**
 * Notices: messages to users about what happened to things they care about
 * (a comment on their experience, a new experience on a part they watch, a
 * finished design). Stored by the platform; each user reads only their own
 * (`/api/notices`), and their unread count is pushed live to their open
 * websockets (frame `notices.unread`).
 *
 * A message is plain text; a link in it is written `[[text]]((type))((id))`
 * (Biohub's markup), e.g. `[[alice]]((user))((alice))` or
 * `[[BBa_B0034]]((part))((BBa_B0034))`; the browser turns those into links.
 * Use `noticeLink` to write one (it strips the markup's brackets from the text).
 */
export interface NoticeInput {
  /** Shown as the notice's group: Biohub's `Forum`, or a plugin's own (`ABACUS`). At most 64 characters. */
  category: string;
  /** Plain text with `[[text]]((type))((id))` links; at most 2000 characters. */
  message: string;
  /** What the notice is about: `{ type: 'experience', id: '12' }`. */
  target?: NoticeTarget;
  /** The user whose action caused it (never notified of their own action). */
  actorId?: string | null;
  /**
   * With a slug, a notice of the same category, slug, actor and target to the
   * same user is updated (new message, unread again) instead of added: one
   * notice per actor for repeated comments.
   */
  slug?: string;
}

export interface NoticeTarget {
  type: string;
  id: string;
}

export interface Notices {
  /** Sends a notice to each user (the actor excluded); returns how many were added or updated. */
  send(userIds: string | readonly string[], notice: NoticeInput): Promise<number>;
  /** Removes the notices about `target` (with `slug` and `actorId`, only those): an unvote, a deleted comment. */
  remove(filter: { target: NoticeTarget; slug?: string; actorId?: string }): Promise<number>;
}

/** A link in a notice's message: `[[text]]((type))((id))`. */
export function noticeLink(text: string, type: string, id: string | number): string {
  const clean = (value: string) => value.replace(/\[\[|\]\]|\(\(|\)\)/g, ' ');
  return `[[${clean(text)}]]((${clean(type)}))((${clean(String(id))}))`;
}

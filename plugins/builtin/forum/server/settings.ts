import { defineSetting, integer } from '@brickyard/sdk';

/** The forum's settings (section `forum` of GET /api/admin/config). The intervals are Biohub's THROTTLE. */
export const forumSettings = {
  FORUM_EXPERIENCE_INTERVAL_SECONDS: defineSetting({
    default: 86_400, schema: integer(0, 365 * 86_400),
    description: 'Seconds before one user may publish another experience on the same part (Biohub: THROTTLE.experience); sooner is refused with 429. 0 turns it off.',
  }),
  FORUM_POST_INTERVAL_SECONDS: defineSetting({
    default: 15, schema: integer(0, 86_400),
    description: 'Seconds between two posts (experiences and comments) of one user (Biohub: THROTTLE.post); sooner is refused with 429. 0 turns it off.',
  }),
  FORUM_VOTE_INTERVAL_SECONDS: defineSetting({
    default: 15, schema: integer(0, 86_400),
    description: 'Seconds between two votes of one user (Biohub: THROTTLE.vote); sooner is refused with 429. 0 turns it off.',
  }),
  FORUM_ATTACHMENT_MAX_BYTES: defineSetting({
    // MEDIUMBLOB holds 16 MiB, and a row travels in one packet (max_allowed_packet is 16 MiB by default).
    default: 5 * 1024 * 1024, schema: integer(1024, 15 * 1024 * 1024),
    description: 'Largest forum attachment in bytes (PNG, JPEG, GIF, WebP, PDF or text); a larger one is refused with 413.',
  }),
};

export type ForumSettings = typeof forumSettings;

import { boolean, defineSetting, integer } from '@brickyard/sdk';
import { z } from 'zod';

/** Host names or addresses (IPv6 in brackets), each optionally :port, comma-separated: the parts plugin's PARTS_SOURCE_ALLOWED_HOSTS syntax. */
const hostList = z.string().max(2000).regex(
  /^\s*((?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?(?:\s*,\s*(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?)*)?\s*$/,
  'must be host names or addresses (IPv6 in brackets), each optionally with :port, separated by commas',
);

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
  FORUM_REGISTRY_EXPERIENCES: defineSetting({
    default: true, schema: boolean(),
    description: "Read parts' user reviews from the Registry (FORUM_REGISTRY_EXPERIENCES_URL) when their experiences are listed; false: none are fetched (those stored stay).",
  }),
  FORUM_REGISTRY_EXPERIENCES_URL: defineSetting({
    default: 'https://parts.igem.org/Part:{name}:Experience',
    schema: z.string().regex(/^https?:\/\/.*\{name\}/, 'must be an http(s) URL containing {name}'),
    description: "Where a part's user reviews on the Registry are read: its MediaWiki Experience page; {name} is the part name. They are listed as experiences without a local author.",
  }),
  FORUM_REGISTRY_EXPERIENCES_MAX_AGE_DAYS: defineSetting({
    default: 10, schema: integer(1, 3650),
    description: "A part's Registry reviews older than this are fetched again when its experiences are listed (Biohub: 10 days).",
  }),
  FORUM_REGISTRY_EXPERIENCES_TIMEOUT_MS: defineSetting({
    default: 10_000, schema: integer(100, 120_000),
    description: 'How long fetching an Experience page may take before it counts as failed (and is retried later, backing off).',
  }),
  FORUM_REGISTRY_EXPERIENCES_MAX_BYTES: defineSetting({
    default: 2 * 1024 * 1024, schema: integer(1024, 16 * 1024 * 1024),
    description: 'Largest Experience page read, in bytes as sent: a longer one is cut off while it streams and counts as failed.',
  }),
  FORUM_REGISTRY_ALLOWED_HOSTS: defineSetting({
    default: '', schema: hostList,
    description:
      'Hosts FORUM_REGISTRY_EXPERIENCES_URL may reach although they are private, local or link-local (e.g. a local mirror), comma-separated, each optionally host:port; empty (the default): public hosts only. Redirects are checked the same way.',
  }),
};

export type ForumSettings = typeof forumSettings;

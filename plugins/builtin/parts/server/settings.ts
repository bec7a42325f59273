import { boolean, defineSetting, integer } from '@brickyard/sdk';
import { z } from 'zod';

/** The parts plugin's settings (section `parts` of GET /api/admin/config). */
export const partsSettings = {
  PARTS_DEMO_DATA: defineSetting({
    readOnly: true, default: true, schema: boolean(),
    description: 'Import the shipped demo snapshot (100 real Registry parts) at start when the snapshot is empty.',
  }),
  PARTS_SOURCE_URL: defineSetting({
    default: 'https://parts.igem.org/cgi/xml/part.cgi?part={name}',
    schema: z.string().regex(/^https?:\/\/.*\{name\}/, 'must be an http(s) URL containing {name}'),
    description: "Where part pages' extras (parameters, twins, categories) are fetched from: the Registry's per-part XML API; {name} is the part name.",
  }),
  PARTS_EXTRAS_MAX_AGE_DAYS: defineSetting({
    default: 10, schema: integer(1, 3650),
    description: 'Extras older than this are fetched again when the part page is read.',
  }),
  PARTS_EXTRAS_CONCURRENCY: defineSetting({
    default: 4, schema: integer(1, 100),
    description: 'Extras fetches running at once, per HTTP worker.',
  }),
  PARTS_EXTRAS_TIMEOUT_MS: defineSetting({
    default: 10_000, schema: integer(100, 120_000),
    description: 'How long an extras fetch may take before it counts as failed.',
  }),
  PARTS_EXTRAS_MAX_BYTES: defineSetting({
    default: 2 * 1024 * 1024, schema: integer(1024, 16 * 1024 * 1024),
    description: 'Largest extras answer read, in bytes as sent: a longer one is cut off while it streams and counts as failed.',
  }),
  PARTS_SOURCE_ALLOWED_HOSTS: defineSetting({
    default: '',
    schema: z.string().max(2000).regex(
      /^\s*((?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?(?:\s*,\s*(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?)*)?\s*$/,
      'must be host names or addresses (IPv6 in brackets), each optionally with :port, separated by commas',
    ),
    description:
      'Hosts PARTS_SOURCE_URL may reach although they are private, local or link-local (e.g. a local mirror), comma-separated, each optionally host:port; empty (the default): public hosts only. Redirects are checked the same way.',
  }),
  PARTS_SEARCH_TOTALS_CACHE_SECONDS: defineSetting({
    default: 600, schema: integer(0, 86_400),
    description: 'How long the total of a search is kept in Redis (0: counted every time); an import or a ranking makes new totals at once.',
  }),
  PARTS_RANKING_STRATEGY: defineSetting({
    default: 'bayesian' as 'bayesian' | 'classic', schema: z.enum(['bayesian', 'classic']),
    description: 'How part weights are computed: bayesian (default; ratings shrunk toward the mean) or classic (Biohub 2017).',
  }),
  PARTS_RANKING_INTERVAL_MINUTES: defineSetting({
    default: 30, schema: integer(1, 7 * 24 * 60),
    description: 'How often job workers recompute part weights (also done after each import).',
  }),
};

export type PartsSettings = typeof partsSettings;

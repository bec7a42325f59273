import { POPULAR_MAX_WINDOW_HOURS } from '@brickyard/parts';
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
    description: 'How long the total of a listing without words is kept in Redis (0: counted every time); an import or a ranking makes new totals at once. Searches with words are counted exactly by the search index, never kept.',
  }),
  PARTS_SEARCH_SYNC_MS: defineSetting({
    default: 250, schema: integer(20, 5_000),
    description: 'How often each HTTP worker checks for an import, a ranking or a rating its search index has not seen (ms); a change is searchable within about this long (an import: plus the index build).',
  }),
  PARTS_SEARCH_INDEX_WAIT_MS: defineSetting({
    default: 15_000, schema: integer(0, 600_000),
    description: 'How long a search waits for the search index being built (at start, after an import) before answering 503 (ms).',
  }),
  PARTS_RANKING_STRATEGY: defineSetting({
    default: 'bayesian' as 'bayesian' | 'classic', schema: z.enum(['bayesian', 'classic']),
    description: 'How part weights are computed: bayesian (default; ratings shrunk toward the mean) or classic (Biohub 2017).',
  }),
  PARTS_RANKING_INTERVAL_MINUTES: defineSetting({
    default: 30, schema: integer(1, 7 * 24 * 60),
    description: 'How often job workers recompute part weights (also done after each import).',
  }),
  PARTS_IMPORT_TIMEOUT_MS: defineSetting({
    default: 6 * 3_600_000, schema: integer(1000, 24 * 3_600_000),
    description: 'Longest an import (core.parts-import or `parts import`) may run; past it, it stops as a cancelled one does (download, reading and statements stopped, nothing goes live, the lock released) and fails naming this setting.',
  }),
  PARTS_IMPORT_ALLOWED_HOSTS: defineSetting({
    default: '',
    schema: z.string().max(2000).regex(
      /^\s*((?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?(?:\s*,\s*(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?)*)?\s*$/,
      'must be host names or addresses (IPv6 in brackets), each optionally with :port, separated by commas',
    ),
    description:
      'Hosts a dump URL may name although they are private or local (e.g. a mirror on the LAN), comma-separated, each optionally host:port; empty (the default): public hosts only. Every redirect is checked the same way.',
  }),
  PARTS_IMPORT_MAX_DOWNLOAD_BYTES: defineSetting({
    default: 8 * 1024 ** 3, schema: integer(1024, 1024 ** 4),
    description: 'Largest dump download, in bytes as sent (compressed for .gz); a larger one is cut off while it streams and the import fails.',
  }),
  PARTS_IMPORT_DOWNLOAD_TIMEOUT_MS: defineSetting({
    default: 4 * 3_600_000, schema: integer(1000, 24 * 3_600_000),
    description: 'Longest a dump download may take, its whole body included (it streams while the rows are read); past it the import fails.',
  }),
  PARTS_IMPORT_MAX_DECOMPRESSED_BYTES: defineSetting({
    default: 32 * 1024 ** 3, schema: integer(1024, 1024 ** 4),
    description: 'Largest size a .gz dump may decompress to, in bytes.',
  }),
  PARTS_IMPORT_MAX_GZIP_RATIO: defineSetting({
    default: 100, schema: integer(2, 100_000),
    description: 'Largest ratio of decompressed to compressed bytes of a .gz dump (real dumps: under 10; a gzip bomb: about 1000), judged past its first MiB.',
  }),
  PARTS_IMPORT_MAX_STATEMENT_BYTES: defineSetting({
    default: 32 * 1024 ** 2, schema: integer(1024, 1024 ** 3),
    description: "Longest SQL statement of a dump (up to its ';'), or XML row, in bytes; a longer one fails the import instead of being held whole.",
  }),
  PARTS_IMPORT_MAX_FIELD_BYTES: defineSetting({
    default: 8 * 1024 ** 2, schema: integer(1024, 1024 ** 3),
    description: "Longest field value or tag of an XML dump (a real sequence is at most a few hundred KB); a longer one fails the import.",
  }),
  PARTS_UPLOAD_DIR: defineSetting({
    default: '', schema: z.string().max(1000),
    description:
      'Folder where dumps uploaded in the console (POST /api/admin/parts/import/upload) are written; empty (the default): $BRICKYARD_HOME/snapshot-uploads. The import task reads the file there, on whichever host runs it: with job workers on other hosts, make it a folder they all mount at the same path. A file is deleted once its import succeeds and kept after a failure.',
  }),
  PARTS_UPLOAD_MAX_BYTES: defineSetting({
    default: 8 * 1024 ** 3, schema: integer(1024, 1024 ** 4),
    description: 'Largest dump upload, in bytes as sent (compressed for .gz); a larger one is refused with 413 and nothing of it is kept.',
  }),
  PARTS_RATING_INTERVAL_SECONDS: defineSetting({
    default: 15, schema: integer(0, 86_400),
    description: 'Shortest time between two ratings by one user (any parts), as Biohub: a quicker one is refused with 429 saying when to retry; 0: no limit.',
  }),
  PARTS_POPULAR_WINDOW_HOURS: defineSetting({
    default: 48, schema: integer(1, POPULAR_MAX_WINDOW_HOURS),
    description: 'Popular parts (GET /api/parts/popular) are those with the most stars, watches, ratings and views in this many last hours.',
  }),
};

export type PartsSettings = typeof partsSettings;

import { ADMIN, errorResponse, json, type OpenApiPaths } from '@brickyard/sdk';
import { QUERY_PARAMETERS } from './parts-query';

const name = { name: 'name', in: 'path' as const, required: true, description: 'part name, e.g. BBa_B0015', schema: { type: 'string' } };

export const partsOpenApi: OpenApiPaths = {
  '/api/parts': {
    get: {
      tags: ['parts'],
      summary: 'List and search parts',
      description:
        "q takes words and prefixes n: name, t: type, a: author, s: status, c: category, o: order; prefixes never reach the words. Every word must be found (in part_name, nickname, short_desc, categories, author or description); case and accents do not matter, no word is too short (T7, E.) and none is ignored; a part name is found whole or without its BBa_ (I719005). Words are answered by each worker's in-memory index: by relevance × (0.5 + weight) unless sorted, exact totals, and per item `relevance` and `match` {words, fields, highlights: {part_name, short_desc: [[start, end]]}}. Without words, a listing from MySQL. 503 while the index is first built or rebuilt after an import (PARTS_SEARCH_INDEX_WAIT_MS).",
      parameters: Object.entries(QUERY_PARAMETERS).map(([parameter, description]) => ({ name: parameter, in: 'query' as const, description, schema: { type: 'string' } })),
      responses: {
        200: json('a page of parts', { items: [{ part_name: 'BBa_B0015', short_desc: 'double terminator (B0010-B0012)', weight: 0.71 }], page: 1, per_page: 25, total: 98, links: { self: '/api/parts?page=1', next: '/api/parts?page=2' } }),
        400: errorResponse('a bad query, with what is wrong'),
        503: errorResponse('the search index is being built (at start, after an import): retry in a few seconds'),
      },
    },
  },
  '/api/parts/suggest': {
    get: {
      tags: ['parts'],
      summary: 'Suggestions for the search box as the user types: part names (with or without BBa_), part types and common words',
      parameters: [
        { name: 'q', in: 'query', description: 'what is typed so far, e.g. BBa_K11 or K11 or "t7 prom" (types and words complete its last word)', schema: { type: 'string' } },
        { name: 'size', in: 'query', description: '1 to 20 of each kind (default 8)', schema: { type: 'integer' } },
      ],
      responses: {
        200: json('suggestions', { names: [{ part_name: 'BBa_K1100000' }], types: ['Regulatory'], words: [{ word: 'promoter', parts: 41 }] }),
        400: errorResponse('bad size or q'),
        503: errorResponse('the search index is being built'),
      },
    },
  },
  '/api/parts/{name}': {
    get: {
      tags: ['parts'],
      summary: 'A part: fields, features, subparts with positions, used-in, twins, compatibility, weight and its components, extras',
      description: 'When extras are missing or older than PARTS_EXTRAS_MAX_AGE_DAYS, a refresh starts; subscribe to topic parts:<name> for the parts.extras frame.',
      parameters: [name],
      responses: { 200: json('the part'), 404: errorResponse('no such part in the live snapshot') },
    },
  },
  '/api/parts/{name}/export': {
    get: {
      tags: ['parts'],
      summary: 'FASTA or GenBank (with features)',
      parameters: [name, { name: 'format', in: 'query', required: true, description: 'fasta or genbank', schema: { type: 'string', enum: ['fasta', 'genbank'] } }],
      responses: { 200: { description: 'the file', content: { 'text/x-fasta': {}, 'text/x-genbank': {} } }, 400: errorResponse('unknown format'), 404: errorResponse('no such part') },
    },
  },
  '/api/parts/popular': {
    get: {
      tags: ['parts'],
      summary: 'Parts with the most stars, watches, ratings and views in the last PARTS_POPULAR_WINDOW_HOURS (refreshed every minute)',
      parameters: [{ name: 'size', in: 'query', description: '1 to 50 (default 8)', schema: { type: 'integer' } }],
      responses: { 200: json('popular parts', { window_hours: 48, items: [{ part_name: 'BBa_B0034', stars: 3, watches: 1, rates: 2, rate_mean: 4.5, weight: 0.7, recent: { stars: 1, watches: 0, ratings: 1, views: 5, total: 7 } }] }), 400: errorResponse('bad size') },
    },
  },
  ...userParts('stars', 'starred'),
  ...userParts('watches', 'watches'),
  ...social('rating', 'Rate the part (one rating per user and part; at most one every PARTS_RATING_INTERVAL_SECONDS)', 'Remove your rating'),
  ...social('star', 'Star the part (idempotent)', 'Unstar it'),
  ...social('watch', 'Watch the part: its new counters come as frame parts.social (idempotent)', 'Stop watching it'),
  '/api/admin/parts/import': {
    post: {
      tags: ['admin'],
      summary: 'Import a Registry dump as a task (progress on topic task:<id>)',
      security: ADMIN,
      requestBody: { description: 'what to import', content: { 'application/json': { schema: { type: 'object' }, example: { source: '/data/biobricks.sql.gz', abortOnMalformed: false } } } },
      responses: { 202: json('the queued task'), 400: errorResponse('no source') },
    },
  },
  '/api/admin/parts/rank': { post: { tags: ['admin'], summary: 'Recompute weights now, as a task', security: ADMIN, responses: { 202: json('the queued task') } } },
  '/api/admin/parts/imports': { get: { tags: ['admin'], summary: 'Recent imports with counts, malformed rows and diffs', security: ADMIN, responses: { 200: json('imports') } } },
  '/api/admin/parts/import/upload': {
    post: {
      tags: ['admin'],
      summary: 'Upload a Registry dump and import it as a task (docs/snapshot-console.md)',
      description:
        'multipart/form-data: file (.sql or .xml, optionally .gz, judged by content), abortOnMalformed (true|false), socketId. Streamed to PARTS_UPLOAD_DIR; deleted once its import succeeds, kept after a failure.',
      security: ADMIN,
      requestBody: { description: 'the dump', content: { 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' }, abortOnMalformed: { type: 'string', enum: ['true', 'false'] } } } } } },
      responses: { 202: json('the queued task, with upload: {filename, bytes}'), 400: errorResponse('not a dump, or no file'), 413: errorResponse('larger than PARTS_UPLOAD_MAX_BYTES') },
    },
  },
  '/api/admin/parts/imports/{id}/diff': {
    get: {
      tags: ['admin'],
      summary: 'The part names an import added, removed or changed, by name, a page at a time',
      security: ADMIN,
      parameters: [
        { name: 'id', in: 'path' as const, required: true, description: 'import id', schema: { type: 'string' } },
        { name: 'change', in: 'query' as const, required: true, description: 'added, removed or changed', schema: { type: 'string' } },
        { name: 'page', in: 'query' as const, description: 'from 1', schema: { type: 'string' } },
        { name: 'per_page', in: 'query' as const, description: '1 to 200 (default 50)', schema: { type: 'string' } },
      ],
      responses: { 200: json('names', { import_id: 2, change: 'added', counts: { added: 120, removed: 3, changed: 7 }, page: 1, per_page: 50, total: 120, names: ['BBa_B0010'] }), 400: errorResponse('a bad change or page'), 404: errorResponse('no such import') },
    },
  },
  '/api/admin/parts/snapshot': { get: { tags: ['admin'], summary: 'The live snapshot: parts live, the last import, a running import, the last ranking', security: ADMIN, responses: { 200: json('the snapshot') } } },
};

/** GET /api/parts/users/{username}/stars|watches: public, paged, newest first. */
function userParts(what: 'stars' | 'watches', verb: string): OpenApiPaths {
  return {
    [`/api/parts/users/{username}/${what}`]: {
      get: {
        tags: ['parts'],
        summary: `The parts a user ${verb}, newest first (shown on their profile)`,
        parameters: [
          { name: 'username', in: 'path', required: true, description: 'the user', schema: { type: 'string' } },
          { name: 'page', in: 'query', description: 'from 1', schema: { type: 'integer' } },
          { name: 'per_page', in: 'query', description: '1 to 50 (default 10)', schema: { type: 'integer' } },
        ],
        responses: {
          200: json(`the user's ${what}`, { total: 1, page: 1, per_page: 10, items: [{ part_name: 'BBa_B0034', since: '2026-12-01T10:00:00.000Z', short_desc: 'RBS (Elowitz 1999)', part_type: 'RBS', weight: 0.7 }] }),
          400: errorResponse('bad page or per_page'),
          404: errorResponse('no such user'),
        },
      },
    },
  };
}

/** PUT and DELETE /api/parts/{name}/<what>: signed-in users, with the part's counters and `me` in the answer. */
function social(what: string, put: string, remove: string): OpenApiPaths {
  const answer = json("the part's counters and weight, and what you did to it", {
    part_name: 'BBa_B0034', stars: 3, watches: 1, rates: 2, rate_mean: 4.5, weight: 0.7, me: { starred: true, watching: false, rating: 5 },
  });
  const refusals = { 401: errorResponse('not signed in'), 403: errorResponse('a cookie-signed change without X-CSRF-Token'), 404: errorResponse('no such part') };
  return {
    [`/api/parts/{name}/${what}`]: {
      put: {
        tags: ['parts'], summary: put, parameters: [name],
        ...(what === 'rating' ? { requestBody: { description: 'the score', content: { 'application/json': { schema: { type: 'object' }, example: { score: 4 } } } } } : {}),
        responses: { 200: answer, ...refusals, ...(what === 'rating' ? { 400: errorResponse('score is not a whole number from 1 to 5'), 429: errorResponse('rated too recently: says when to retry') } : {}) },
      },
      delete: { tags: ['parts'], summary: remove, parameters: [name], responses: { 200: answer, ...refusals } },
    },
  };
}

import { ADMIN, errorResponse, json, type OpenApiPaths } from '@brickyard/sdk';
import { QUERY_PARAMETERS } from './parts-query';

const name = { name: 'name', in: 'path' as const, required: true, description: 'part name, e.g. BBa_B0015', schema: { type: 'string' } };

export const partsOpenApi: OpenApiPaths = {
  '/api/parts': {
    get: {
      tags: ['parts'],
      summary: 'List and search parts',
      description:
        'q takes words (FULLTEXT relevance blended with weight) and prefixes n: name, t: type, a: author, s: status, c: category, o: order; prefixes never reach the keyword match.',
      parameters: Object.entries(QUERY_PARAMETERS).map(([parameter, description]) => ({ name: parameter, in: 'query' as const, description, schema: { type: 'string' } })),
      responses: {
        200: json('a page of parts', { items: [{ part_name: 'BBa_B0015', short_desc: 'double terminator (B0010-B0012)', weight: 0.71 }], page: 1, per_page: 25, total: 98, links: { self: '/api/parts?page=1', next: '/api/parts?page=2' } }),
        400: errorResponse('a bad query, with what is wrong'),
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
};

// From the SDK, not ../http/openapi-document: that file spreads these paths into the core's.
import { ADMIN, SIGNED_IN, errorResponse as error, json, type OpenApiPaths } from '@brickyard/sdk';

const id = { name: 'id', in: 'path' as const, required: true, description: 'submission id', schema: { type: 'string' } };
const state = { name: 'state', in: 'query' as const, required: false, description: 'invalid, pending, approved, rejected or superseded', schema: { type: 'string' } };

/** The routes of plugin submissions (docs/plugin-submissions.md). */
export const submissionsOpenApi: OpenApiPaths = {
  '/api/plugin-submissions': {
    post: {
      tags: ['plugins'],
      security: SIGNED_IN,
      summary: 'Submit a plugin from a git repository: the ref is fetched into quarantine, its commit pinned and its plugin.json validated',
      requestBody: { description: 'repository URL (https://) and branch, tag or commit', content: { 'application/json': { schema: { type: 'object', required: ['url'], properties: { url: { type: 'string' }, ref: { type: 'string' } } }, example: { url: 'https://github.com/lab/brickyard-notes.git', ref: 'v1.0.0' } } } },
      responses: { 201: json('the submission: state pending, or invalid with the problem'), 400: error('refused URL or ref, unreachable repository, too many or too large files, links'), 401: error('not signed in'), 409: error('the name is installed already or belongs to another user'), 429: error('too many submissions this hour') },
    },
    get: { tags: ['plugins'], security: SIGNED_IN, summary: "The caller's submissions, newest first (admins: everyone's)", parameters: [state], responses: { 200: json('submissions'), 401: error('not signed in') } },
  },
  '/api/plugin-submissions/{id}': { get: { tags: ['plugins'], security: SIGNED_IN, summary: 'A submission with its manifest, requested capabilities, review and file list (its owner or an admin)', parameters: [id], responses: { 200: json('the submission'), 404: error('no such submission of yours') } } },
  '/api/plugin-submissions/{id}/file': { get: { tags: ['plugins'], security: SIGNED_IN, summary: "The text of one of a submission's files", parameters: [id, { name: 'path', in: 'query', required: true, description: 'path inside the plugin', schema: { type: 'string' } }], responses: { 200: json('path, size and text'), 404: error('no such submission or file') } } },
  '/api/admin/plugin-submissions': { get: { tags: ['admin'], summary: 'Every submission, newest first, optionally of one state', security: ADMIN, parameters: [state], responses: { 200: json('submissions'), 403: error('not an admin') } } },
  '/api/admin/plugin-submissions/{id}/approve': {
    post: {
      tags: ['admin'], summary: 'Approve a pending submission: grants only the capabilities given, installs the pinned commit on every host, enables it and reloads the cluster', security: ADMIN, parameters: [id],
      requestBody: { description: 'capabilities to grant (a subset of those requested)', content: { 'application/json': { schema: { type: 'object', properties: { capabilities: { type: 'array', items: { type: 'string' } } } }, example: { capabilities: ['tables:shared_'] } } } },
      responses: { 200: json('the submission, with its plugin status, and the reload report'), 400: error('a capability it does not request'), 409: error('not pending') },
    },
  },
  '/api/admin/plugin-submissions/{id}/reject': {
    post: {
      tags: ['admin'], summary: 'Reject a pending submission with a reason the submitter reads', security: ADMIN, parameters: [id],
      requestBody: { description: 'the reason', content: { 'application/json': { schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string' } } }, example: { reason: 'It writes to every table: ask for tables:notes_ only.' } } } },
      responses: { 200: json('the submission'), 400: error('no reason'), 409: error('not pending') },
    },
  },
};

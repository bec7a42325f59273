import { ADMIN, errorResponse as error, json, type OpenApiOperation, type OpenApiPaths } from '@brickyard/sdk';
import { submissionsOpenApi } from '../submissions/submissions.openapi';

export { ADMIN, error, json, type OpenApiOperation, type OpenApiPaths };

/** The core's own routes. */
export const coreOpenApi: OpenApiPaths = {
  '/api/health': { get: { tags: ['platform'], summary: 'This process: status, generation, plugins and pid', responses: { 200: json('health', { status: 'ok', generation: 12, pid: 4242, plugins: [{ name: 'hello', version: '1.0.0', status: 'active' }] }) } } },
  '/api/plugins': { get: { tags: ['platform'], summary: 'Enabled plugins with title, version, client bundle URL, and why a newer version was refused', responses: { 200: json('plugins') } } },
  '/api/admin/plugins': { get: { tags: ['admin'], summary: 'Every plugin row: desired state and what the cluster reached', security: ADMIN, responses: { 200: json('rows'), 401: error('no or wrong admin token') } } },
  '/api/admin/plugins/{name}/enable': { post: { tags: ['admin'], summary: 'Enable a plugin and reload the cluster', security: ADMIN, parameters: [{ name: 'name', in: 'path', required: true, description: 'plugin name', schema: { type: 'string' } }], responses: { 200: json('the row and the reload report'), 404: error('no such plugin') } } },
  '/api/admin/plugins/{name}/disable': { post: { tags: ['admin'], summary: 'Disable a plugin and reload the cluster', security: ADMIN, parameters: [{ name: 'name', in: 'path', required: true, description: 'plugin name', schema: { type: 'string' } }], responses: { 200: json('the row and the reload report'), 404: error('no such plugin') } } },
  '/api/admin/reload': { post: { tags: ['admin'], summary: 'Converge every process; answers when all report the new generation, or says which did not', security: ADMIN, responses: { 200: json('reload report', { ok: true, generation: 13, converged: [], notConverged: [], departed: [], errors: [], durationMs: 120 }) } } },
  '/api/admin/processes': { get: { tags: ['admin'], summary: 'Live processes of the cluster (every host), with CPU, memory, event-loop lag and uptime', security: ADMIN, responses: { 200: json('processes') } } },
  '/api/admin/reloads': { get: { tags: ['admin'], summary: 'The last reloads, each with the processes it waited for', security: ADMIN, parameters: [{ name: 'limit', in: 'query', description: 'at most 20', schema: { type: 'integer' } }], responses: { 200: json('reloads'), 400: error('bad limit') } } },
  '/api/admin/events': { get: { tags: ['admin'], summary: 'Platform events (reloads, plugin failures, imports, ranking runs), newest first', security: ADMIN, parameters: [{ name: 'page', in: 'query', description: 'from 1', schema: { type: 'integer' } }, { name: 'per_page', in: 'query', description: '1 to 100', schema: { type: 'integer' } }, { name: 'kind', in: 'query', description: 'only events of this kind', schema: { type: 'string', enum: ['reload', 'plugin-failure', 'import', 'ranking'] } }], responses: { 200: json('events'), 400: error('bad paging or kind') } } },
  '/api/admin/config': { get: { tags: ['admin'], summary: 'Every setting with its documentation and effective value (secrets masked)', security: ADMIN, responses: { 200: json('settings') } } },
  '/api/admin/config/{key}': {
    put: { tags: ['admin'], summary: 'Validate, store and apply (by a cluster reload) an override', security: ADMIN, parameters: [{ name: 'key', in: 'path', required: true, description: 'setting key, e.g. SITE_TITLE', schema: { type: 'string' } }], requestBody: { description: 'the new value', content: { 'application/json': { schema: { type: 'object', properties: { value: {} } }, example: { value: 'Parts Lab' } } } }, responses: { 200: json('stored and reloaded'), 400: error('invalid value or read-only setting'), 404: error('no such setting') } },
    delete: { tags: ['admin'], summary: 'Remove an override', security: ADMIN, parameters: [{ name: 'key', in: 'path', required: true, description: 'setting key', schema: { type: 'string' } }], responses: { 200: json('removed and reloaded') } },
  },
  ...submissionsOpenApi,
};

export function openApiDocument(paths: OpenApiPaths, title: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: `${title} API`, version: '1', description: 'Routes of the platform. Plugin routes are under /api/plugins/<name>/.' },
    components: {
      securitySchemes: {
        adminToken: { type: 'http', scheme: 'bearer', description: 'the token in $BRICKYARD_HOME/admin-token' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'brickyard_session', description: 'set by POST /api/auth/login; changes also need the X-CSRF-Token header' },
      },
    },
    paths,
  };
}

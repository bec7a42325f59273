import { ADMIN, error as errorResponse, json, type OpenApiPaths } from './openapi-document';

const id = { name: 'id', in: 'path' as const, required: true, description: 'task id', schema: { type: 'string' } };

export const tasksOpenApi: OpenApiPaths = {
  '/api/tasks': {
    post: {
      tags: ['tasks'],
      summary: 'Submit a task; state and progress are pushed as `task` frames to the owner and topic task:<id>',
      description:
        'Frames go to the owner and to topic `task:<id>`. A client that subscribes to the topic only after this answer can miss frames of a short task ' +
        '(it may have ended already). To receive every frame, send `socketId`: the `socketId` of your websocket\'s `welcome` frame. The task\'s frames ' +
        '(queued, running, progress, the end) are then also sent to that socket from the first, on whichever worker or host it is connected. ' +
        'Do not also subscribe that socket to `task:<id>`, or it receives each frame twice (as do the sockets of a signed-in owner, who get them as user frames already).',
      requestBody: {
        description: 'kind, params, and optionally socketId',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['kind'],
              properties: {
                kind: { type: 'string', description: '`<plugin>.<task>` or a core kind such as `core.noop`' },
                params: { description: "the kind's params" },
                socketId: { type: 'string', description: "the `socketId` of a websocket's `welcome` frame: the task's frames are also sent to that socket" },
              },
            },
            example: { kind: 'hello.count', params: { to: 10 }, socketId: 'q3Z1cFhH0sVwTn7mWk2bRA' },
          },
        },
      },
      responses: { 201: json('the queued task'), 400: errorResponse('unknown kind or invalid params'), 403: errorResponse('the kind is not for this caller (e.g. admin-only)'), 429: errorResponse('too many tasks in progress for this owner') },
    },
    get: { tags: ['tasks'], summary: "The caller's tasks, newest first", responses: { 200: json('tasks') } },
  },
  '/api/tasks/{id}': {
    get: { tags: ['tasks'], summary: 'A task: state, progress, result or error', parameters: [id], responses: { 200: json('the task'), 404: errorResponse('no such task') } },
    delete: { tags: ['tasks'], summary: 'Cancel a queued or running task', parameters: [id], responses: { 200: json('the cancelled task'), 409: errorResponse('already ended') } },
  },
  '/api/admin/tasks': {
    get: {
      tags: ['admin'],
      summary: "Everyone's tasks with filters, and queue counts",
      security: ADMIN,
      parameters: [
        { name: 'state', in: 'query', description: 'queued, running, succeeded, failed, timed_out, cancelled', schema: { type: 'string' } },
        { name: 'kind', in: 'query', description: 'task kind', schema: { type: 'string' } },
        { name: 'limit', in: 'query', description: '1 to 500', schema: { type: 'integer' } },
      ],
      responses: { 200: json('tasks and queue counts') },
    },
  },
};

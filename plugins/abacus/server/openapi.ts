import { errorResponse, json, SIGNED_IN, type OpenApiPaths } from '@brickyard/sdk';

const id = { name: 'id', in: 'path' as const, required: true, description: 'the design, from POST start', schema: { type: 'string' } };
const pdb = (description: string) => ({ description, content: { 'text/plain': { example: 'ATOM      1  N   THR A   1      17.047  14.099   3.625  1.00  0.00           N' } } });
const notYours = errorResponse('no such design, or not yours');

/** ABACUS's routes in /api/docs. */
export const abacusOpenApi: OpenApiPaths = {
  '/api/plugins/abacus/start': {
    post: {
      summary: 'Start a protein sequence design from a backbone',
      description: 'The design runs as the task abacus.design on the queue abacus; its owner gets its live frames and a notice when it ends.',
      tags: ['abacus'],
      security: SIGNED_IN,
      requestBody: {
        description: 'multipart/form-data: file (a PDB file), and optionally sweeps (1–50000), seed, constraints (JSON {keepNative: ["A3"], forbid: "CM", forbidAt: {"A10": "P"}})',
        content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' }, sweeps: { type: 'integer' }, seed: { type: 'integer' }, constraints: { type: 'string' } } } } },
      },
      responses: {
        201: json('{id, query_url}', { id: '6f1c…', query_url: '/api/plugins/abacus/query/6f1c…' }),
        400: errorResponse('not a PDB file, no protein backbone, or bad options'),
        401: errorResponse('not signed in'),
        413: errorResponse('the file or the structure is too large (ABACUS_MAX_UPLOAD_BYTES, ABACUS_MAX_RESIDUES)'),
      },
    },
  },
  '/api/plugins/abacus/query/{id}': {
    get: {
      summary: "A design's status and, once done, its result",
      tags: ['abacus'],
      security: SIGNED_IN,
      parameters: [id],
      responses: {
        200: json('{status: PENDING|RUNNING|SUCCESS|ERROR, id, progress, message, input, output?, result?: {name, engine, native, designed, energy, ss, burial, recovery}, error?}'),
        404: notYours,
      },
    },
  },
  '/api/plugins/abacus/output/{id}': { get: { summary: 'The designed PDB: the same backbone with the designed residue names', tags: ['abacus'], security: SIGNED_IN, parameters: [id], responses: { 200: pdb('the PDB file'), 404: notYours } } },
  '/api/plugins/abacus/input/{id}': { get: { summary: 'The PDB file the design started from', tags: ['abacus'], security: SIGNED_IN, parameters: [id], responses: { 200: pdb('the PDB file'), 404: notYours } } },
};

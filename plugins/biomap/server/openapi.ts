import { errorResponse, json, type OpenApiPaths } from '@brickyard/sdk';

const part = { name: 'part', in: 'path' as const, required: true, description: 'the part, e.g. BBa_B0015', schema: { type: 'string' } };
const example = {
  nodes: [{ id: 'BBa_B0015', group: 100, type: 'Terminator', desc: 'double terminator (B0010-B0012)' }, { id: 'BBa_B0010', group: 99, type: 'Terminator', desc: 'T1 from E. coli rrnB' }],
  edges: [{ source: 'BBa_B0015', target: 'BBa_B0010', value: 1 }],
  too_large: false,
};
const responses = {
  200: json('{nodes: [{id, group, type, desc}], edges: [{source, target, value}], too_large}; group is the depth left below the node, an edge goes from a composite part to a part it is built with', example),
  400: errorResponse('not a part name, or depth out of range'),
  404: errorResponse('no such part in the snapshot'),
};

/** BioMap's routes in /api/docs. */
export const biomapOpenApi: OpenApiPaths = {
  '/api/plugins/biomap/{part}/analyze': {
    get: {
      summary: 'The graph of the parts a part is built from',
      tags: ['biomap'],
      parameters: [part, { name: 'depth', in: 'query', description: 'levels of subparts, 1 to 100 (default 100)', schema: { type: 'integer', minimum: 1, maximum: 100 } }],
      responses,
    },
  },
  '/api/plugins/biomap/{part}/analyze_reverse': {
    get: {
      summary: 'The graph of the parts that use a part',
      description: 'At most BIOMAP_USED_IN_CAP parents per part (the first by name); too_large says some were left out.',
      tags: ['biomap'],
      parameters: [part, { name: 'depth', in: 'query', description: 'levels of users, 1 or 2 (default 2)', schema: { type: 'integer', minimum: 1, maximum: 2 } }],
      responses,
    },
  },
};

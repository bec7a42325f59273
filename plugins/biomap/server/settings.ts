import { defineSetting, integer } from '@brickyard/sdk';

/** BioMap's settings: section "biomap" of GET /api/admin/config, changed at runtime by an admin. */
export const biomapSettings = {
  BIOMAP_USED_IN_CAP: defineSetting({
    default: 100,
    schema: integer(1, 1000),
    description: 'At most this many parents are read per part in the "used in" graph; a part used by more sets too_large.',
  }),
  BIOMAP_MAX_NODES: defineSetting({
    default: 500,
    schema: integer(2, 5000),
    description: 'A graph stops growing at this many nodes and says too_large.',
  }),
};

import type { TaskDefinition } from '@brickyard/sdk';
import { z } from 'zod';

/** Task kinds the engine offers itself, named `core.<task>`. */
export const coreTasks: Record<string, TaskDefinition> = {
  /** Does nothing and returns what it was given: a probe of the task pipeline. */
  'core.noop': {
    access: 'anyone',
    params: z.object({ echo: z.unknown().optional() }).strict(),
    run: (params: { echo?: unknown }) => ({ echo: params.echo ?? null }),
  },
};

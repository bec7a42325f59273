import { defineTask } from '@brickyard/sdk';
import { z } from 'zod';

/** Task "hello.count": counts to `to`, one step every `stepMs`, reporting progress at each step. */
export const countTask = defineTask({
  access: 'anyone',
  params: z.object({ to: z.number().int().min(1).max(1000), stepMs: z.number().int().min(0).max(10_000).default(100) }),
  timeoutMs: 5 * 60_000,
  async run({ to, stepMs }, { progress, signal }) {
    for (let i = 1; i <= to; i++) {
      if (signal.aborted) throw new Error('stopped');
      await new Promise((resolve) => setTimeout(resolve, stepMs));
      await progress((i / to) * 100, `counted ${i} of ${to}`);
    }
    return { counted: to };
  },
});

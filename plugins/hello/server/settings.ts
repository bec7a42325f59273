import { defineSetting } from '@brickyard/sdk';
import { z } from 'zod';

/** The hello plugin's settings: listed under section "hello" of GET /api/admin/config, changed at runtime with PUT. */
export const helloSettings = {
  HELLO_GREETING: defineSetting({
    default: 'Hello',
    schema: z.string().min(1).max(40),
    description: 'The word GET /api/plugins/hello/ greets with.',
  }),
};

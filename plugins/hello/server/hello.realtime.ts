import type { WsHandler } from '@brickyard/sdk';
import { z } from 'zod';

/** Websocket handlers, called as "hello.<name>". */
export const helloWsHandlers: Record<string, WsHandler> = {
  /** Answers with what it was sent. */
  echo: (data) => data,
  /** Sends a message to everyone subscribed to topic "hello:announcements" (a plugin's topics are "<name>:…") (on any worker of any host). */
  announce: {
    params: z.object({ text: z.string().min(1).max(200) }),
    handle: async ({ text }: { text: string }, context) => {
      await context.realtime.toTopic('hello:announcements', 'hello.announcement', { text, from: context.socketId });
      return { sent: true };
    },
  },
};

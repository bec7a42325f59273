import { BrickyardError, type Identity } from '@brickyard/sdk';
import { mayRead, taskTopic, type TaskService } from '@brickyard/tasks';

/** The prefix of the topics only admins may follow (ADMIN_EVENTS_TOPIC is one). */
export const ADMIN_TOPICS = 'admin:';

/**
 * Whether a browser page of `origin` may open a websocket: the server's own
 * origin (the Host the page connected to), or one of WS_ALLOWED_ORIGINS. This
 * is what stops another site's page from riding a signed-in user's cookie.
 */
export function originAllowed(origin: string, host: string | undefined, allowed: string): boolean {
  if (allowed) return allowed.split(',').includes(origin);
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * A task's topic is followed by its owner and admins; anyone else is refused, whether the task exists or not.
 * `admin:` topics (the console's platform events) are for admins only.
 */
export async function authorizeSubscription(tasks: TaskService, identity: Identity, topic: string): Promise<void> {
  if (topic.startsWith(ADMIN_TOPICS)) {
    if (identity.role === 'admin') return;
    throw new BrickyardError('forbidden', `${topic} is followed by admins only`);
  }
  const prefix = taskTopic('');
  if (!topic.startsWith(prefix)) return;
  if (mayRead(await tasks.get(topic.slice(prefix.length)), identity)) return;
  throw new BrickyardError('forbidden', `${topic} is followed by its task's owner and admins only`);
}

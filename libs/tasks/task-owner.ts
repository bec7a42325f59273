import { ownerOf, type Identity, type TaskView } from '@brickyard/sdk';

/** Owner of work the platform starts on its own (scheduled ranking, a plugin's own tasks): never counted against a user. */
export const pluginOwner = (plugin: string) => `plugin:${plugin}`;

/**
 * The identity a task's owner stands for, as its run sees it: `admin`, a plugin
 * (acting with the platform's authority), an anonymous address, or a user.
 */
export function identityOfOwner(owner: string | null): Identity {
  if (!owner) return { userId: null, role: 'anonymous', address: null };
  if (owner === 'admin' || owner.startsWith('plugin:')) return { userId: owner, role: 'admin', address: null };
  if (owner.startsWith('anonymous:')) return { userId: null, role: 'anonymous', address: owner.slice('anonymous:'.length) };
  return { userId: owner, role: 'user', address: null };
}

/** A task is read, cancelled and followed by its owner or an admin; to anyone else it does not exist. */
export function mayRead(task: TaskView | undefined, who: Identity): task is TaskView {
  return !!task && (who.role === 'admin' || task.owner === ownerOf(who));
}

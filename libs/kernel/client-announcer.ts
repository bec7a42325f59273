import { fanoutPublication } from '@brickyard/realtime';
import type { Redis } from 'ioredis';
import * as crypto from 'node:crypto';
import type { PluginListing } from './plugin-listing';

/**
 * The frame every open page gets when GET /api/plugins changed (a plugin
 * enabled, disabled, removed, refused, or its client edited): the page reads
 * the list again and swaps routes, menu entries and slots.
 */
export const PLUGINS_CHANGED_FRAME = 'plugins.changed';

/** Identifies what a process tells browsers about plugins (its GET /api/plugins). */
export function clientsFingerprint(listing: PluginListing[]): string {
  const sorted = [...listing].sort((a, b) => a.name.localeCompare(b.name));
  return crypto.createHash('sha256').update(JSON.stringify(sorted)).digest('base64url');
}

/**
 * Tells every page, once the whole cluster has converged (so whichever worker
 * answers the page's next GET /api/plugins already serves the new list), if
 * what the processes now list differs from what pages were last told. The
 * last fingerprint announced lives in Redis: a reload that changed nothing a
 * page shows (a server edit, a grant) sends nothing.
 */
export async function announceClientChanges(redis: Redis, namespace: string, fingerprints: (string | undefined)[], generation: number): Promise<boolean> {
  const known = fingerprints.filter((f): f is string => f !== undefined);
  if (!known.length) return false;
  // Processes agree unless one failed to converge; the most common answer is what pages will mostly see.
  const counts = new Map<string, number>();
  for (const f of known) counts.set(f, (counts.get(f) ?? 0) + 1);
  const current = [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  const previous = await redis.getset(`${namespace}:plugin-clients`, current);
  if (previous === current) return false;
  const { channel, message } = fanoutPublication(namespace, { everyone: true }, PLUGINS_CHANGED_FRAME, { generation });
  await redis.publish(channel, message);
  return true;
}

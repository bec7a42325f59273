import { fanoutPublication } from '@brickyard/realtime';
import type { Redis } from 'ioredis';
import type { ClientBundle } from './plugin-client-bundles';

/**
 * The frame every open page gets when the plugins' clients changed (one
 * enabled, disabled, removed, or its client edited): the page reads
 * GET /api/plugins again and swaps routes, menu entries and slots.
 */
export const PLUGINS_CHANGED_FRAME = 'plugins.changed';

/** Identifies what a process serves to browsers: each plugin's name and client URL. */
export function clientsFingerprint(bundles: ReadonlyMap<string, ClientBundle>): string {
  return [...bundles].map(([name, bundle]) => `${name}=${bundle.url}`).sort().join(';');
}

/**
 * Tells every page, once the whole cluster has converged (so whichever worker
 * answers the page's next GET /api/plugins already serves the new list), if
 * what the processes now serve differs from what pages were last told. The
 * last fingerprint announced lives in Redis: a reload that changed no client
 * (a server edit, a grant) sends nothing.
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

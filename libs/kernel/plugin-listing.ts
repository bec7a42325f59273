import type { ServedPlugin } from './engine';

/** One plugin as GET /api/plugins lists it to browsers. */
export interface PluginListing {
  name: string;
  title: string;
  version: string;
  description: string | null;
  /** The compiled client's content-hashed URL (the page imports it); null for a plugin without a client. */
  client: string | null;
  /** `failed` when its newest version was refused: `error` says why, and this version keeps serving. */
  status: 'active' | 'failed';
  error: string | null;
}

/** What GET /api/plugins answers; open pages are told when it changes (client-announcer.ts). */
export function pluginListing(plugins: ServedPlugin[]): PluginListing[] {
  return plugins.map((p) => ({
    name: p.name,
    title: p.manifest.title,
    version: p.manifest.version,
    description: p.manifest.description ?? null,
    client: p.client?.url ?? null,
    status: p.status,
    error: p.error,
  }));
}

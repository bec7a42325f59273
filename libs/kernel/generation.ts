import type { MountedWsHandler } from '@brickyard/realtime';
import type { TaskKind } from '@brickyard/tasks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { identityOf } from '@brickyard/sdk';
import { SECURITY_HEADERS } from './http/security-headers';
import type { LoadedPlugin } from './loaded-plugin';
import type { MountedApp } from './mounted-app';

/** Routes a plugin mounts outside `/api/plugins/<name>/` (capability `routes:<path>`), longest first. */
export interface RoutePrefix {
  prefix: string;
  plugin: string;
}

export const PLUGIN_ROUTES_PREFIX = '/api/plugins/';
const ADMIN_PREFIX = '/api/admin/';

function refuseAdmin(req: IncomingMessage, res: ServerResponse): void {
  const anonymous = identityOf(req).role === 'anonymous';
  const status = anonymous ? 401 : 403;
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': String(req.headers['x-request-id'] ?? ''), ...SECURITY_HEADERS });
  res.end(JSON.stringify({ statusCode: status, code: anonymous ? 'unauthorized' : 'forbidden', message: `${req.url?.split('?')[0]} is for admins: send "Authorization: Bearer <token>" with the token in $BRICKYARD_HOME/admin-token`, requestId: req.headers['x-request-id'] }));
}
export const pluginBasePath = (name: string) => `${PLUGIN_ROUTES_PREFIX}${name}`;

/**
 * An immutable, fully built application: the core modules plus a fixed set of
 * plugin versions (docs/architecture.md). It is made of several Nest apps: the core app
 * (core controllers and the libraries' modules) and one app per plugin (its
 * module under `/api/plugins/<name>/`). A reload builds only what changed — the
 * app of each changed plugin, the core app only when the effective config
 * changed — and the new generation reuses the other apps as they are. Rebuilding
 * everything made every reload re-register every route, blocking the serving
 * event loop for tens of milliseconds (docs/benchmarks.md, "Latency while reloading").
 */
export class Generation {
  constructor(
    /** Cluster-wide generation number; advanced without a rebuild when a reload changes nothing. */
    public number: number,
    /** Identifies what was built (config + plugin checksums): equal fingerprints need no rebuild. */
    readonly fingerprint: string,
    /** Identifies what the core app and the plugin apps were built against (the config). */
    readonly coreFingerprint: string,
    readonly plugins: LoadedPlugin[],
    readonly core: MountedApp,
    /** By plugin name; only plugins with server code have one. */
    readonly pluginApps: ReadonlyMap<string, MountedApp>,
    /** Websocket handlers of its plugins, by `<plugin>.<handler>`, each with its plugin's scope. */
    readonly wsHandlers: ReadonlyMap<string, MountedWsHandler>,
    /** Task kinds of its plugins, by kind. */
    readonly tasks: ReadonlyMap<string, TaskKind>,
    /** Granted route prefixes outside `/api/plugins/`, longest first. */
    readonly routes: readonly RoutePrefix[] = [],
  ) {}

  /**
   * `/api/plugins/<name>/…` goes to that plugin's app, a path under a prefix a
   * plugin was granted (`routes:/api/parts`) to that plugin's app, everything
   * else (and unknown plugins) to the core app.
   */
  handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url!;
    if (url.startsWith(PLUGIN_ROUTES_PREFIX)) {
      let end = PLUGIN_ROUTES_PREFIX.length;
      while (end < url.length && url[end] !== '/' && url[end] !== '?') end++;
      const app = this.pluginApps.get(url.slice(PLUGIN_ROUTES_PREFIX.length, end));
      if (app) return app.handle(req, res);
    }
    for (const route of this.routes) {
      if (!url.startsWith(route.prefix)) continue;
      const next = url[route.prefix.length];
      if (next !== undefined && next !== '/' && next !== '?') continue; // `/api/partsx` is not under `/api/parts`
      const app = this.pluginApps.get(route.plugin);
      if (!app) break;
      // A plugin's admin routes are for admins whatever its own guards say: the kernel checks before the plugin runs.
      if (route.prefix.startsWith(ADMIN_PREFIX) && identityOf(req).role !== 'admin') return refuseAdmin(req, res);
      return app.handle(req, res);
    }
    this.core.handle(req, res);
  }

  /** The app this generation runs for exactly this plugin version, if any. */
  appOf(plugin: LoadedPlugin): MountedApp | undefined {
    return this.plugins.includes(plugin) ? this.pluginApps.get(plugin.name) : undefined;
  }

  /** The apps of this generation that `next` does not reuse (all of them when `next` is absent). */
  appsReplacedBy(next?: Generation): MountedApp[] {
    const kept = new Set<MountedApp>(next ? [next.core, ...next.pluginApps.values()] : []);
    return [this.core, ...this.pluginApps.values()].filter((app) => !kept.has(app));
  }
}

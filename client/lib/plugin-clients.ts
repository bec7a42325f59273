import { reactive, readonly } from 'vue';
import type { RouteRecordRaw, Router } from 'vue-router';
import { api } from './api';
import { isClientPlugin, pluginPath, slotEntriesOf, type ClientPluginDefinition } from './plugin-contract';
import { useRealtime } from './realtime';
import { register, unregister, type SlotEntry } from './registry';

/** One entry of GET /api/plugins. */
export interface PluginInfo {
  name: string;
  title: string;
  version: string;
  description: string | null;
  /** The compiled client's URL (content-hashed), or null for a plugin without a client. */
  client: string | null;
  /** `failed` when its newest version was refused: `error` says why, and the previous version serves. */
  status: 'active' | 'failed';
  error: string | null;
}

/** The frame the server sends every page when plugins' clients changed (libs/kernel/client-announcer.ts). */
export const PLUGINS_CHANGED_FRAME = 'plugins.changed';

const state = reactive({
  /** False until the first list is applied: a plugin page opened directly waits for it instead of saying "gone". */
  ready: false,
  plugins: [] as PluginInfo[],
  /** Clients this page could not import or run, by plugin: the version it had keeps working. */
  loadErrors: {} as Record<string, string>,
  /** Set when GET /api/plugins failed; retried at the next change frame or reconnect. */
  listError: null as string | null,
});

/** What the page knows of plugins, read-only: the server's list, and clients that did not load here. */
export const pluginClients = readonly(state);

/** What this page mounted for each plugin, to take it all away again. */
const mounted = new Map<string, { url: string; removeRoutes: (() => void)[] }>();

function mount(router: Router, plugin: PluginInfo, definition: ClientPluginDefinition): void {
  const url = plugin.client!;
  const removeRoutes = (definition.routes ?? []).map((route) =>
    router.addRoute({
      ...route,
      path: pluginPath(plugin.name, route.path),
      // Names are the plugin's own: prefixed so that two plugins may both name a route "detail".
      name: route.name ? `${plugin.name}.${String(route.name)}` : undefined,
      meta: { title: plugin.title, ...route.meta, plugin: plugin.name, pluginVersion: url },
    } as RouteRecordRaw),
  );
  const slots: Record<string, Omit<SlotEntry, 'owner'>[]> = {};
  for (const [slot, value] of Object.entries(definition.slots ?? {})) {
    slots[slot] = slotEntriesOf(value).map((entry, index) => ({
      key: entry.key ?? String(index),
      // The bundle's URL names its content: a new build remounts the component, a server-only change does not.
      version: url,
      title: entry.title ?? plugin.title,
      component: entry.component,
      order: entry.order,
    }));
  }
  register(plugin.name, {
    menu: (definition.menu ?? []).map((entry) => ({ title: entry.title, to: pluginPath(plugin.name, entry.to), icon: entry.icon, order: entry.order ?? 50 })),
    slots,
  });
  mounted.set(plugin.name, { url, removeRoutes });
}

function unmount(name: string): void {
  for (const remove of mounted.get(name)?.removeRoutes ?? []) remove();
  unregister(name);
  mounted.delete(name);
}

/** Imports a plugin's client; the page's import map gives it the host's vue, vue-router and @brickyard/client. */
async function importClient(plugin: PluginInfo): Promise<ClientPluginDefinition> {
  const module = await import(/* @vite-ignore */ plugin.client!);
  if (!isClientPlugin(module.default)) throw new Error(`its client does not default-export defineClientPlugin({ routes, menu, slots })`);
  return module.default;
}

/**
 * Brings the page to the server's list: imports the clients that are new or
 * changed (all at once), then swaps them in one go and takes away those of
 * plugins that left. A client that fails to import leaves the version the
 * page had. Routes changed under the page shown are re-resolved: removeRoute
 * and addRoute alone leave the old component on screen.
 */
async function apply(router: Router): Promise<void> {
  let list: PluginInfo[];
  try {
    list = await api.get<PluginInfo[]>('/api/plugins');
    state.listError = null;
  } catch (error) {
    state.listError = (error as Error).message;
    state.ready = true;
    return;
  }
  const wanted = new Map(list.filter((p) => p.client).map((p) => [p.name, p]));
  const changed = [...wanted.values()].filter((p) => mounted.get(p.name)?.url !== p.client);
  const imported = await Promise.all(
    changed.map((plugin) =>
      importClient(plugin).then(
        (definition) => ({ plugin, definition }),
        (error: unknown) => ({ plugin, error: error instanceof Error ? error.message : String(error) }),
      ),
    ),
  );
  const touched = new Set<string>();
  for (const name of [...mounted.keys()]) {
    if (wanted.has(name)) continue;
    unmount(name);
    touched.add(name);
  }
  // Every client that failed is tried again at each refresh (it is "changed"), so old errors are recomputed.
  const loadErrors: Record<string, string> = {};
  for (const result of imported) {
    const name = result.plugin.name;
    if ('error' in result) {
      loadErrors[name] = result.error;
      console.warn(`[brickyard] the client of plugin ${name} did not load; the page keeps the one it had:`, result.error);
      continue;
    }
    unmount(name);
    try {
      mount(router, result.plugin, result.definition);
    } catch (error) {
      unmount(name);
      loadErrors[name] = (error as Error).message;
    }
    touched.add(name);
  }
  state.plugins = list;
  state.loadErrors = loadErrors;
  state.ready = true;
  // The first list may arrive while the first navigation is still resolving (to the "plugin missing" page, say):
  // wait for it, or the page would stay on what it resolved before the plugin's routes existed.
  await router.isReady().catch(() => {});
  const current = router.currentRoute.value;
  const shown = current.meta.plugin as string | undefined;
  if ((shown && touched.has(shown)) || current.name === 'plugin-missing') {
    await router.replace({ path: current.path, query: current.query, hash: current.hash, force: true });
  }
}

let running: Promise<void> | undefined;
let again = false;

/** Applies the server's list; calls during a run are folded into one more run after it. */
export function refreshPluginClients(router: Router): Promise<void> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    do {
      again = false;
      await apply(router);
    } while (again);
  })().finally(() => (running = undefined));
  return running;
}

let started = false;

/**
 * Loads the plugins' clients into the page and follows them: the server's
 * change frame, or a reconnect (a frame may have been missed), makes the page
 * read the list again. Returns when the first list is applied.
 */
export function startPluginClients(router: Router): Promise<void> {
  if (!started) {
    started = true;
    const realtime = useRealtime();
    realtime.on(PLUGINS_CHANGED_FRAME, () => void refreshPluginClients(router));
    realtime.on('welcome', () => {
      if (realtime.opens > 1) void refreshPluginClients(router);
    });
  }
  return refreshPluginClients(router);
}

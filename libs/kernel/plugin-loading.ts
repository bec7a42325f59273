import { isPluginDefinition } from '@brickyard/sdk';
import { coreTasks } from '@brickyard/tasks';
import { missingCapability } from './capabilities';
import type { DiscoveredPlugin } from './discovery';
import type { LoadedPlugin } from './loaded-plugin';
import { compilePlugin } from './plugin-compiler';
import { loadPluginModule, unloadPluginModule } from './plugin-module-loader';

/**
 * What a plugin may use: built-in plugins get what they request; others what an
 * operator granted (plus nothing they did not request: a grant without a
 * request is kept but unused until the manifest asks for it).
 */
export function effectiveGrants(found: Pick<DiscoveredPlugin, 'builtin' | 'manifest'>, stored: ReadonlySet<string> | undefined): Set<string> {
  const requested = found.manifest?.capabilities ?? [];
  return new Set(found.builtin ? requested : requested.filter((c) => stored?.has(c)));
}

/** Refuses a plugin whose manifest requests capabilities that are not granted, naming each and how to grant it. */
export function checkRequestedCapabilities(found: DiscoveredPlugin, granted: ReadonlySet<string>): void {
  const missing = (found.manifest?.capabilities ?? []).filter((c) => !granted.has(c));
  if (!missing.length) return;
  throw new Error(missing.map((c) => missingCapability(found.name, c, 'not mounted', true)).join('; '));
}

/**
 * Compiles (or takes from the build cache) and requires a plugin's server code,
 * and checks what only the code says: a `core.` task kind needs `tasks:core`.
 * On failure, what was loaded is unloaded again.
 */
export async function loadPlugin(found: DiscoveredPlugin, checksum: string, cacheDir: string, granted: ReadonlySet<string>): Promise<LoadedPlugin> {
  const manifest = found.manifest!;
  const requested = new Set(manifest.capabilities ?? []);
  const plugin: LoadedPlugin = { name: found.name, manifest, dir: found.dir, checksum, builtin: found.builtin, requested, granted };
  if (!manifest.server) return plugin; // client-only plugin
  const buildDir = await compilePlugin(found.dir, found.name, checksum, cacheDir);
  const entry = manifest.server.replace(/\.(c|m)?ts$/, '.js');
  const code = loadPluginModule(buildDir, found.dir, entry, { platformLibraries: found.builtin });
  try {
    const exported = (code.exports as { default?: unknown })?.default ?? code.exports;
    if (!isPluginDefinition(exported)) {
      throw new Error(`${manifest.server} must \`export default definePlugin({ module, … })\` from '@brickyard/sdk'`);
    }
    for (const key of Object.keys(exported.tasks ?? {})) {
      if (key.startsWith('core.') && !granted.has('tasks:core')) {
        throw new Error(missingCapability(found.name, 'tasks:core', `task kind ${key} is in the core's namespace`, requested.has('tasks:core')));
      }
      if (Object.hasOwn(coreTasks, key)) throw new Error(`task kind ${key} is the engine's own: name yours differently`);
    }
    plugin.code = code;
    plugin.definition = exported;
    return plugin;
  } catch (error) {
    unloadPluginModule(code);
    throw error;
  }
}

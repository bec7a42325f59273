import * as fs from 'node:fs';
import * as path from 'node:path';
import { readManifest, type PluginManifest } from './manifest';
import { reservedNameReason } from './reserved-names';

/** A plugin folder found on disk: either a valid manifest, or the reason it cannot be used. */
export interface DiscoveredPlugin {
  /** The key of the plugin everywhere (table row, routes): the folder name. */
  name: string;
  dir: string;
  manifest?: PluginManifest;
  error?: string;
  /** Found in the platform's own folder of built-in plugins. */
  builtin: boolean;
}

/** The platform's built-in plugins (parts, ranking, …): loaded like any other, granted what they request. */
export const BUILTIN_PLUGINS_DIR = path.resolve(__dirname, '..', '..', 'plugins', 'builtin');

const IGNORED = /^[._]|^node_modules$/;

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Lists the plugin folders of every PLUGINS_DIR folder. A folder whose manifest
 * is invalid, whose name differs from the folder, or whose name is used by
 * another folder is returned with an error instead of being skipped silently.
 */
export function discoverPlugins(dirs: string[], builtinDir: string | null = BUILTIN_PLUGINS_DIR): DiscoveredPlugin[] {
  dirs = builtinDir ? [builtinDir, ...dirs.filter((dir) => path.resolve(dir) !== builtinDir)] : dirs;
  const found: DiscoveredPlugin[] = [];
  for (const root of dirs) {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(root, { withFileTypes: true });
    } catch {
      continue; // a missing PLUGINS_DIR folder simply holds no plugins
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const dir = path.join(root, entry.name);
      if (IGNORED.test(entry.name) || !isDirectory(dir)) continue; // follows symlinks
      if (!fs.existsSync(path.join(dir, 'plugin.json'))) continue; // not a plugin (yet): e.g. a folder being copied
      const plugin: DiscoveredPlugin = { name: entry.name, dir, builtin: root === builtinDir };
      try {
        plugin.manifest = readManifest(dir);
        if (plugin.manifest.name !== entry.name) {
          plugin.error = `plugin.json names the plugin "${plugin.manifest.name}" but its folder is "${entry.name}": rename one so they match`;
        } else if (!plugin.builtin) {
          plugin.error = reservedNameReason(entry.name);
        }
      } catch (error) {
        plugin.error = (error as Error).message;
      }
      found.push(plugin);
    }
  }
  const byName = new Map<string, DiscoveredPlugin[]>();
  for (const plugin of found) byName.set(plugin.name, [...(byName.get(plugin.name) ?? []), plugin]);
  for (const [name, same] of byName) {
    if (same.length < 2) continue;
    for (const plugin of same) {
      plugin.error = `duplicate plugin name "${name}": found in ${same.map((p) => p.dir).join(' and ')}; remove or rename all but one`;
    }
  }
  // One entry per name: the duplicates share their error.
  return [...byName.values()].map((same) => same[0]);
}

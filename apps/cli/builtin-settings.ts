import type { Setting } from '@brickyard/config';
import { BUILTIN_PLUGINS_DIR } from '@brickyard/kernel';
import type { PluginSetting } from '@brickyard/sdk';
import * as fs from 'node:fs';
import * as path from 'node:path';

const isPluginSetting = (value: unknown): value is PluginSetting =>
  typeof value === 'object' && value !== null && 'description' in value && 'schema' in value && 'default' in value;

/**
 * The built-in plugins' settings, for the README's table: each built-in keeps
 * its declarations in `server/settings.ts` (an exported object of
 * defineSetting), listed under the plugin's name, in folder order.
 */
export async function builtinPluginSettings(): Promise<Setting[]> {
  const rows: Setting[] = [];
  for (const plugin of fs.readdirSync(BUILTIN_PLUGINS_DIR).sort()) {
    const file = path.join(BUILTIN_PLUGINS_DIR, plugin, 'server', 'settings.ts');
    if (!fs.existsSync(file)) continue;
    const module = (await import(file)) as Record<string, unknown>;
    for (const declarations of Object.values(module)) {
      if (typeof declarations !== 'object' || declarations === null) continue;
      for (const [key, setting] of Object.entries(declarations)) {
        if (isPluginSetting(setting)) rows.push({ ...setting, key, section: plugin });
      }
    }
  }
  return rows;
}

import { settings } from '@brickyard/config';
import { settingPrefix } from '@brickyard/sdk';

/**
 * The core's own tables. A plugin's scope never covers them, whatever its name
 * or its grants of `tables:<prefix>`: they are the engine's state (grants,
 * desired plugins, tasks) and the parts plugin's (it has `database`).
 */
export const CORE_TABLES = new Set([
  'migrations', 'plugins', 'plugin_migrations', 'plugin_grants', 'config_overrides', 'tasks', 'snapshot_imports',
  'parts', 'part_weights', 'part_extras', 'part_forum_stats', 'ranking_state', 'ranking_forum', 'notices', 'activities', 'platform_events',
  'plugin_submissions', 'plugin_submission_files',
]);

/** Names whose prefixes would cover the core's namespaces: task kinds (`core.`), topics (`task:`), routes, tables. */
const RESERVED = new Set(['core', 'task', 'tasks', 'plugin', 'plugins', 'api', 'admin', 'config', 'part', 'ranking', 'snapshot', 'migrations', 'ws', 'welcome', 'notices', 'activities']);

/**
 * Why a third-party plugin may not have this name, or undefined. Its table
 * prefix (`<name>_`), setting prefix (`<NAME>_`), task kinds (`<name>.`) and
 * topics (`<name>:`) must not cover anything of the core's.
 */
export function reservedNameReason(name: string): string | undefined {
  if (RESERVED.has(name)) return `"${name}" is reserved by the platform: choose another plugin name`;
  const tables = `${name.replace(/-/g, '_')}_`;
  const table = [...CORE_TABLES].find((t) => t.startsWith(tables));
  if (table) return `a plugin named "${name}" would own the core table ${table} (its tables are ${tables}…): choose another name`;
  const prefix = settingPrefix(name);
  const setting = settings.find((s) => s.key.startsWith(prefix));
  if (setting) return `a plugin named "${name}" would own the core setting ${setting.key} (its settings are ${prefix}…): choose another name`;
  return undefined;
}

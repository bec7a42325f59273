import { type Config, findSetting, parseSettingValue, type Setting } from '@brickyard/config';
import { settingPrefix, type PluginDefinition, type PluginSettings } from '@brickyard/sdk';

/** A plugin setting as the config sees it: the core's declaration shape, in the plugin's section. */
export type PluginSettingsView = Setting & { plugin: string };

/**
 * The declarations of a plugin's settings in the core's shape. Keys must start
 * with the plugin's name in capitals (`HELLO_…`), so plugins never shadow the
 * core's or each other's; values from the environment are checked here, so a
 * bad one refuses the plugin with the setting's name instead of failing the reload.
 */
export function pluginSettingDeclarations(plugin: string, definition: PluginDefinition | undefined, env: NodeJS.ProcessEnv): PluginSettingsView[] {
  const prefix = settingPrefix(plugin);
  const declared: PluginSettingsView[] = [];
  for (const [key, setting] of Object.entries(definition?.settings ?? {})) {
    if (!key.startsWith(prefix) || key.length === prefix.length) {
      throw new Error(`setting ${key} must be named ${prefix}<NAME>: a plugin's settings start with its name in capitals`);
    }
    if (findSetting(key)) throw new Error(`setting ${key} is the core's: a plugin cannot declare it`);
    const view: PluginSettingsView = {
      plugin,
      key,
      section: plugin,
      description: setting.description,
      schema: setting.schema,
      default: setting.default,
      readOnly: setting.readOnly,
      secret: setting.secret,
    };
    parseSettingValue(view, setting.default, 'default');
    if (env[key] !== undefined && env[key] !== '') parseSettingValue(view, env[key], 'from the environment');
    declared.push(view);
  }
  return declared;
}

/**
 * A plugin's typed view of its own settings (`declared`: their defaults by key)
 * in the current config. A version still finishing its requests after it was
 * disabled, whose settings the config no longer holds, reads their defaults.
 */
export function pluginSettings(plugin: string, declared: ReadonlyMap<string, unknown>, config: () => Config): PluginSettings {
  return {
    get: (key: string) => {
      if (!declared.has(key)) throw new Error(`plugin ${plugin} declares no setting ${key}`);
      return (config().find(key) ? config().value(key) : declared.get(key)) as never;
    },
  };
}

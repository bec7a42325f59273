export { Config, ConfigError, findSetting, parseSettingValue, type SettingView, type SettingValue } from './config';
export { settings, type SettingKey } from './settings';
export type { Setting } from './setting';
export { brickyardHome, ensurePrivateDir, adminTokenPath, pidFilePath, ensureAdminToken, readAdminToken } from './home';
export { pluginDirs } from './plugin-dirs';
export { ConfigOverridesRepository, type Queryable } from './config-overrides.repository';
export { renderSettingsTable, replaceSettingsTable } from './settings-table';

import type { Setting } from './setting';
import { settings } from './settings';

export const TABLE_START = '<!-- settings-table:start -->';
export const TABLE_END = '<!-- settings-table:end -->';

function defaultText(setting: Setting): string {
  if (setting.defaultDoc) return setting.defaultDoc;
  if (setting.secret && typeof setting.default === 'string' && /:\/\/[^@/]*:[^@/]*@/.test(setting.default)) return '(secret)';
  if (setting.default === '') return '(empty)';
  return `\`${String(setting.default)}\``;
}

/**
 * The README's configuration table, rendered from the declarations: the
 * core's, then `plugins`' (the built-in plugins' settings, as Settings whose
 * section is the plugin).
 */
export function renderSettingsTable(plugins: readonly Setting[] = []): string {
  const rows = [...(settings as readonly Setting[]), ...plugins].map((s) => {
    const flags = [s.readOnly ? 'read-only' : 'runtime', s.secret ? 'secret' : ''].filter(Boolean).join(', ');
    return `| \`${s.key}\` | ${s.section} | ${defaultText(s)} | ${flags} | ${s.description.replace(/\|/g, '\\|')} |`;
  });
  return [TABLE_START, '_Generated from the declarations by `npx brickyard config table --write README.md`._', '', '| setting | section | default | changeable | description |', '|---|---|---|---|---|', ...rows, TABLE_END].join('\n');
}

/** Replaces the table between the markers in `text`. */
export function replaceSettingsTable(text: string, plugins: readonly Setting[] = []): string {
  const start = text.indexOf(TABLE_START);
  const end = text.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`the markers ${TABLE_START} … ${TABLE_END} are missing`);
  return text.slice(0, start) + renderSettingsTable(plugins) + text.slice(end + TABLE_END.length);
}

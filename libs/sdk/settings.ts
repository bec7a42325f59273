import { z, type ZodType } from 'zod';

/**
 * A plugin setting, declared as the core declares its own: the key is the
 * environment variable (it must start with the plugin's name in capitals,
 * `HELLO_GREETING` for plugin `hello`), the section is the plugin's name.
 * Admins see it in `GET /api/admin/config` and override it at runtime unless
 * it is read-only; a change is applied by a reload.
 */
export interface PluginSetting<T = unknown> {
  description: string;
  /** Validates and coerces a raw value (from the environment, a string; from the admin API, JSON). */
  schema: ZodType<T>;
  default: T;
  /** Read from the environment only. */
  readOnly?: boolean;
  /** Masked wherever it is listed. */
  secret?: boolean;
}

export type PluginSettingDeclarations = Record<string, PluginSetting<any>>;

type ValueOf<S> = S extends PluginSetting<infer T> ? T : never;

/** A plugin's own settings, typed by its declarations. */
export interface PluginSettings<S extends PluginSettingDeclarations = PluginSettingDeclarations> {
  get<K extends keyof S & string>(key: K): ValueOf<S[K]>;
}

/** Declares a setting with its type inferred from the schema. */
export function defineSetting<T>(setting: PluginSetting<T>): PluginSetting<T> {
  return setting;
}

/** The environment prefix of a plugin's settings: `lab-notes` → `LAB_NOTES_`. */
export const settingPrefix = (plugin: string) => `${plugin.toUpperCase().replace(/-/g, '_')}_`;

/** Schemas for settings: environment values are strings, and these coerce them. */
export const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
export const boolean = () =>
  z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v))]);
export const text = () => z.string().min(1);

import { z } from 'zod';
import type { Setting } from './setting';
import { settings, type SettingKey } from './settings';

type SettingOf<K extends SettingKey> = Extract<(typeof settings)[number], { key: K }>;
export type SettingValue<K extends SettingKey> = SettingOf<K> extends Setting<infer T> ? T : never;

export type ValueSource = 'default' | 'environment' | 'override';

export interface SettingView {
  key: string;
  section: string;
  description: string;
  value: unknown;
  default: unknown;
  source: ValueSource;
  readOnly: boolean;
  secret: boolean;
  /** The values it may take, when they are a fixed list (a z.enum): the console offers them as a choice. */
  choices?: string[];
}

/** The options of an enum schema (z.enum), or undefined. */
function choicesOf(schema: unknown): string[] | undefined {
  return schema instanceof z.ZodEnum ? (schema.options as unknown[]).map(String) : undefined;
}

export class ConfigError extends Error {}

const byKey = new Map<string, Setting>(settings.map((s) => [s.key, s as Setting]));

export function findSetting(key: string): Setting | undefined {
  return byKey.get(key);
}

function defaultOf(setting: Setting): unknown {
  return typeof setting.default === 'function' ? (setting.default as () => unknown)() : setting.default;
}

function explain(error: z.ZodError): string {
  return error.issues.map((i) => i.message).join('; ');
}

/** Validates one raw value for a setting; throws a ConfigError naming the setting and the rule it broke. */
export function parseSettingValue(setting: Setting, raw: unknown, origin: string): unknown {
  const parsed = setting.schema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`${setting.key} ${origin} is invalid (${JSON.stringify(raw)}): ${explain(parsed.error)}`);
  }
  return parsed.data;
}

/**
 * The effective configuration of one process: defaults, then environment, then
 * admin overrides (which never apply to read-only settings). Immutable: a reload
 * builds a new Config.
 */
export class Config {
  private readonly values = new Map<string, { value: unknown; source: ValueSource }>();
  private readonly declared: readonly Setting[];

  /**
   * `extra` are settings declared by plugins (section = the plugin's name): read
   * from the environment and overrides like the core's. An invalid environment
   * value of one throws a ConfigError naming it.
   */
  constructor(env: NodeJS.ProcessEnv = process.env, overrides: Record<string, unknown> = {}, extra: readonly Setting[] = []) {
    this.declared = [...(settings as readonly Setting[]), ...extra];
    for (const setting of this.declared) {
      let entry: { value: unknown; source: ValueSource } = { value: defaultOf(setting), source: 'default' };
      const fromEnv = env[setting.key];
      if (fromEnv !== undefined && fromEnv !== '') {
        entry = { value: parseSettingValue(setting, fromEnv, 'from the environment'), source: 'environment' };
      }
      if (!setting.readOnly && Object.hasOwn(overrides, setting.key)) {
        try {
          entry = { value: parseSettingValue(setting, overrides[setting.key], 'override'), source: 'override' };
        } catch {
          // A stored override that a newer declaration no longer accepts is ignored, not fatal:
          // the admin API shows the effective value, and the override can be replaced.
        }
      }
      this.values.set(setting.key, entry);
    }
  }

  get<K extends SettingKey>(key: K): SettingValue<K> {
    return this.values.get(key)!.value as SettingValue<K>;
  }

  /** The value of any declared setting, core or plugin (untyped: plugins read theirs through their typed settings). */
  value(key: string): unknown {
    return this.values.get(key)?.value;
  }

  /** The declaration of a core or plugin setting. */
  find(key: string): Setting | undefined {
    return this.declared.find((s) => s.key === key);
  }

  /** Every setting with its documentation, core first, then plugins' by section; secrets masked. */
  describe(): SettingView[] {
    return this.declared.map((setting) => {
      const { value, source } = this.values.get(setting.key)!;
      const mask = (v: unknown) => (setting.secret ? '********' : v);
      return {
        key: setting.key,
        section: setting.section,
        description: setting.description,
        value: mask(value),
        default: setting.defaultDoc ?? mask(defaultOf(setting)),
        source,
        readOnly: !!setting.readOnly,
        secret: !!setting.secret,
        ...(choicesOf(setting.schema) ? { choices: choicesOf(setting.schema) } : {}),
      };
    });
  }
}

import { z } from 'zod';

/** One configuration setting, declared once: everything else (env parsing, the admin API, the README table) reads this. */
export interface Setting<T = unknown> {
  key: string;
  section: string;
  description: string;
  /** Validates and coerces a raw value (from the environment, a string; from the admin API, JSON). */
  schema: z.ZodType<T>;
  /** The default, or a function computing it from the environment (e.g. core count). */
  default: T | (() => T);
  /** How the default reads in docs when it is computed. */
  defaultDoc?: string;
  /** Read-only settings come from the environment only; admins cannot override them at runtime. */
  readOnly?: boolean;
  /** Secret settings are masked wherever they are listed. */
  secret?: boolean;
}

/** Keeps the key's literal type, so `config.get('PORT')` is typed by the setting's schema. */
export function defineSetting<K extends string, T>(setting: Setting<T> & { key: K }): Setting<T> & { key: K } {
  return setting;
}

/** Environment values are strings: these schemas coerce them (shared with plugins' settings). */
export { boolean, integer, text } from '@brickyard/sdk';

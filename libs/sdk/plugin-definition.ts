import type { Type } from '@nestjs/common';
import type { MigrationInterface } from 'typeorm';
import type { WsHandler } from './realtime';
import type { TaskDefinition } from './tasks';

export type PluginMigration = new () => MigrationInterface;

/** What a plugin's server entry default-exports (DESIGN.md §6). */
export interface PluginDefinition {
  /** The plugin's root Nest module; its controllers mount under `/api/plugins/<name>/`. */
  module: Type<unknown>;
  /** TypeORM entity classes; inject their repositories with `@InjectRepository(Entity)`. */
  entities?: Function[];
  /** TypeORM migrations of the plugin's own tables (prefixed `<name>_`), run in array order. */
  migrations?: PluginMigration[];
  /** Background tasks, named `<name>.<task>` by the platform. */
  tasks?: Record<string, TaskDefinition>;
  /** Websocket handlers, named `<name>.<handler>` by the platform. */
  wsHandlers?: Record<string, WsHandler>;
}

const definitions = new WeakSet<object>();

function isClass(value: unknown): value is Function {
  return typeof value === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(value));
}

/**
 * Declares a plugin. Checks the shape eagerly so that a mistake is reported with
 * the field that is wrong, when the plugin is loaded, rather than later by Nest.
 */
export function definePlugin(definition: PluginDefinition): PluginDefinition {
  const problems: string[] = [];
  if (!definition || typeof definition !== 'object') {
    throw new TypeError('definePlugin() needs an object: definePlugin({ module, entities?, migrations? })');
  }
  if (!isClass(definition.module)) problems.push('`module` must be a Nest module class');
  for (const field of ['entities', 'migrations'] as const) {
    const list = definition[field];
    if (list === undefined) continue;
    if (!Array.isArray(list)) problems.push(`\`${field}\` must be an array of classes`);
    else list.forEach((item, i) => isClass(item) || problems.push(`\`${field}[${i}]\` is not a class`));
  }
  for (const field of ['tasks', 'wsHandlers'] as const) {
    const map = definition[field];
    if (map === undefined) continue;
    if (typeof map !== 'object' || map === null || Array.isArray(map)) problems.push(`\`${field}\` must be an object keyed by name`);
    else
      for (const [key, value] of Object.entries(map)) {
        if (!/^[a-z][a-zA-Z0-9-]*$/.test(key)) problems.push(`\`${field}\` name ${JSON.stringify(key)} must match [a-z][a-zA-Z0-9-]*`);
        const callable = field === 'tasks' ? (value as { run?: unknown })?.run : typeof value === 'function' ? value : (value as { handle?: unknown })?.handle;
        if (typeof callable !== 'function') {
          problems.push(field === 'tasks' ? `task ${JSON.stringify(key)} needs a run(params, context) function` : `websocket handler ${JSON.stringify(key)} must be a function or { handle }`);
        }
      }
  }
  if (problems.length) throw new TypeError(`invalid plugin definition: ${problems.join('; ')}`);
  const frozen = Object.freeze({ ...definition });
  definitions.add(frozen);
  return frozen;
}

export function isPluginDefinition(value: unknown): value is PluginDefinition {
  return typeof value === 'object' && value !== null && definitions.has(value);
}

import type { Type } from '@nestjs/common';
import type { MigrationInterface } from 'typeorm';
import type { CommandDefinition } from './commands';
import type { PluginContext } from './context';
import type { OpenApiPaths } from './openapi';
import type { WsHandler } from './realtime';
import type { PluginSettingDeclarations } from './settings';
import type { TaskDefinition } from './tasks';

export type PluginMigration = new () => MigrationInterface;

/** What a plugin's server entry default-exports (docs/plugins.md). Built-in features use it too. */
export interface PluginDefinition<S extends PluginSettingDeclarations = PluginSettingDeclarations> {
  /** The plugin's root Nest module; its controllers mount under `/api/plugins/<name>/`. */
  module: Type<unknown>;
  /** TypeORM entity classes of its own tables (`<name>_…`); inject their repositories with `@InjectRepository(Entity)`. */
  entities?: Function[];
  /** TypeORM migrations of the plugin's own tables (prefixed `<name>_`), run in array order. */
  migrations?: PluginMigration[];
  /** Background tasks, named `<name>.<task>` by the platform (`core.<task>` keys need capability `tasks:core`). */
  tasks?: Record<string, TaskDefinition>;
  /** Websocket handlers, named `<name>.<handler>` by the platform. */
  wsHandlers?: Record<string, WsHandler>;
  /** Settings, keyed by environment variable (`<NAME>_…`); read them with `context.settings.get(key)`. */
  settings?: S;
  /** CLI commands: `npx brickyard <name> <command>`. */
  commands?: Record<string, CommandDefinition>;
  /** OpenAPI paths of its routes, merged into `/api/docs` (see the core's for the shape). */
  openApi?: OpenApiPaths;
  /** Called in each process when a version of the plugin is mounted, before it serves; a throw refuses the version. */
  onMount?(context: PluginContext<S>): Promise<void> | void;
  /** Called when that version stops serving (replaced, disabled, or the process stops). */
  onUnmount?(context: PluginContext<S>): Promise<void> | void;
}

const definitions = new WeakSet<object>();

function isClass(value: unknown): value is Function {
  return typeof value === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(value));
}

const LOCAL_NAME = /^[a-z][a-zA-Z0-9-]*$/;

function checkName(field: string, key: string, problems: string[]): void {
  if (LOCAL_NAME.test(key)) return;
  if (field === 'tasks' && /^core\.[a-z][a-zA-Z0-9-]*$/.test(key)) return; // allowed with capability tasks:core (checked at mount)
  const dotted = /^([a-z][a-z0-9-]*)\.(.+)$/.exec(key);
  const what = field === 'tasks' ? 'task' : field === 'commands' ? 'command' : 'websocket handler';
  if (dotted) {
    problems.push(`${what} ${JSON.stringify(key)} is named in plugin "${dotted[1]}": the platform names yours "<this plugin>.<name>", so declare it as ${JSON.stringify(dotted[2])}`);
  } else {
    problems.push(`\`${field}\` name ${JSON.stringify(key)} must match [a-z][a-zA-Z0-9-]*`);
  }
}

/**
 * Declares a plugin. Checks the shape eagerly so that a mistake is reported with
 * the field that is wrong, when the plugin is loaded, rather than later by Nest.
 */
export function definePlugin<S extends PluginSettingDeclarations = PluginSettingDeclarations>(definition: PluginDefinition<S>): PluginDefinition<S> {
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
  for (const field of ['tasks', 'wsHandlers', 'commands', 'settings'] as const) {
    const map = definition[field] as Record<string, unknown> | undefined;
    if (map === undefined) continue;
    if (typeof map !== 'object' || map === null || Array.isArray(map)) {
      problems.push(`\`${field}\` must be an object keyed by name`);
      continue;
    }
    for (const [key, value] of Object.entries(map)) {
      if (field === 'settings') {
        const setting = value as { schema?: { safeParse?: unknown }; description?: unknown };
        if (!/^[A-Z][A-Z0-9_]*$/.test(key)) problems.push(`setting ${JSON.stringify(key)} must be an environment variable name in capitals`);
        if (typeof setting?.schema?.safeParse !== 'function') problems.push(`setting ${key} needs a zod \`schema\``);
        if (typeof setting?.description !== 'string' || !setting.description) problems.push(`setting ${key} needs a \`description\``);
        continue;
      }
      checkName(field, key, problems);
      if (field === 'tasks') {
        const task = value as { run?: unknown; access?: unknown };
        if (typeof task?.run !== 'function') problems.push(`task ${JSON.stringify(key)} needs a run(params, context) function`);
        if (!['anyone', 'user', 'admin'].includes(task?.access as string)) {
          problems.push(`task ${JSON.stringify(key)} must say who may submit it: access: 'anyone' | 'user' | 'admin'`);
        }
      } else if (field === 'commands') {
        if (typeof (value as { run?: unknown })?.run !== 'function') problems.push(`command ${JSON.stringify(key)} needs a run(args, options, context) function`);
      } else {
        const callable = typeof value === 'function' ? value : (value as { handle?: unknown })?.handle;
        if (typeof callable !== 'function') problems.push(`websocket handler ${JSON.stringify(key)} must be a function or { handle }`);
      }
    }
  }
  for (const hook of ['onMount', 'onUnmount'] as const) {
    if (definition[hook] !== undefined && typeof definition[hook] !== 'function') problems.push(`\`${hook}\` must be a function`);
  }
  if (problems.length) throw new TypeError(`invalid plugin definition: ${problems.join('; ')}`);
  const frozen = Object.freeze({ ...definition });
  definitions.add(frozen);
  return frozen;
}

export function isPluginDefinition(value: unknown): value is PluginDefinition {
  return typeof value === 'object' && value !== null && definitions.has(value);
}

import type { Repository } from 'typeorm';
import type { PluginContext } from './context';

/** What a command runs with: the plugin's context and repositories of its own entities. */
export interface CommandContext extends PluginContext {
  repository<T extends object>(entity: new () => T): Repository<T>;
}

/**
 * A command a plugin adds to the CLI: `npx brickyard <group> <command> [args] [--options]`,
 * where the group is the plugin's name or its manifest's `cli`. Arguments and
 * options are declared in commander's syntax.
 */
export interface CommandDefinition {
  description: string;
  /** Positional arguments, e.g. `<source>` or `[file]`. */
  arguments?: string;
  /** Options as `{ flags: '--parts <n>', description, default? }`. */
  options?: { flags: string; description: string; default?: string | boolean }[];
  /** `args` are the positional values in order, `options` the parsed options by camel-cased name. */
  run(args: string[], options: Record<string, unknown>, context: CommandContext): Promise<void> | void;
}

export function defineCommand(command: CommandDefinition): CommandDefinition {
  return command;
}

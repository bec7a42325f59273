import type { PluginContext } from './context';

/**
 * A command a plugin adds to the CLI: `npx brickyard <plugin> <command> [args] [--options]`.
 * Arguments and options are declared in commander's syntax.
 */
export interface CommandDefinition {
  description: string;
  /** Positional arguments, e.g. `<source>` or `[file]`. */
  arguments?: string;
  /** Options as `{ flags: '--parts <n>', description, default? }`. */
  options?: { flags: string; description: string; default?: string | boolean }[];
  /** `args` are the positional values in order, `options` the parsed options by camel-cased name. */
  run(args: string[], options: Record<string, unknown>, context: PluginContext): Promise<void> | void;
}

export function defineCommand(command: CommandDefinition): CommandDefinition {
  return command;
}

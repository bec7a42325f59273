import { Config, pluginDirs } from '@brickyard/config';
import { discoverPlugins, runPluginMigrations, migrationTables } from '@brickyard/kernel';
import type { Command } from 'commander';
import { enabledPlugins, openCliDatabase, withCliPlugin } from './cli-plugins';

/**
 * Runs `npx brickyard <plugin> <command> …`: loads that plugin (enabled, with its
 * capabilities granted) through the kernel's path, adds its commands under its
 * name, and parses the command line while it is loaded.
 */
export async function runContributedCommand(program: Command, group: string): Promise<boolean> {
  // A word that names no plugin's command group is a mistyped command: no database is opened for it.
  const groupOf = (p: { name: string; manifest?: { cli?: string } }) => p.manifest?.cli ?? p.name;
  const owner = discoverPlugins(pluginDirs(new Config())).find((p) => groupOf(p) === group);
  if (!owner) return false;
  const pluginName = owner.name;
  const db = await openCliDatabase();
  try {
    const found = (await enabledPlugins(db)).find((p) => p.name === pluginName);
    if (!found) throw new Error(`plugin ${pluginName} is disabled: \`npx brickyard plugin enable ${pluginName}\` to use its commands`);
    return await withCliPlugin(db, found, async ({ definition, context, granted, repository }) => {
      const commands = Object.entries(definition?.commands ?? {});
      if (!commands.length) return false;
      // Its tables exist before its commands run, as they would under a server.
      await runPluginMigrations(db, found.name, definition?.migrations ?? [], migrationTables(found.name, String(db.options.database), granted));
      const commandGroup = program.command(group).description(`commands of plugin ${pluginName}`);
      for (const [name, command] of commands) {
        const sub = commandGroup.command(command.arguments ? `${name} ${command.arguments}` : name).description(command.description);
        for (const option of command.options ?? []) sub.option(option.flags, option.description, option.default as string | boolean | undefined);
        sub.action(async (...values: unknown[]) => {
          // commander passes the positional values, then the options object, then the command.
          const positional = values.slice(0, -2).map((v) => String(v));
          await command.run(positional, values[values.length - 2] as Record<string, unknown>, { ...context, repository });
        });
      }
      await program.parseAsync();
      return true;
    });
  } finally {
    await db.destroy();
  }
}

import { Command } from 'commander';
import { runContributedCommand } from './contributed.commands';
import { registerPluginCommands } from './plugin.commands';
import { runMigrate } from './migrate.command';

const program = new Command('brickyard')
  .description('Brickyard: synthetic-biology parts, with plugins that mount while the server runs.')
  .showHelpAfterError();

program
  .command('serve')
  .description('start the platform: the primary, WORKERS HTTP workers, the plugin watcher')
  .action(async () => {
    const { startPrimary } = await import('../server/primary');
    await startPrimary();
  });

program
  .command('worker')
  .description('start a background job worker that joins the cluster at DATABASE_URL / REDIS_URL')
  .option('--queues <names>', 'comma-separated queues to take jobs from (all when omitted)')
  .action(async (options: { queues?: string }) => {
    const queues = options.queues?.split(',').map((q) => q.trim()).filter(Boolean);
    for (const queue of queues ?? []) {
      if (!/^[a-z][a-z0-9-]{0,40}$/.test(queue)) throw new Error(`"${queue}" is not a queue name ([a-z][a-z0-9-]{0,40})`);
    }
    const { startJobWorker } = await import('../worker/main');
    await startJobWorker(queues);
  });

program
  .command('migrate')
  .description('create the database if needed and run pending core and plugin migrations')
  .action(runMigrate);

program
  .command('config')
  .description('configuration documentation')
  .command('table')
  .description('print the settings as a Markdown table (the README\'s), or rewrite it in a file')
  .option('--write <file>', 'replace the table between its markers in this file')
  .action(async (options: { write?: string }) => {
    const { renderSettingsTable, replaceSettingsTable } = await import('@brickyard/config');
    const { builtinPluginSettings } = await import('./builtin-settings');
    const fs = await import('node:fs');
    const plugins = await builtinPluginSettings();
    if (!options.write) return console.log(renderSettingsTable(plugins));
    fs.writeFileSync(options.write, replaceSettingsTable(fs.readFileSync(options.write, 'utf8'), plugins));
    console.log(`updated the settings table in ${options.write}`);
  });

registerPluginCommands(program);
program.addHelpText('after', '\nPlugins add commands of their own: npx brickyard <plugin> --help (e.g. npx brickyard parts import <dump>).');

/** A first word that is not a core command names a plugin whose commands run with it loaded. */
async function main(): Promise<void> {
  const first = process.argv[2];
  const core = new Set(program.commands.flatMap((c) => [c.name(), ...c.aliases()]));
  if (first && !first.startsWith('-') && !core.has(first) && first !== 'help') {
    if (await runContributedCommand(program, first)) return;
  }
  await program.parseAsync();
}

main().catch((error: unknown) => {
  console.error(`brickyard: ${error instanceof Error ? error.message : String(error)}`);
  if (process.env.BRICKYARD_DEBUG) console.error(error);
  process.exit(1);
});

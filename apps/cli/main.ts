import { Command } from 'commander';
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
  .action(async () => {
    const { startJobWorker } = await import('../worker/main');
    await startJobWorker();
  });

program
  .command('migrate')
  .description('create the database if needed and run pending core and plugin migrations')
  .action(runMigrate);

registerPluginCommands(program);

program.parseAsync().catch((error: unknown) => {
  console.error(`brickyard: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

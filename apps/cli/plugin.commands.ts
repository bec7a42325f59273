import { Config } from '@brickyard/config';
import { createHostDataSource, ensureDatabase, runCoreMigrations } from '@brickyard/db';
import { PLUGIN_NAME, PluginStateRepository, type ClusterReloadReport } from '@brickyard/kernel';
import type { Command } from 'commander';
import { coreMigrations } from '../../migrations';
import { scaffoldPlugin } from './plugin-scaffold';
import { adminRequest, runningServerPid } from './server-control';

async function withPluginState<T>(work: (repo: PluginStateRepository) => Promise<T>): Promise<T> {
  const config = new Config();
  await ensureDatabase(config.get('DATABASE_URL'));
  const db = await createHostDataSource(config.get('DATABASE_URL'), 1);
  try {
    await runCoreMigrations(db, coreMigrations);
    return await work(new PluginStateRepository(db));
  } finally {
    await db.destroy();
  }
}

function printReport(report: ClusterReloadReport): void {
  console.log(`generation ${report.generation}: ${report.converged.length} process(es) converged in ${report.durationMs} ms`);
  for (const p of report.notConverged) console.log(`  NOT converged: ${p.id}: ${p.reason}`);
  for (const p of report.departed) console.log(`  departed during the reload (stopped beating): ${p.id}`);
  for (const e of report.errors) console.log(`  plugin ${e.plugin} refused: ${e.error}`);
}

export function registerPluginCommands(program: Command): void {
  const plugin = program.command('plugin').description('create and manage plugins');

  plugin
    .command('new <name>')
    .description('scaffold a plugin in the first PLUGINS_DIR folder: manifest, module, controller, service, entity, migration, test')
    .action((name: string) => {
      if (!PLUGIN_NAME.test(name)) throw new Error(`"${name}" is not a valid plugin name: use [a-z][a-z0-9-]{1,40}`);
      const dir = scaffoldPlugin(new Config(), name);
      console.log(`created ${dir}\nA running server mounts it at /api/plugins/${name}/ within a second or two.`);
    });

  plugin
    .command('list')
    .description('every known plugin: desired state and what the cluster reached')
    .action(async () => {
      const rows = await withPluginState((repo) => repo.list());
      if (!rows.length) return console.log('no plugins known yet (they are recorded when a server first sees them)');
      const table = rows.map((r) => ({
        name: r.name,
        enabled: r.enabled ? 'yes' : 'no',
        status: r.status,
        version: r.version ?? '',
        error: r.last_error ?? '',
      }));
      console.table(table);
    });

  for (const [verb, enabled] of [['enable', true], ['disable', false]] as const) {
    plugin
      .command(`${verb} <name>`)
      .description(`${verb} a plugin and tell the running server to converge`)
      .action(async (name: string) => {
        const config = new Config();
        const found = await withPluginState(async (repo) => {
          if (!(await repo.find(name))) return false;
          await repo.setEnabled(name, enabled);
          return true;
        });
        if (!found) throw new Error(`no plugin named ${name} is known: \`brickyard plugin list\` shows those a server has seen`);
        const pid = runningServerPid(config);
        if (!pid) {
          console.log(`${name} ${verb}d. No server is running: the change applies when it starts (npm start).`);
          return;
        }
        process.kill(pid, 'SIGUSR1');
        console.log(`${name} ${verb}d; signalled the server (pid ${pid}) to reload.`);
      });
  }

  plugin
    .command('reload')
    .description('converge every process of the cluster now and report the result')
    .action(async () => {
      const config = new Config();
      if (!runningServerPid(config)) {
        console.log('No server is running: nothing to reload. Start it with npm start.');
        return;
      }
      const { status, body } = await adminRequest(config, 'POST', '/api/admin/reload');
      if (status !== 200) throw new Error(`reload failed (${status}): ${JSON.stringify(body)}`);
      printReport(body);
      if (!body.ok) process.exitCode = 1;
    });
}

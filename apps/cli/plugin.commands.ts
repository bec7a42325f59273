import { Config } from '@brickyard/config';
import { allPluginDirs, CAPABILITY_HELP, discoverPlugins, effectiveGrants, GrantsRepository, isCapability, PLUGIN_NAME, PluginStateRepository, type ClusterReloadReport } from '@brickyard/kernel';
import type { Command } from 'commander';
import type { DataSource } from 'typeorm';
import { openCliDatabase } from './cli-plugins';
import { scaffoldPlugin } from './plugin-scaffold';
import { adminRequest, runningServerPid } from './server-control';

async function withPluginState<T>(work: (repo: PluginStateRepository, db: DataSource) => Promise<T>): Promise<T> {
  const db = await openCliDatabase();
  try {
    return await work(new PluginStateRepository(db), db);
  } finally {
    await db.destroy();
  }
}

/** Tells a running server to converge (a grant or an enable is applied by a reload). */
function signalServer(config: Config, done: string): void {
  const pid = runningServerPid(config);
  if (!pid) return console.log(`${done}. No server is running: the change applies when it starts (npm start).`);
  process.kill(pid, 'SIGUSR1');
  console.log(`${done}; signalled the server (pid ${pid}) to reload.`);
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
      console.log(`created ${dir}\nA running server mounts it at /api/plugins/${name}/ within a second or two; its page is /plugins/${name}/ in the browser app.`);
    });

  plugin
    .command('list')
    .description('every known plugin: desired state, what the cluster reached, capabilities requested and granted')
    .action(async () => {
      const { rows, stored } = await withPluginState(async (repo, db) => ({ rows: await repo.list(), stored: await new GrantsRepository(db).all() }));
      // Submitted plugins as this host last wrote them (docs/plugin-submissions.md), after PLUGINS_DIR.
      const found = new Map(discoverPlugins(allPluginDirs(new Config())).map((p) => [p.name, p]));
      // Plugins on disk that no server has recorded yet are listed too, as such.
      const names = [...new Set([...rows.map((r) => r.name), ...found.keys()])].sort();
      if (!names.length) return console.log('no plugins: none recorded by a server, none found in PLUGINS_DIR');
      const table = names.map((name) => {
        const r = rows.find((row) => row.name === name);
        const plugin = found.get(name);
        const requested = plugin?.manifest?.capabilities ?? [];
        const granted = plugin ? effectiveGrants(plugin, stored.get(name)) : new Set<string>();
        return {
          name: name + (plugin?.builtin ? ' (built-in)' : ''),
          enabled: r ? (r.enabled ? 'yes' : 'no') : 'yes',
          status: r?.status ?? 'not seen by a server yet',
          version: r?.version ?? plugin?.manifest?.version ?? '',
          capabilities: requested.map((c) => (granted.has(c) ? c : `${c} (NOT granted)`)).join(', '),
          error: r?.last_error ?? plugin?.error ?? '',
        };
      });
      console.table(table);
    });

  plugin
    .command('grant <name> <capability>')
    .description(`grant a plugin a capability it requests in plugin.json, and reload: ${CAPABILITY_HELP}`)
    .action(async (name: string, capability: string) => {
      if (!isCapability(capability)) throw new Error(`"${capability}" is not a capability: use one of ${CAPABILITY_HELP}`);
      const known = await withPluginState(async (repo, db) => {
        if (!(await repo.find(name))) return false;
        await new GrantsRepository(db).grant(name, capability);
        return true;
      });
      if (!known) throw new Error(`no plugin named ${name} is known: \`brickyard plugin list\` shows those a server has seen`);
      signalServer(new Config(), `granted ${capability} to ${name}`);
    });

  plugin
    .command('revoke <name> <capability>')
    .description('take back a granted capability, and reload (a plugin that requests it is then refused)')
    .action(async (name: string, capability: string) => {
      const revoked = await withPluginState((_repo, db) => new GrantsRepository(db).revoke(name, capability));
      if (!revoked) throw new Error(`${name} was not granted ${capability}`);
      signalServer(new Config(), `revoked ${capability} from ${name}`);
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
        signalServer(config, `${name} ${verb}d`);
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

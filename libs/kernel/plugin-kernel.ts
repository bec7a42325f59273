import { Config, ConfigOverridesRepository, type Setting } from '@brickyard/config';
import * as crypto from 'node:crypto';
import type { PluginError } from './control-bus';
import { describeError } from './describe-error';
import { discoverPlugins } from './discovery';
import type { Engine } from './engine';
import { Generation } from './generation';
import { buildCoreApp, buildPluginApp, pluginHandlers } from './generation-builder';
import { yieldToEventLoop } from './nest-app';
import { grantKey, type LoadedPlugin } from './loaded-plugin';
import type { MountedApp } from './mounted-app';
import { pluginChecksum } from './plugin-files';
import type { ClientBundle, PluginClientBundles } from './plugin-client-bundles';
import { checkRequestedCapabilities, effectiveGrants, loadPlugin } from './plugin-loading';
import { runPluginMigrations } from './plugin-migrator';
import { pruneBuildCache, unloadPluginModule } from './plugin-module-loader';
import { createPluginScope, migrationTables, type PluginScope, type ScopeServices } from './plugin-scope';
import { pluginSettingDeclarations } from './plugin-settings';
import { allPluginDirs, materialiseSubmittedPlugins } from './submissions/submitted-plugins-folder';
import type { PluginOutcome } from './plugin-state.repository';

export interface ConvergeResult {
  generation: number;
  rebuilt: boolean;
  outcomes: PluginOutcome[];
  errors: PluginError[];
  /** The outcomes this process was the first in the cluster to record (PluginStateRepository.record). */
  firstRecorded: PluginOutcome[];
}

export interface PluginKernelOptions {
  /** Where compiled plugin code is cached (`$BRICKYARD_HOME/build`). */
  cacheDir: string;
  env: NodeJS.ProcessEnv;
  /** Called with each new effective config, before the generation that uses it is built. */
  onConfig(config: Config): void;
  /** Compiles and caches plugins' client code (every process compiles, or reads the cache, so all report alike). */
  clients: PluginClientBundles;
}

/**
 * Brings this process to the desired plugin state (docs/architecture.md): reads table
 * `plugins`, compiles and loads what changed, runs pending plugin migrations,
 * builds a new generation and swaps it in. A plugin that fails at any step is
 * marked `failed` with the reason, and the version of it that was serving (if
 * any) goes on serving; the other plugins are not affected.
 */
export class PluginKernel {
  current?: Generation;
  private readonly draining = new Set<Generation>();
  /** Every plugin version whose code is loaded, so none is forgotten when unloading. */
  private readonly loaded = new Set<LoadedPlugin>();
  /** Per plugin, the last version that built successfully: it keeps serving when a newer one fails. */
  private readonly serving = new Map<string, LoadedPlugin>();
  /** Per plugin, the client bundle that goes with the version serving: a client that fails to compile leaves it in place. */
  private servingClients = new Map<string, ClientBundle>();
  private outcomes: PluginOutcome[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private pendingTarget = 0;

  constructor(
    private readonly engine: Engine,
    private readonly options: PluginKernelOptions,
  ) {}

  /** The services a plugin's scope is cut from, in this process. */
  private scopeServices(): ScopeServices {
    const engine = this.engine;
    return {
      role: engine.role, db: engine.db, redis: engine.redis.commands, namespace: engine.namespace, logger: engine.logger, realtime: engine.realtime,
      tasks: engine.tasks, parts: engine.parts, notices: engine.notices, activities: engine.activities, sessions: engine.sessions, identity: engine.identity, config: () => engine.config(),
    };
  }

  /** The client bundle of each served plugin that has a client. */
  clientBundles(): ReadonlyMap<string, ClientBundle> {
    return this.servingClients;
  }

  /** The plugin states of the last converge (for /api/health). */
  pluginOutcomes(): PluginOutcome[] {
    return this.outcomes;
  }

  /**
   * Converges to generation `target` (or later). Calls are serialised; a call that
   * arrives while another runs is folded into the next run.
   */
  converge(target: number): Promise<ConvergeResult> {
    this.pendingTarget = Math.max(this.pendingTarget, target);
    const run = this.chain.then(() => this.convergeNow());
    this.chain = run.catch(() => {});
    return run;
  }

  private async convergeNow(): Promise<ConvergeResult> {
    const target = Math.max(this.pendingTarget, this.current?.number ?? 0);
    if (this.current && this.current.number >= target && this.lastResult) return this.lastResult;

    const overrides = await new ConfigOverridesRepository(this.engine.db).load();
    const coreConfig = new Config(this.options.env, overrides);

    try {
      await materialiseSubmittedPlugins(this.engine.db, coreConfig, this.engine.logger); // approved submissions, the same on every host
    } catch (error) {
      this.engine.logger.warn({ err: error }, 'could not bring the submitted plugins up to date; their folder keeps what it had');
    }
    const discovered = new Map(discoverPlugins(allPluginDirs(coreConfig)).map((p) => [p.name, p]));
    await this.engine.pluginState.addMissing([...discovered.keys()]);
    const [rows, stored] = await Promise.all([this.engine.pluginState.list(), this.engine.grants.all()]);

    const outcomes: PluginOutcome[] = [];
    const errors: PluginError[] = [];
    const candidates = new Map<string, LoadedPlugin>();
    /** The client bundles of the versions that load now (a failed plugin's previous one is restored below). */
    const newClients = new Map<string, ClientBundle>();
    const pluginSettings = new Map<string, Setting[]>();
    /**
     * Marks a plugin failed. The version that was serving goes on serving, unless
     * it holds a capability that is no longer granted (`granted`): a revoked
     * capability must not outlive the revocation.
     */
    const fail = (name: string, error: string, version: string | null, checksum: string | null, granted?: ReadonlySet<string>) => {
      outcomes.push({ name, version, status: 'failed', lastError: error, checksum });
      errors.push({ plugin: name, error });
      const previous = this.serving.get(name);
      if (previous && (!granted || [...previous.granted].every((c) => granted.has(c)))) candidates.set(name, previous);
    };
    const database = String(this.engine.db.options.database);
    const everyPlugin = [...discovered.keys()];

    for (const row of rows) {
      const found = discovered.get(row.name);
      if (!found) {
        outcomes.push({ name: row.name, version: row.version, status: 'disabled', lastError: 'folder not found in PLUGINS_DIR', checksum: row.checksum });
        continue;
      }
      if (!row.enabled) {
        outcomes.push({ name: row.name, version: found.manifest?.version ?? row.version, status: 'disabled', lastError: null, checksum: row.checksum });
        continue;
      }
      const granted = effectiveGrants(found, stored.get(row.name));
      if (found.error || !found.manifest) {
        fail(row.name, found.error ?? 'invalid plugin', found.manifest?.version ?? null, null, granted);
        continue;
      }
      let checksum: string;
      try {
        checksum = pluginChecksum(found.dir);
      } catch (error) {
        fail(row.name, `cannot read the plugin's files: ${describeError(error)}`, found.manifest.version, null, granted);
        continue;
      }
      const previous = this.serving.get(row.name);
      try {
        checkRequestedCapabilities(found, granted);
        // The client compiles before the server code loads: a version whose client is broken is refused whole,
        // before its migrations run, and the one serving keeps serving, client included.
        if (found.manifest.client) {
          newClients.set(row.name, await this.options.clients.build(row.name, found.dir, found.manifest.client, { builtin: found.builtin }));
        }
        const same = previous?.checksum === checksum && previous.dir === found.dir && grantKey(previous.granted) === grantKey(granted);
        const plugin = same ? previous : await this.load(found, checksum, granted);
        pluginSettingDeclarations(plugin.name, plugin.definition, this.options.env); // refuses bad declarations or values now
        if (plugin !== previous) {
          const migrations = plugin.definition?.migrations ?? [];
          if (migrations.length) {
            await runPluginMigrations(this.engine.db, plugin.name, migrations, migrationTables(plugin.name, database, granted, everyPlugin));
          }
          await yieldToEventLoop(); // a load is synchronous work: let requests in before the next step
        }
        candidates.set(row.name, plugin);
        outcomes.push({ name: row.name, version: found.manifest.version, status: 'active', lastError: null, checksum });
      } catch (error) {
        fail(row.name, describeError(error, found.dir), found.manifest.version, checksum, granted);
      }
    }

    // The effective config: the core's settings and those the mounted versions (new or kept) declare.
    const declarations = new Map<string, Setting[]>();
    for (const [name, plugin] of candidates) {
      try {
        declarations.set(name, pluginSettingDeclarations(name, plugin.definition, this.options.env));
      } catch {
        candidates.delete(name); // a kept version whose settings no longer read (its environment changed)
      }
    }
    const config = new Config(this.options.env, overrides, [...declarations.values()].flat());
    this.options.onConfig(config);
    const services = this.scopeServices();
    const scopes = new Map<string, PluginScope>();
    for (const [name, plugin] of candidates) {
      const settings = new Map(Object.entries(plugin.definition?.settings ?? {}).map(([key, setting]) => [key, setting.default]));
      scopes.set(name, createPluginScope(services, { name, version: plugin.manifest.version, requested: plugin.requested, settings }, plugin.granted, everyPlugin));
    }

    let rebuilt = false;
    try {
      const coreFingerprint = this.coreFingerprint(config);
      const fingerprint = this.fingerprint(coreFingerprint, [...candidates.values()]);
      if (this.current && this.current.fingerprint === fingerprint) {
        this.current.number = target;
      } else {
        const generation = await this.buildGeneration(target, coreFingerprint, candidates, scopes, outcomes, errors);
        generation.number = target;
        if (generation !== this.current) {
          this.swap(generation, config);
          rebuilt = true;
        }
      }
    } catch (error) {
      this.unloadUnused(); // the versions loaded for this attempt
      throw error;
    }
    this.serving.clear();
    for (const [name, plugin] of candidates) this.serving.set(name, plugin);
    this.servingClients = this.clientsOf(candidates, outcomes, newClients);
    void this.options.clients.tidy(new Set(discovered.keys()), this.servingClients).catch((error) => this.engine.logger.warn({ err: error }, 'tidying the client build cache failed'));
    this.unloadUnused();

    this.outcomes = outcomes;
    // Write only outcomes that differ from the rows read at the start (usually none): a query each otherwise.
    const previous = new Map(rows.map((row) => [row.name, row]));
    const changed = outcomes.filter((o) => {
      const row = previous.get(o.name);
      return !row || row.version !== o.version || row.status !== o.status || row.last_error !== o.lastError || row.checksum !== o.checksum;
    });
    const firstRecorded = await this.engine.pluginState.record(changed);
    this.lastResult = { generation: target, rebuilt, outcomes, errors, firstRecorded };
    return this.lastResult;
  }

  private lastResult?: ConvergeResult;

  /** Each served plugin's client: the new one, or for a plugin that failed, the one that was serving with its kept version. */
  private clientsOf(candidates: ReadonlyMap<string, LoadedPlugin>, outcomes: PluginOutcome[], built: ReadonlyMap<string, ClientBundle>): Map<string, ClientBundle> {
    const clients = new Map<string, ClientBundle>();
    for (const [name, plugin] of candidates) {
      const failed = outcomes.find((o) => o.name === name)?.status === 'failed';
      const bundle = failed ? this.servingClients.get(name) : built.get(name);
      if (bundle && plugin.manifest.client) clients.set(name, bundle);
    }
    return clients;
  }

  private async load(found: Parameters<typeof loadPlugin>[0], checksum: string, granted: ReadonlySet<string>): Promise<LoadedPlugin> {
    const plugin = await loadPlugin(found, checksum, this.options.cacheDir, granted);
    if (plugin.code) this.loaded.add(plugin);
    return plugin;
  }

  /**
   * Builds the next generation from what changed: the core app only when the
   * config changed, an app for each plugin version not already running, and
   * reuses every other app. A plugin whose app fails to start is marked failed,
   * and the version of it that was serving (if any) takes its place.
   */
  private async buildGeneration(
    target: number,
    coreFingerprint: string,
    candidates: Map<string, LoadedPlugin>,
    scopes: ReadonlyMap<string, PluginScope>,
    outcomes: PluginOutcome[],
    errors: PluginError[],
  ): Promise<Generation> {
    await yieldToEventLoop();
    // The core app is rebuilt when the config changed; a plugin's app only when its version or grants did
    // (it reads its settings live through its context).
    const reusableCore = this.current?.coreFingerprint === coreFingerprint ? this.current.core : undefined;
    const core = reusableCore ?? (await buildCoreApp(this.engine));
    const built: MountedApp[] = core === reusableCore ? [] : [core];
    const appFor = async (plugin: LoadedPlugin): Promise<MountedApp> => {
      const running = this.current?.appOf(plugin);
      if (running) return running;
      const app = await buildPluginApp(this.engine, plugin, scopes.get(plugin.name)!);
      built.push(app);
      await yieldToEventLoop(); // each app is a synchronous chunk of work: let requests in between
      return app;
    };
    try {
      const apps = new Map<string, MountedApp>();
      for (const [name, plugin] of [...candidates]) {
        if (!plugin.definition) continue;
        try {
          apps.set(name, await appFor(plugin));
        } catch (error) {
          const message = `exception while starting the plugin: ${describeError(error, plugin.dir)}`;
          Object.assign(outcomes.find((o) => o.name === name)!, { status: 'failed', lastError: message });
          errors.push({ plugin: name, error: message });
          candidates.delete(name);
          const previous = this.serving.get(name);
          if (!previous || previous === plugin) continue;
          try {
            apps.set(name, await appFor(previous)); // the version that was serving goes on serving
            candidates.set(name, previous);
          } catch (previousError) {
            this.engine.logger.error({ err: previousError, plugin: name }, 'the serving version of a plugin no longer starts');
          }
        }
      }
      const plugins = [...candidates.values()];
      const fingerprint = this.fingerprint(coreFingerprint, plugins);
      if (this.current?.fingerprint === fingerprint) return this.current; // nothing usable changed (built is empty then)
      const { wsHandlers, tasks, routes } = pluginHandlers(plugins, scopes);
      return new Generation(target, fingerprint, coreFingerprint, plugins, core, apps, wsHandlers, tasks, routes);
    } catch (error) {
      await Promise.all(built.map((app) => app.retire(0).catch(() => {})));
      throw error;
    }
  }

  /** Serves `next` from now on; the apps of the previous generation that `next` does not reuse finish their requests, then close. */
  private swap(next: Generation, config: Config): void {
    const previous = this.current;
    this.current = next;
    if (!previous) return;
    this.draining.add(previous);
    Promise.all(previous.appsReplacedBy(next).map((app) => app.retire(config.get('DRAIN_TIMEOUT_MS'))))
      .catch((error) => this.engine.logger.error({ err: error, generation: previous.number }, 'closing a replaced generation failed'))
      .finally(() => {
        this.draining.delete(previous);
        this.unloadUnused();
      });
  }

  /** Unloads plugin versions that neither the current nor a draining generation uses. */
  private unloadUnused(): void {
    const inUse = new Set<LoadedPlugin>(this.serving.values());
    for (const generation of [this.current, ...this.draining]) for (const plugin of generation?.plugins ?? []) inUse.add(plugin);
    const unloadedNames = new Set<string>();
    for (const plugin of this.loaded) {
      if (inUse.has(plugin)) continue;
      this.loaded.delete(plugin);
      if (plugin.code) unloadPluginModule(plugin.code);
      unloadedNames.add(plugin.name);
    }
    for (const name of unloadedNames) {
      const keep = new Set([...this.loaded].filter((p) => p.name === name && p.code).map((p) => p.code!.buildDir));
      void pruneBuildCache(this.options.cacheDir, name, keep).catch((error) => this.engine.logger.warn({ err: error, plugin: name }, 'pruning the build cache failed'));
    }
  }

  /** What the core app depends on: the effective config (actual values: a changed secret counts too). */
  private coreFingerprint(config: Config): string {
    return crypto.createHash('sha256').update(JSON.stringify(config.describe().map((s) => [s.key, config.value(s.key)]))).digest('hex');
  }

  private fingerprint(coreFingerprint: string, plugins: LoadedPlugin[]): string {
    const hash = crypto.createHash('sha256');
    hash.update(coreFingerprint);
    for (const p of [...plugins].sort((a, b) => a.name.localeCompare(b.name))) hash.update(`${p.name}@${p.checksum}:${p.dir}:${grantKey(p.granted)};`);
    return hash.digest('hex');
  }

  /** Closes every generation (process shutdown). */
  async close(): Promise<void> {
    await this.chain;
    const all = [this.current, ...this.draining].filter((g): g is Generation => !!g);
    this.current = undefined;
    const apps = new Set(all.flatMap((g) => g.appsReplacedBy()));
    await Promise.all([...apps].map((app) => app.retire(0)));
    this.unloadUnused();
    await this.options.clients.close();
  }
}

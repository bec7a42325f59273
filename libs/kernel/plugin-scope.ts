import { snapshotDatabaseOf } from '@brickyard/db';
import { findSetting, type Config } from '@brickyard/config';
import { BrickyardError, ownerOf, type PartsReader, type PluginContext, type PluginStore, type RequestLike, type Realtime, type Recipients, type SubmitOptions, type Tasks, type TaskView } from '@brickyard/sdk';
import { pluginOwner, publicTask, type TaskService } from '@brickyard/tasks';
import type { Redis } from 'ioredis';
import * as crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { ActivityService } from './activity-service';
import { missingCapability, valuesOf } from './capabilities';
import { NoticeService } from './notice-service';
import { pluginBasePath } from './generation';
import { pluginSettings } from './plugin-settings';
import { cookie, CSRF_COOKIE, SESSION_COOKIE, type IdentityService } from './identity.service';
import { CORE_TABLES } from './reserved-names';
import type { SessionStore } from './session-store';
import type { TableScope } from './statement-guard';

/** The engine services a plugin's scope is cut from. */
export interface ScopeServices {
  role: 'http' | 'job' | 'cli';
  db: DataSource;
  /** Redis for commands, and the cluster's key namespace (plugins' stores live under it). */
  redis?: Redis;
  namespace: string;
  logger: Logger;
  realtime: Realtime;
  tasks?: TaskService;
  parts: PartsReader;
  /** Notices and activities (built from `db` and `realtime` where absent, as in the CLI). */
  notices?: NoticeService;
  activities?: ActivityService;
  /** Signed-in sessions, and the identity service that reads them (HTTP and job workers). */
  sessions?: SessionStore;
  identity?: IdentityService;
  config(): Config;
}

/** A plugin's context plus what the kernel enforces with it. */
export interface PluginScope {
  context: PluginContext;
  granted: ReadonlySet<string>;
  /** Tables it may use: its own `<name>_` first, then granted prefixes. */
  tables: TableScope;
  /** Paths it may mount routes under besides its own base path. */
  routePrefixes: string[];
  mayUseTopic(topic: string): boolean;
  mayUseKind(kind: string): boolean;
}

/**
 * The tables a plugin may use: its own `<name>_` (dashes as underscores), then
 * granted `tables:` prefixes; never the core's tables, nor those of another
 * plugin whose longer prefix starts with its own (`lab_notes_` is not `lab`'s).
 */
export function tableScope(plugin: string, database: string, granted: ReadonlySet<string>, otherPlugins: readonly string[] = []): TableScope {
  const own = `${plugin.replace(/-/g, '_')}_`;
  const others = otherPlugins.filter((other) => other !== plugin).map((other) => `${other.replace(/-/g, '_')}_`).filter((prefix) => prefix.startsWith(own));
  return { plugin, database, prefixes: [own, ...valuesOf(granted, 'tables')], excluded: [...CORE_TABLES], excludedPrefixes: others };
}

/** The table check a plugin's migrations run under: none with capability `database`. */
export function migrationTables(plugin: string, database: string, granted: ReadonlySet<string>, otherPlugins: readonly string[] = []): TableScope | undefined {
  return granted.has('database') ? undefined : tableScope(plugin, database, granted, otherPlugins);
}

const refused = (plugin: string, capability: string, what: string, requested: ReadonlySet<string>) =>
  new BrickyardError('capability_missing', missingCapability(plugin, capability, what, requested.has(capability)));

/**
 * Cuts a plugin's scope out of the engine's services (docs/plugins.md): a logger
 * tagged with its name, its own settings, frames named `<name>.…` to sockets,
 * users and its own topics, its own task kinds, the parts reader, and what its
 * granted capabilities add. Anything else is refused with the capability that
 * would allow it.
 */
export function createPluginScope(
  services: ScopeServices,
  plugin: { name: string; version: string; requested: ReadonlySet<string>; settings: ReadonlyMap<string, unknown> },
  granted: ReadonlySet<string>,
  otherPlugins: readonly string[] = [],
): PluginScope {
  const { name, requested } = plugin;
  const topicPrefixes = [`${name}:`, ...valuesOf(granted, 'topics')];
  const mayUseTopic = (topic: string) => topicPrefixes.some((prefix) => topic.startsWith(prefix));
  const kindPrefixes = [`${name}.`, ...valuesOf(granted, 'tasks').map((other) => `${other}.`)];
  const mayUseKind = (kind: string) => kindPrefixes.some((prefix) => kind.startsWith(prefix));
  const database = String(services.db.options.database);

  const checkFrame = (handler: string) => {
    if (!handler.startsWith(`${name}.`)) {
      throw new BrickyardError('forbidden', `plugin ${name} may only send frames named "${name}.<event>", not ${JSON.stringify(handler)}`);
    }
  };
  const checkTopic = (topic: string) => {
    if (!mayUseTopic(topic)) {
      const capability = `topics:${topic.split(':')[0]}:`;
      throw refused(name, capability, `topic ${JSON.stringify(topic)} belongs to another plugin (plugin ${name}'s topics are "${name}:…")`, requested);
    }
  };
  const realtime: Realtime = {
    toSocket: (socketId, handler, data) => (checkFrame(handler), services.realtime.toSocket(socketId, handler, data)),
    toUser: (userId, handler, data) => (checkFrame(handler), services.realtime.toUser(userId, handler, data)),
    toUsers: (userIds, handler, data) => (checkFrame(handler), services.realtime.toUsers(userIds, handler, data)),
    toTopic: (topic, handler, data) => (checkFrame(handler), checkTopic(topic), services.realtime.toTopic(topic, handler, data)),
    toEveryone: (handler, data) => {
      checkFrame(handler);
      if (!granted.has('realtime:everyone')) throw refused(name, 'realtime:everyone', 'a frame to every connected client', requested);
      return services.realtime.toEveryone(handler, data);
    },
    toRecipients: (recipients: Recipients, handler, data) => {
      checkFrame(handler);
      for (const topic of recipients.topics ?? []) checkTopic(topic);
      return services.realtime.toRecipients(recipients, handler, data);
    },
  };

  const taskService = () => {
    if (!services.tasks) throw new BrickyardError('unavailable', 'tasks are not available in this process');
    return services.tasks;
  };
  const checkKind = (kind: string) => {
    if (mayUseKind(kind)) return;
    const owner = kind.includes('.') ? kind.slice(0, kind.indexOf('.')) : kind;
    throw refused(name, `tasks:${owner}`, `task kind ${kind} is not plugin ${name}'s (its kinds are "${name}.<task>")`, requested);
  };
  const visible = (task: TaskView | undefined) => (task && mayUseKind(task.kind) ? publicTask(task) : undefined);
  const tasks: Tasks = {
    submit: (kind: string, params: unknown, options: SubmitOptions = {}) => {
      checkKind(kind);
      const submitter = options.identity
        ? { identity: options.identity, owner: ownerOf(options.identity) }
        : { identity: { userId: pluginOwner(name), role: 'admin' as const, address: null }, owner: pluginOwner(name), trusted: true };
      return taskService().submit(kind, params, submitter, { socketId: options.socketId }).then(publicTask);
    },
    get: async (id: string) => visible(await taskService().get(id)),
    cancel: async (id: string) => (visible(await taskService().get(id)) ? visible(await taskService().cancel(id)) : undefined),
  };

  const keyPrefix = `${services.namespace}:plugin:${name}:`;
  const redis = () => {
    if (!services.redis) throw new BrickyardError('unavailable', 'the shared store is not available in this process');
    return services.redis;
  };
  const store: PluginStore = {
    get: (key) => redis().get(keyPrefix + key),
    set: async (key, value, options = {}) => {
      const args: (string | number)[] = [];
      if (options.ttlMs) args.push('PX', Math.max(1, Math.round(options.ttlMs)));
      if (options.ifAbsent) args.push('NX');
      return (await (redis().set as (...a: unknown[]) => Promise<string | null>)(keyPrefix + key, value, ...args)) === 'OK';
    },
    delete: async (key) => void (await redis().del(keyPrefix + key)),
    increment: async (key, ttlMs) => {
      const [[, count]] = (await redis().multi().incr(keyPrefix + key).pexpire(keyPrefix + key, Math.max(1, Math.round(ttlMs)), 'NX').exec()) as [[unknown, number], unknown];
      return Number(count);
    },
  };

  const notices = services.notices ?? new NoticeService(services.db, services.realtime);
  const activities = services.activities ?? new ActivityService(services.db);

  const context: PluginContext = {
    name,
    version: plugin.version,
    basePath: pluginBasePath(name),
    role: services.role,
    logger: services.logger.child({ plugin: name }) as unknown as PluginContext['logger'],
    settings: pluginSettings(name, plugin.settings, services.config),
    realtime,
    tasks,
    store,
    // Only the reader's methods: the engine's reader object holds the host's DataSource.
    parts: Object.freeze({
      find: (name: string, options?: { sequence?: boolean }) => services.parts.find(name, options),
      findMany: (names: string[], options?: { sequence?: boolean }) => services.parts.findMany(names, options),
      count: () => services.parts.count(),
      subpartsOf: (partIds: number[]) => services.parts.subpartsOf(partIds),
      usersOf: (partIds: number[], perPart: number) => services.parts.usersOf(partIds, perPart),
    }),
    // Sent and recorded in the plugin's name; it removes only its own.
    notices: Object.freeze({
      send: (userIds: string | readonly string[], notice: Parameters<NoticeService['send']>[2]) => notices.send(name, userIds, notice),
      remove: (filter: Parameters<NoticeService['remove']>[1]) => notices.remove(name, filter),
    }),
    activities: Object.freeze({
      record: async (actor: Parameters<ActivityService['record']>[1], activity: Parameters<ActivityService['record']>[2]) => void (await activities.record(name, actor, activity)),
      remove: (filter: Parameters<ActivityService['remove']>[1]) => activities.remove(name, filter),
      list: (query: Parameters<ActivityService['list']>[0]) => activities.list({ byUsers: query.byUsers, onParts: query.onParts, exceptUser: query.exceptUser, types: query.types, before: query.before, limit: query.limit }),
    }),
    capabilities: granted,
    // The core's settings only, never a secret one, never another plugin's.
    platformSetting: (key: string) => {
      const setting = findSetting(key);
      return setting && !setting.secret ? services.config().value(key) : undefined;
    },
    database: () => {
      if (!granted.has('database')) throw refused(name, 'database', "the host's database", requested);
      return services.db;
    },
    sessions: () => {
      if (!granted.has('identity:sessions')) throw refused(name, 'identity:sessions', 'signing users in', requested);
      const store = services.sessions;
      const identity = services.identity;
      if (!store || !identity) throw new BrickyardError('unavailable', 'sessions are not available in this process');
      const raw = (request: RequestLike) => ('raw' in request ? request.raw : request) as IncomingMessage;
      const cookies = (request: IncomingMessage, token: string, csrf: string, maxAge: number) => {
        const secure = identity.isHttps(request) ? '; Secure' : '';
        return [
          `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`,
          `${CSRF_COOKIE}=${csrf}; Path=/; SameSite=Lax; Max-Age=${maxAge}${secure}`,
        ];
      };
      return {
        start: async (request, user) => {
          const previous = cookie(raw(request), SESSION_COOKIE);
          if (previous) await store.revoke(previous);
          const token = await store.create(user.userId, user.role, user.username);
          return cookies(raw(request), token, crypto.randomBytes(24).toString('base64url'), services.config().get('SESSION_TTL_HOURS') * 3600);
        },
        end: async (request) => {
          const token = cookie(raw(request), SESSION_COOKIE);
          if (token) await store.revoke(token);
          return cookies(raw(request), '', '', 0);
        },
        endAll: (userId) => store.revokeAll(userId),
      };
    },
    snapshot: () => {
      if (!granted.has('snapshot:write')) throw refused(name, 'snapshot:write', 'writing the parts snapshot', requested);
      const config = services.config();
      return { appDatabaseUrl: config.get('DATABASE_URL'), snapshotDatabase: snapshotDatabaseOf(config.get('DATABASE_URL'), config.get('SNAPSHOT_DATABASE')) };
    },
  };
  return {
    context: Object.freeze(context),
    granted,
    tables: tableScope(name, database, granted, otherPlugins),
    routePrefixes: valuesOf(granted, 'routes'),
    mayUseTopic,
    mayUseKind,
  };
}

import type { Config, SettingView } from '@brickyard/config';
import type { RedisConnections } from '@brickyard/db';
import type { SocketOwners } from '@brickyard/realtime';
import type { PartsReader, Realtime } from '@brickyard/sdk';
import type { TaskService } from '@brickyard/tasks';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { ControlBus, ClusterReloadReport } from './control-bus';
import type { ActivityService } from './activity-service';
import type { GrantsRepository } from './grants.repository';
import type { NoticeService } from './notice-service';
import type { PlatformEventLog } from './platform-event-log';
import type { OpenApiPaths } from './http/openapi-document';
import type { IdentityService } from './identity.service';
import type { SessionStore } from './session-store';
import type { PluginManifest } from './manifest';
import type { ClientBundle } from './plugin-client-bundles';
import type { PluginStateRepository } from './plugin-state.repository';
import type { PluginSettingsView } from './plugin-settings';

/** What one process reports about itself (GET /api/health). */
export interface ProcessHealth {
  status: 'ok' | 'starting';
  generation: number;
  pid: number;
  plugins: { name: string; version: string | null; status: string; error?: string }[];
}

/** A plugin the current generation serves. */
export interface ServedPlugin {
  name: string;
  manifest: PluginManifest;
  client?: ClientBundle;
  /** `failed` when its newest version was refused (`error` says why) and this one goes on serving. */
  status: 'active' | 'failed';
  error: string | null;
}

/**
 * The engine services of a process: what the kernel knows besides plugins
 * (docs/architecture.md: database, config, realtime, tasks, identity). They belong to
 * the process, so a reload never reopens them. Only the core app's controllers
 * see this object; a plugin gets a scoped PluginContext instead.
 */
export interface Engine {
  readonly role: 'http' | 'job';
  readonly db: DataSource;
  readonly redis: RedisConnections;
  readonly namespace: string;
  readonly bus: ControlBus;
  readonly pluginState: PluginStateRepository;
  readonly grants: GrantsRepository;
  readonly logger: Logger;
  readonly identity: IdentityService;
  /** Signed-in sessions (cookie → Redis). */
  readonly sessions: SessionStore;
  /** Sends websocket frames anywhere in the cluster (unscoped: the engine's own frames). */
  readonly realtime: Realtime;
  readonly tasks: TaskService;
  /** Who owns each open websocket, cluster-wide. */
  readonly sockets: SocketOwners;
  readonly parts: PartsReader;
  /** Every user's notices; unread counts pushed live. */
  readonly notices: NoticeService;
  /** The public record of what users did. */
  readonly activities: ActivityService;
  /** The platform's record of reloads, plugin failures, imports and ranking runs (the console's feed). */
  readonly events: PlatformEventLog;
  config(): Config;
  /** Every setting: the core's, then each served plugin's (section = plugin name); secrets masked. */
  describeSettings(): SettingView[];
  /** The declaration of a plugin setting the current generation serves, by key. */
  pluginSetting(key: string): PluginSettingsView | undefined;
  health(): ProcessHealth;
  /** The plugins the current generation serves (client-only ones included), with their client bundles. */
  servedPlugins(): ServedPlugin[];
  /** The file of a plugin's client bundle `/assets/plugins/<name>/<file>`, if this host has it. */
  pluginClientFile(name: string, file: string): string | undefined;
  /** OpenAPI paths of the core and of the plugins mounted in this process. */
  openApiPaths(): OpenApiPaths;
  /** `requestedBy` (a user name) is kept with the reload; the process asking otherwise. */
  reloadCluster(reason: string, requestedBy?: string): Promise<ClusterReloadReport>;
}

export const ENGINE = Symbol('Engine');

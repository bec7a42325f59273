import { Inject } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { DataSource } from 'typeorm';
import type { Activities } from './activities';
import type { Role } from './identity';
import type { Notices } from './notices';
import type { PartsReader } from './parts-reader';
import type { Realtime } from './realtime';
import type { PluginSettingDeclarations, PluginSettings } from './settings';
import type { Tasks } from './tasks';

/** A logger whose lines carry the plugin's name (pino's API: an object of fields, then a message). */
export interface PluginLogger {
  debug(fields: object | string, message?: string): void;
  info(fields: object | string, message?: string): void;
  warn(fields: object | string, message?: string): void;
  error(fields: object | string, message?: string): void;
}

/**
 * A small key-value store shared by every process of the cluster (Redis), for
 * caches and "only one of us does this" claims. Keys are the plugin's own:
 * another plugin's keys with the same names are different keys.
 */
export interface PluginStore {
  get(key: string): Promise<string | null>;
  /** Stores `value`; with `ifAbsent`, only when the key does not exist (true when stored). Expires after `ttlMs`. */
  set(key: string, value: string, options?: { ttlMs?: number; ifAbsent?: boolean }): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Adds 1 to a counter and returns it; the counter starts expiring (`ttlMs`) at its first increment. */
  increment(key: string, ttlMs: number): Promise<number>;
}

/** A request as controllers see it (Fastify's, whose `raw` is Node's) or Node's own. */
export type RequestLike = IncomingMessage | { raw: IncomingMessage };

/** Signed-in sessions, for a plugin that signs users in (capability `identity:sessions`). */
export interface SessionControl {
  /** Starts a new session for the user (never reusing one the client brought): the Set-Cookie values to send. */
  start(request: RequestLike, user: { userId: string; username: string; role: Role }): Promise<string[]>;
  /** Ends the request's session: the Set-Cookie values that clear it in the browser. */
  end(request: RequestLike): Promise<string[]>;
  /** Ends every session of a user (log out everywhere, a changed password). */
  endAll(userId: string): Promise<void>;
}

/** Where the live snapshot lives, for a plugin granted `snapshot:write` (an importer). */
export interface SnapshotAddress {
  /** The app database's URL (credentials included): importers open their own connections with it. */
  appDatabaseUrl: string;
  /** The snapshot database's name, on the same server. */
  snapshotDatabase: string;
}

/**
 * Everything a plugin gets from the platform, scoped to it (docs/plugins.md). Inject
 * it with `@InjectPluginContext()`; websocket handlers, tasks, commands and the
 * lifecycle hooks receive it too. What lies beyond its scope is a capability
 * named in `plugin.json` and granted by the operator.
 */
export interface PluginContext<S extends PluginSettingDeclarations = PluginSettingDeclarations> {
  readonly name: string;
  readonly version: string;
  /** URL path of the plugin's own routes, `/api/plugins/<name>`. */
  readonly basePath: string;
  /** The process it runs in: an HTTP worker, a job worker, or the CLI. */
  readonly role: 'http' | 'job' | 'cli';
  readonly logger: PluginLogger;
  readonly settings: PluginSettings<S>;
  /** Frames named `<name>.…` to sockets, users and `<name>:…` topics. */
  readonly realtime: Realtime;
  /** Tasks of its own kinds. */
  readonly tasks: Tasks;
  /** Its own keys in the cluster's shared store. */
  readonly store: PluginStore;
  /** The live parts snapshot, read-only. */
  readonly parts: PartsReader;
  /** Notices to users (stored, counted, pushed live); sent in the plugin's name. */
  readonly notices: Notices;
  /** The public record of what users did (timeline, profiles). */
  readonly activities: Activities;
  /** A platform setting that is not secret (e.g. SITE_TITLE). */
  platformSetting(key: string): unknown;
  /** Capabilities granted to it. */
  readonly capabilities: ReadonlySet<string>;
  /** The host's database (any table): capability `database`. */
  database(): DataSource;
  /** The snapshot's address, for importers: capability `snapshot:write`. */
  snapshot(): SnapshotAddress;
  /** Signed-in sessions: capability `identity:sessions`. */
  sessions(): SessionControl;
}

export const PLUGIN_CONTEXT = Symbol('PluginContext');
/** Injects the plugin's `PluginContext` into a provider or controller. */
export const InjectPluginContext = () => Inject(PLUGIN_CONTEXT);

import type { Config } from '@brickyard/config';
import type { Realtime, Tasks } from '@brickyard/sdk';
import type { DynamicModule, Type } from '@nestjs/common';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { ControlBus, ClusterReloadReport } from './control-bus';
import type { OpenApiPaths } from './http/openapi-document';
import type { PluginManifest } from './manifest';
import type { PluginStateRepository } from './plugin-state.repository';

/** What one process reports about itself (GET /api/health). */
export interface ProcessHealth {
  status: 'ok' | 'starting';
  generation: number;
  pid: number;
  plugins: { name: string; version: string | null; status: string; error?: string }[];
}

/**
 * The long-lived services of a process that every generation's core controllers
 * use. They belong to the host, so a reload never reopens them.
 */
export interface KernelHost {
  readonly db: DataSource;
  readonly bus: ControlBus;
  readonly pluginState: PluginStateRepository;
  readonly logger: Logger;
  readonly adminToken: string;
  /** Sends websocket frames anywhere in the cluster. */
  readonly realtime: Realtime;
  /** Submits and reads background tasks. */
  readonly tasks: Tasks;
  /** Core modules contributed by higher libraries (tasks, …), mounted in every generation. */
  readonly coreModules: (Type<unknown> | DynamicModule)[];
  config(): Config;
  health(): ProcessHealth;
  /** The plugins the current generation serves (client-only ones included). */
  servedPlugins(): { name: string; manifest: PluginManifest }[];
  /** OpenAPI paths of the core and of the libraries mounted in this process. */
  openApiPaths(): OpenApiPaths;
  reloadCluster(reason: string): Promise<ClusterReloadReport>;
}

export const KERNEL_HOST = Symbol('KernelHost');

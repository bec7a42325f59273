import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TaskDefinition, WsHandler } from '@brickyard/sdk';
import type { DataSource } from 'typeorm';
import type { LoadedPlugin } from './loaded-plugin';

/** A plugin's task kind, with where its code is (an isolated attempt loads it in a thread). */
export interface GenerationTask {
  kind: string;
  definition: TaskDefinition;
  source: { buildDir: string; sourceDir: string; entry: string; name: string };
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Nest stores each plugin's route prefix on its module class under this key + the app id. */
const MODULE_PATH = '__module_path__';

/**
 * An immutable, fully built application: core modules plus a fixed set of plugin
 * versions. The HTTP host sends each request to the current generation; a
 * replaced generation finishes its in-flight requests, then closes.
 */
export class Generation {
  private inflight = 0;
  private drained?: () => void;
  private closing?: Promise<void>;

  constructor(
    /** Cluster-wide generation number; advanced without a rebuild when a reload changes nothing. */
    public number: number,
    /** Identifies what was built (config + plugin checksums): equal fingerprints need no rebuild. */
    readonly fingerprint: string,
    readonly plugins: LoadedPlugin[],
    private readonly app: INestApplication,
    private readonly handler: RequestHandler,
    private readonly dataSource: DataSource,
    /** Websocket handlers of its plugins, by `<plugin>.<handler>`. */
    readonly wsHandlers: ReadonlyMap<string, WsHandler>,
    /** Task kinds of its plugins, by `<plugin>.<task>`. */
    readonly tasks: ReadonlyMap<string, GenerationTask>,
  ) {}

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.inflight++;
    res.once('close', () => {
      if (--this.inflight === 0) this.drained?.();
    });
    this.handler(req, res);
  }

  /** Waits for in-flight requests (at most `drainMs`), then closes the app and releases what it holds. */
  retire(drainMs: number): Promise<void> {
    this.closing ??= (async () => {
      if (this.inflight > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, drainMs);
          this.drained = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      const applicationId = this.app.get(ModulesContainer).applicationId;
      await this.app.close();
      await this.dataSource.destroy(); // metadata only: the pool is the host's
      for (const plugin of this.plugins) {
        if (plugin.definition) Reflect.deleteMetadata(MODULE_PATH + applicationId, plugin.definition.module);
      }
    })();
    return this.closing;
  }
}

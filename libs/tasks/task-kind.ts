import type { PluginContext, TaskDefinition } from '@brickyard/sdk';

/** A task kind as offered by the current generation (or the core). */
export interface TaskKind {
  kind: string;
  definition: TaskDefinition;
  /** The plugin offering it (none for the engine's own kinds). */
  plugin?: PluginContext;
  /** Where the kind's code lives, so an isolated attempt can load it in a worker thread. */
  source?: { buildDir: string; sourceDir: string; entry: string; name: string; platformLibraries: boolean };
}

export type TaskKindResolver = (kind: string) => TaskKind | undefined;

export const DEFAULT_QUEUE = 'default';
export const QUEUE_NAME = /^[a-z][a-z0-9-]{0,40}$/;

export const queueOf = (kind: TaskKind) => kind.definition.queue ?? DEFAULT_QUEUE;

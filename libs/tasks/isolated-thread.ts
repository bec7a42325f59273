import type { PluginDefinition } from '@brickyard/sdk';
import { parentPort, workerData } from 'node:worker_threads';
import { loadPluginModule } from '../kernel/plugin-module-loader';
import type { ThreadMessage } from './isolated-attempt';
import type { TaskKind } from './task-kind';
import { identityOfOwner } from './task-owner';

/** Inside the worker thread of an isolated task: load the plugin's code, run the task, report. */
async function main(): Promise<void> {
  const { source, params, task } = workerData as { source: NonNullable<TaskKind['source']>; params: unknown; task: { id: string; attempt: number; owner: string | null } };
  const post = (message: ThreadMessage) => parentPort!.postMessage(message);
  try {
    const code = loadPluginModule(source.buildDir, source.sourceDir, source.entry, { platformLibraries: source.platformLibraries });
    const definition = ((code.exports as { default?: PluginDefinition }).default ?? code.exports) as PluginDefinition;
    const run = definition.tasks?.[source.name]?.run;
    if (typeof run !== 'function') throw new Error(`the plugin no longer defines task ${source.name}`);
    const value = await run(params, {
      taskId: task.id,
      attempt: task.attempt,
      identity: identityOfOwner(task.owner),
      signal: new AbortController().signal, // the thread is terminated instead
      progress: async (percent, message) => post({ type: 'progress', percent, message }),
    });
    post({ type: 'result', value });
  } catch (error) {
    post({ type: 'error', message: (error as Error)?.message ?? String(error) });
  }
}

void main();

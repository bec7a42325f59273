import type { PluginContext, PluginDefinition } from '@brickyard/sdk';
import { parentPort, workerData } from 'node:worker_threads';
import { loadPluginModule } from '../kernel/plugin-module-loader';
import type { ParentMessage, ThreadMessage } from './isolated-attempt';
import type { TaskKind } from './task-kind';
import { identityOfOwner } from './task-owner';

const post = (message: ThreadMessage) => parentPort!.postMessage(message);
const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
const aborter = new AbortController();
let calls = 0;

parentPort!.on('message', (message: ParentMessage) => {
  if (message.type === 'abort') return aborter.abort(new Error(message.error ?? 'aborted'));
  const call = pending.get(message.call!);
  pending.delete(message.call!);
  if (message.error !== undefined) call?.reject(new Error(message.error));
  else call?.resolve(message.value);
});

/** Asks the parent to run one of its `CALLS` on the plugin's context. */
function call<T>(method: string, ...args: unknown[]): Promise<T> {
  const id = ++calls;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    post({ type: 'call', call: id, method, args });
  });
}

/**
 * The plugin's context as an isolated task sees it: its name, settings (as they were when the
 * attempt started), store, notices and logger, each served by the parent. The rest of the
 * context is not in the thread: reading it throws, saying so.
 */
function threadContext(name: string, settings: Record<string, unknown>): PluginContext {
  const log = (level: string) => (fields: object | string, message?: string) => void call('log', level, fields, message).catch(() => {});
  const context: Partial<PluginContext> = {
    name,
    settings: {
      get: (key: string) => {
        if (!(key in settings)) throw new Error(`${name} declares no setting ${key}`);
        return settings[key] as never;
      },
    },
    store: {
      get: (key) => call('store.get', key),
      set: (key, value, options) => call('store.set', key, value, options),
      delete: (key) => call('store.delete', key),
      increment: (key, ttlMs) => call('store.increment', key, ttlMs),
    },
    notices: {
      send: (users, notice) => call('notices.send', users, notice),
      remove: (filter) => call('notices.remove', filter),
    },
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
  };
  return new Proxy(context as PluginContext, {
    get(target, key) {
      if (typeof key === 'string' && !(key in target) && key !== 'then') throw new Error(`an isolated task's thread has no plugin.${key}: run the task inline (isolated: false) to use it`);
      return Reflect.get(target, key);
    },
  });
}

/** Inside the worker thread of an isolated task: load the plugin's code, run the task, report. */
async function main(): Promise<void> {
  const { source, params, task, plugin } = workerData as {
    source: NonNullable<TaskKind['source']>;
    params: unknown;
    task: { id: string; attempt: number; owner: string | null };
    plugin: { name: string } | null;
  };
  try {
    const code = loadPluginModule(source.buildDir, source.sourceDir, source.entry, { platformLibraries: source.platformLibraries });
    const definition = ((code.exports as { default?: PluginDefinition }).default ?? code.exports) as PluginDefinition;
    const run = definition.tasks?.[source.name]?.run;
    if (typeof run !== 'function') throw new Error(`the plugin no longer defines task ${source.name}`);
    const settings = plugin ? await call<Record<string, unknown>>('settings', Object.keys(definition.settings ?? {})) : {};
    const value = await run(params, {
      taskId: task.id,
      attempt: task.attempt,
      identity: identityOfOwner(task.owner),
      signal: aborter.signal, // aborted by the parent, which terminates the thread soon after
      plugin: plugin ? threadContext(plugin.name, settings) : undefined,
      progress: async (percent, message) => {
        if (aborter.signal.aborted) throw aborter.signal.reason;
        post({ type: 'progress', percent, message });
      },
    });
    post({ type: 'result', value });
  } catch (error) {
    post({ type: 'error', message: (error as Error)?.message ?? String(error) });
  }
}

void main();

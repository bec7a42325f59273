import type { PluginContext } from '@brickyard/sdk';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TaskKind } from './task-kind';

const threadEntry = path.resolve(__dirname, '..', '..', 'bin', 'task-thread.js');

/** How long an aborted thread may take to stop on its own (kill what it started) before it is terminated. */
export const ISOLATED_STOP_GRACE_MS = 500;

/** From the thread to its parent. */
export interface ThreadMessage {
  type: 'progress' | 'result' | 'error' | 'call';
  percent?: number;
  message?: string;
  value?: unknown;
  /** A `call`: its number, the plugin-context method and its arguments. */
  call?: number;
  method?: string;
  args?: unknown[];
}

/** From the parent to the thread: the answer to a call, or the attempt's abort. */
export interface ParentMessage {
  type: 'reply' | 'abort';
  call?: number;
  value?: unknown;
  error?: string;
}

/**
 * What an isolated task's thread may ask of its plugin's context, served by the parent:
 * the plugin's own store and notices, its settings (read once, at the start), and its logger.
 * Everything crosses as structured-clone data; anything else of the context (database, tasks,
 * realtime, parts…) stays in the parent, where a task that needs it runs inline.
 */
const CALLS: Record<string, (plugin: PluginContext, args: any[]) => unknown> = {
  'store.get': (p, [key]) => p.store.get(key),
  'store.set': (p, [key, value, options]) => p.store.set(key, value, options),
  'store.delete': (p, [key]) => p.store.delete(key),
  'store.increment': (p, [key, ttlMs]) => p.store.increment(key, ttlMs),
  'notices.send': (p, [users, notice]) => p.notices.send(users, notice),
  'notices.remove': (p, [filter]) => p.notices.remove(filter),
  settings: (p, [keys]) => Object.fromEntries((keys as string[]).map((key) => [key, p.settings.get(key)])),
  log: (p, [level, fields, message]) => void (['debug', 'info', 'warn', 'error'].includes(level) && p.logger[level as 'info'](fields, message)),
};
export const ISOLATED_CALLS = Object.keys(CALLS);

/**
 * Runs one attempt of an isolated task in a worker thread that loads the
 * plugin's compiled code itself. The thread reaches its plugin's store, notices,
 * settings and logger by messages to this side (`CALLS`). On abort (timeout or
 * cancellation) the attempt settles at once; the thread's `signal` is aborted so
 * it can stop what it started (a child process), and it is terminated when it
 * ends or after ISOLATED_STOP_GRACE_MS, which stops even a busy loop.
 */
export function runIsolated(
  kind: TaskKind,
  params: unknown,
  task: { id: string; attempt: number; owner: string | null },
  signal: AbortSignal,
  onProgress: (percent: number, message?: string) => void,
): Promise<unknown> {
  if (!kind.source) return Promise.reject(new Error(`${kind.kind} cannot run isolated: its code has no build folder`));
  return new Promise((resolve, reject) => {
    const worker = new Worker(threadEntry, { workerData: { source: kind.source, params, task, plugin: kind.plugin ? { name: kind.plugin.name } : null } });
    let ended = false;
    const end = () => {
      ended = true;
      signal.removeEventListener('abort', stop);
      void worker.terminate();
    };
    const stop = () => {
      if (ended) return;
      signal.removeEventListener('abort', stop);
      reject(signal.reason ?? new Error('aborted'));
      worker.postMessage({ type: 'abort', error: (signal.reason as Error)?.message } satisfies ParentMessage);
      setTimeout(end, ISOLATED_STOP_GRACE_MS).unref();
    };
    const answer = async (message: ThreadMessage) => {
      const reply = (part: Partial<ParentMessage>) => !ended && worker.postMessage({ type: 'reply', call: message.call, ...part } satisfies ParentMessage);
      try {
        const serve = CALLS[message.method ?? ''];
        if (!serve || !kind.plugin) throw new Error(`an isolated task cannot call ${message.method}`);
        if (signal.aborted) throw new Error('the task was stopped');
        reply({ value: await serve(kind.plugin, message.args ?? []) });
      } catch (error) {
        reply({ error: (error as Error)?.message ?? String(error) });
      }
    };
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    worker.on('message', (message: ThreadMessage) => {
      if (message.type === 'call') void answer(message);
      else if (message.type === 'progress') {
        if (!signal.aborted) onProgress(message.percent ?? 0, message.message);
      } else {
        end();
        if (message.type === 'result') resolve(message.value);
        else reject(new Error(message.message));
      }
    });
    worker.on('error', (error) => {
      end();
      reject(error);
    });
    worker.on('exit', (code) => {
      end();
      reject(new Error(`the task's thread exited (code ${code}) without a result`));
    });
  });
}

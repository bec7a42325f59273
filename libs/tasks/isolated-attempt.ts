import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TaskKind } from './task-kind';

const threadEntry = path.resolve(__dirname, '..', '..', 'bin', 'task-thread.js');

export interface ThreadMessage {
  type: 'progress' | 'result' | 'error';
  percent?: number;
  message?: string;
  value?: unknown;
}

/**
 * Runs one attempt of an isolated task in a worker thread that loads the
 * plugin's compiled code itself. The thread is terminated when `signal` aborts
 * (timeout or cancellation), which stops even a busy loop.
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
    const worker = new Worker(threadEntry, { workerData: { source: kind.source, params, task } });
    const stop = () => {
      void worker.terminate();
      reject(signal.reason ?? new Error('aborted'));
    };
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    worker.on('message', (message: ThreadMessage) => {
      if (message.type === 'progress') onProgress(message.percent ?? 0, message.message);
      else {
        signal.removeEventListener('abort', stop);
        void worker.terminate();
        if (message.type === 'result') resolve(message.value);
        else reject(new Error(message.message));
      }
    });
    worker.on('error', (error) => {
      signal.removeEventListener('abort', stop);
      reject(error);
    });
    worker.on('exit', (code) => {
      signal.removeEventListener('abort', stop);
      reject(new Error(`the task's thread exited (code ${code}) without a result`));
    });
  });
}

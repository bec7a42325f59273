import { FINISHED, follow } from '@brickyard/client';
import { onUnmounted, ref } from 'vue';
import type { AdminTask } from './admin-api';
import { snapshotApi } from './snapshot-api';

/** How often the task is read again while it runs, in case a frame was missed (a reconnect, a tab asleep). */
const RECHECK_MS = 5000;

/**
 * One task followed live: its `task:<id>` frames (progress, message, the end
 * with its result) are merged into `task` as they arrive; it is also read
 * again now and then, so a missed frame never leaves the bar stuck. `onEnd`
 * runs once, with the finished task.
 */
export function useFollowedTask(onEnd: (task: AdminTask) => void) {
  const task = ref<AdminTask>();
  let stop: (() => void) | undefined;
  let timer: ReturnType<typeof setInterval> | undefined;

  function release() {
    stop?.();
    stop = undefined;
    clearInterval(timer);
    timer = undefined;
  }

  function merge(update: Partial<AdminTask> & { id: string }) {
    if (!task.value || update.id !== task.value.id || FINISHED.has(task.value.state)) return;
    // A frame carries the changed fields; a late progress frame never moves the bar back.
    const fields = Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined)) as Partial<AdminTask>;
    if (fields.progress !== undefined && !FINISHED.has(fields.state ?? task.value.state)) fields.progress = Math.max(fields.progress, task.value.progress);
    task.value = { ...task.value, ...fields };
    if (FINISHED.has(task.value.state)) {
      release();
      onEnd(task.value);
    }
  }

  /** Follows `started` (as the submit answered it) until it ends. */
  function start(started: AdminTask) {
    release();
    task.value = started;
    if (FINISHED.has(started.state)) return onEnd(started);
    stop = follow<Partial<AdminTask> & { id: string }>(`task:${started.id}`, 'task', merge);
    timer = setInterval(() => {
      snapshotApi.task(started.id).then(merge, () => {}); // a failed read is retried at the next tick
    }, RECHECK_MS);
  }

  onUnmounted(release);
  return { task, start, clear: () => (release(), (task.value = undefined)) };
}

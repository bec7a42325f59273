import type { Realtime, Recipients, TaskView } from '@brickyard/sdk';

/** The websocket frame name of task updates. */
export const TASK_FRAME = 'task';
export const taskTopic = (id: string) => `task:${id}`;

/**
 * Pushes a task's new state or progress, in one message, to its owner, to topic
 * `task:<id>` (unless `topic` is false: nobody can have subscribed to a task whose
 * id has not been answered yet), and to `socketId` when the submitter named one
 * (POST /api/tasks `socketId`).
 */
export function publishTask(realtime: Realtime, task: Pick<TaskView, 'id' | 'owner'> & Partial<TaskView>, socketId?: string, topic = true): Promise<void> {
  return realtime.toRecipients(taskRecipients(task, socketId, topic), TASK_FRAME, task);
}

/** Who gets a task's frames (see publishTask). */
export function taskRecipients(task: Pick<TaskView, 'id' | 'owner'>, socketId?: string, topic = true): Recipients {
  return { topics: topic ? [taskTopic(task.id)] : undefined, users: task.owner ? [task.owner] : undefined, sockets: socketId ? [socketId] : undefined };
}

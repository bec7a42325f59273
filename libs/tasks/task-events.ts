import type { Realtime, TaskView } from '@brickyard/sdk';

/** The websocket frame name of task updates. */
export const TASK_FRAME = 'task';
export const taskTopic = (id: string) => `task:${id}`;

/**
 * Pushes a task's new state or progress to its owner and to topic `task:<id>`, and to
 * `socketId` when the submitter named one (POST /api/tasks `socketId`).
 */
export async function publishTask(realtime: Realtime, task: Pick<TaskView, 'id' | 'owner'> & Partial<TaskView>, socketId?: string): Promise<void> {
  await Promise.all([
    realtime.toTopic(taskTopic(task.id), TASK_FRAME, task),
    task.owner ? realtime.toUser(task.owner, TASK_FRAME, task) : undefined,
    socketId ? realtime.toSocket(socketId, TASK_FRAME, task) : undefined,
  ]);
}

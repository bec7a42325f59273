export { taskServices, type TaskServicesOptions } from './task-services';
export { TaskService, cancelChannel, type TaskLimits } from './task.service';
export { TaskRunner } from './task-runner';
export { TaskRequestError } from './task-errors';
export { coreTasks } from './core-tasks';
export { publishTask, taskTopic, TASK_FRAME } from './task-events';
export { DEFAULT_QUEUE, type TaskKind, type TaskKindResolver } from './task-kind';

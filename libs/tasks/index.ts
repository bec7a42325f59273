export { TaskService, cancelChannel, type TaskLimits, type Submitter } from './task.service';
export { TaskRunner, type TaskRunnerOptions } from './task-runner';
export { coreTasks } from './core-tasks';
export { publishTask, taskTopic, TASK_FRAME } from './task-events';
export { DEFAULT_QUEUE, queueOf, type TaskKind, type TaskKindResolver } from './task-kind';
export { identityOfOwner, mayRead, pluginOwner } from './task-owner';
export { publicTask } from './public-task';
export { runIsolated, ISOLATED_CALLS, ISOLATED_STOP_GRACE_MS } from './isolated-attempt';

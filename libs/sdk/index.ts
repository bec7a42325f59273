/**
 * @brickyard/sdk — the only platform package a plugin imports. Plugins resolve it
 * (and @nestjs/*, typeorm) from the host, wherever their folder is.
 */
export { definePlugin, isPluginDefinition, type PluginDefinition, type PluginMigration } from './plugin-definition';
export { InjectRepository, getRepositoryToken } from './repository-token';
export { InjectPluginInfo, PLUGIN_INFO, type PluginInfo } from './plugin-info';
export { InjectRealtime, REALTIME, type Frame, type Identity, type Realtime, type Recipients, type WsContext, type WsHandler, type WsHandlerFunction } from './realtime';
export { defineTask, InjectTasks, TASKS, type TaskContext, type TaskDefinition, type TaskState, type TaskView, type Tasks } from './tasks';

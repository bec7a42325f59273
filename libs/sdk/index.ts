/**
 * @brickyard/sdk — the only platform package a plugin imports. Plugins resolve it
 * (and @nestjs/*, typeorm) from the host, wherever their folder is. Everything a
 * plugin gets is scoped to it (docs/plugins.md).
 */
export { definePlugin, isPluginDefinition, type PluginDefinition, type PluginMigration } from './plugin-definition';
export { InjectPluginContext, PLUGIN_CONTEXT, type PluginContext, type PluginLogger, type PluginStore, type RequestLike, type SessionControl, type SnapshotAddress } from './context';
export { InjectRepository, getRepositoryToken } from './repository-token';
export { type Frame, type Realtime, type Recipients, type WsContext, type WsHandler, type WsHandlerFunction } from './realtime';
export { defineTask, type SubmitOptions, type TaskContext, type TaskDefinition, type TaskState, type TaskView, type Tasks } from './tasks';
export { ANONYMOUS, CurrentIdentity, identityOf, ownerOf, type Identity, type Role } from './identity';
export { assertAccess, RequireAccess, type Access } from './access';
export { BrickyardError, isBrickyardError, codeOfStatus, STATUS_OF, type ErrorCode } from './errors';
export { ZodPipe, describeIssues } from './validation';
export { defineSetting, settingPrefix, boolean, integer, text, type PluginSetting, type PluginSettings, type PluginSettingDeclarations } from './settings';
export { defineCommand, type CommandContext, type CommandDefinition } from './commands';
export type { PartLink, PartsReader, SnapshotPart } from './parts-reader';
export { noticeLink, type NoticeInput, type Notices, type NoticeTarget } from './notices';
export type { Activities, ActivityInput, ActivityQuery, ActivityRecord } from './activities';
export { DRAIN_LIMIT, drainAtMost, readUpload, sniffType, type Upload, type UploadOptions, type UploadType } from './uploads';
export { ADMIN, SIGNED_IN, error as errorResponse, json, type OpenApiOperation, type OpenApiPaths } from './openapi';
export { maskSecrets, maskUrl } from './secrets';

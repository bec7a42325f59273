/**
 * `@brickyard/client`: what the shell and plugins' client code share, one
 * instance per page. The host page maps the name to this module (built on its
 * own, with `vue` and `vue-router` external) in its import map, so a plugin
 * compiled later imports the very same API client, websocket and user.
 */
export { ApiError, api, apiUrl, csrfToken, request, type RequestOptions } from './api';
export { connection, follow, useRealtime, RealtimeClient, RealtimeError } from './realtime';
export { STATUS_LABELS, type ConnectionStatus } from './connection-state';
export { currentUser, loadCurrentUser, type User } from './current-user';
export { dismissTask, startTaskTray, submitTask, tray, FINISHED, type TaskState, type TrayTask } from './task-tray';
export { notices, startNotices } from './notices';
export { menuEntries, register, slotEntries, unregister, type MenuEntry, type SlotEntry, type SlotName, type SlotProps } from './registry';
export { preloadSequenceMap, SequenceMap, siteKey, sitesFromCompatibility, standardName, type Compatibility, type MapFeature, type MapSite, type SequenceSelection } from './sequence-map';
export { StructureViewer, type Colouring, type PdbSummary, type Representation } from './structure-viewer';
export { defineClientPlugin, isClientPlugin, pluginPath, type ClientPluginDefinition, type PluginMenuEntry, type PluginRoute, type PluginSlotEntry } from './plugin-contract';
export { pluginClients, refreshPluginClients, startPluginClients, PLUGINS_CHANGED_FRAME, type PluginInfo } from './plugin-clients';
export { pluginStyleKeys, withPluginStyle } from './plugin-styles';

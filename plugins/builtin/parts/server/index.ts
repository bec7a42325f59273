import { partsOpenApi } from '@brickyard/parts';
import { definePlugin } from '@brickyard/sdk';
import { PartSocial1765100000000 } from '../migrations/1765100000000-part-social';
import { partsCommands } from './commands';
import { onMount, onUnmount } from './lifecycle';
import { PartsModule } from './parts.module';
import { partsSettings } from './settings';
import { partsTasks } from './tasks';

/**
 * The built-in parts plugin: the iGEM snapshot and everything on it. It is
 * declared and loaded like any plugin; its capabilities (plugin.json) are granted
 * because it is built in. Disable it and /api/parts is gone, with the data kept.
 */
export default definePlugin({
  module: PartsModule,
  migrations: [PartSocial1765100000000],
  settings: partsSettings,
  tasks: partsTasks,
  commands: partsCommands,
  openApi: partsOpenApi,
  onMount,
  onUnmount,
});

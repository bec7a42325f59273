import type { PluginDefinition } from '@brickyard/sdk';
import type { PluginManifest } from './manifest';
import type { LoadedModule } from './plugin-module-loader';

/** One version of a plugin whose code is loaded in this process. */
export interface LoadedPlugin {
  name: string;
  manifest: PluginManifest;
  dir: string;
  checksum: string;
  /** Absent for a plugin without server code. */
  code?: LoadedModule;
  definition?: PluginDefinition;
}

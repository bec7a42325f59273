import type { PluginDefinition } from '@brickyard/sdk';
import type { PluginManifest } from './manifest';
import type { LoadedModule } from './plugin-module-loader';

/** One version of a plugin whose code is loaded in this process. */
export interface LoadedPlugin {
  name: string;
  manifest: PluginManifest;
  dir: string;
  checksum: string;
  /** Shipped with the platform (plugins/builtin): granted what it requests. */
  builtin: boolean;
  /** Capabilities its manifest requests. */
  requested: ReadonlySet<string>;
  /** Capabilities granted to it when it was loaded (a change of grants loads it again). */
  granted: ReadonlySet<string>;
  /** Absent for a plugin without server code. */
  code?: LoadedModule;
  definition?: PluginDefinition;
}

/** Identifies a set of grants, to tell when they changed. */
export const grantKey = (granted: ReadonlySet<string>) => [...granted].sort().join(',');

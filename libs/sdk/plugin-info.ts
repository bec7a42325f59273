import { Inject } from '@nestjs/common';

/** What a plugin may know about itself and the platform at runtime. */
export interface PluginInfo {
  name: string;
  version: string;
  /** URL path under which the plugin's controllers are mounted, e.g. `/api/plugins/hello`. */
  basePath: string;
  /** Effective value of a platform setting that is not secret. */
  setting(key: string): unknown;
}

export const PLUGIN_INFO = Symbol('PluginInfo');
export const InjectPluginInfo = () => Inject(PLUGIN_INFO);

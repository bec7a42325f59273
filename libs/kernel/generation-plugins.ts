import type { PluginManifest } from './manifest';

/** The plugins a generation serves (its own injection token, so core controllers can list them). */
export interface GenerationPlugin {
  name: string;
  manifest: PluginManifest;
}

export const GENERATION_PLUGINS = Symbol('GenerationPlugins');

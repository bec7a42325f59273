import type { PluginContext } from '@brickyard/sdk';
import type { SnapshotServices } from '@brickyard/ranking';
import type { PartsSettings } from './settings';

/** What importing and ranking need, from the plugin's context (capabilities database and snapshot:write). */
export function snapshotServices(context: PluginContext<PartsSettings>): SnapshotServices {
  return { db: context.database(), snapshot: context.snapshot(), strategy: context.settings.get('PARTS_RANKING_STRATEGY') };
}

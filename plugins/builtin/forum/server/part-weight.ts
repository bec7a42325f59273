import { reweightPart } from '@brickyard/ranking';
import type { PluginContext } from '@brickyard/sdk';
import type { QueryRunner } from 'typeorm';

/**
 * The part's forum counters the ranking reads (part_forum_stats.experiences and
 * good_experiences) and its live weight. Both are changed inside the forum's
 * own transaction, after the forum's rows: part_forum_stats is always the last
 * row a forum or parts transaction locks, so they never wait in a cycle.
 */
export class PartWeight {
  private readonly partsTable: string;

  constructor(plugin: PluginContext) {
    // The live snapshot's parts, as the parts plugin and the engine's parts reader name them (snapshotDatabaseOf in @brickyard/db).
    const appDatabase = String(plugin.database().options.database);
    const snapshot = String(plugin.platformSetting('SNAPSHOT_DATABASE') || '') || `${appDatabase}_igem`;
    this.partsTable = `\`${snapshot.replace(/`/g, '``')}\`.parts_filtered`;
  }

  /** Moves the part's counters by `experiences` and `good` (±1 or 0), then re-weights it. */
  async count(tx: QueryRunner, partName: string, experiences: number, good: number): Promise<void> {
    if (experiences !== 0 || good !== 0) {
      await tx.query(
        `INSERT INTO part_forum_stats (part_name, experiences, good_experiences) VALUES (?, GREATEST(?, 0), GREATEST(?, 0))
         ON DUPLICATE KEY UPDATE experiences = experiences + ?, good_experiences = good_experiences + ?`,
        [partName, experiences, good, experiences, good],
      );
    }
    await this.reweight(tx, partName);
  }

  /**
   * Re-weights the part now, with the ranking's own SQL (libs/ranking's
   * reweightPart, as the parts plugin does for ratings), holding the part's
   * counter row so concurrent changes of one part take turns.
   */
  async reweight(tx: QueryRunner, partName: string): Promise<void> {
    await tx.query('SELECT part_name FROM part_forum_stats WHERE part_name = ? FOR UPDATE', [partName]);
    await reweightPart(tx, this.partsTable, partName);
  }
}

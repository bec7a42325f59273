import { ensureSnapshotSchema, RANKING_INPUTS_INDEX, snapshotDatabaseFor } from '@brickyard/parts';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createPartsView } from './1763780400000-parts-views';

/**
 * `part_weights` is keyed by part_id instead of part_name, and the live
 * `parts_filtered` gets the covering index `ranking_inputs` (an import creates
 * it from now on). Ranking looks up or inserts a million weights by key: an
 * integer compares in a few instructions, a part name under
 * utf8mb4_unicode_ci in a collation walk, several times per B-tree descent.
 * The view joins the weights on part_id. Existing weights are kept (those of
 * parts in the live snapshot, the only ones the view shows).
 */
export class PartWeightsById1763780600000 implements MigrationInterface {
  name = 'PartWeightsById1763780600000';

  async up(db: QueryRunner): Promise<void> {
    const snapshot = snapshotDatabaseFor(String(db.connection.options.database));
    await ensureSnapshotSchema(db, snapshot);
    const live = `\`${snapshot}\`.parts_filtered`;
    const [{ n }] = await db.query(
      `SELECT COUNT(*) AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'parts_filtered' AND INDEX_NAME = 'ranking_inputs'`,
      [snapshot],
    );
    if (!Number(n)) await db.query(`ALTER TABLE ${live} ADD KEY ${RANKING_INPUTS_INDEX}`);
    await db.query(`
      CREATE TABLE part_weights_by_id (
        part_id INT NOT NULL PRIMARY KEY,
        weight DOUBLE NOT NULL DEFAULT 0,
        components TEXT NOT NULL COMMENT 'JSON: signal -> value (null when absent)',
        strategy VARCHAR(40) NOT NULL,
        updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        KEY weight (weight)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await db.query(`
      INSERT INTO part_weights_by_id (part_id, weight, components, strategy, updated_at)
      SELECT p.part_id, w.weight, w.components, w.strategy, w.updated_at FROM part_weights w JOIN ${live} p ON p.part_name = w.part_name`);
    await db.query('DROP VIEW IF EXISTS parts');
    await db.query('RENAME TABLE part_weights TO part_weights_by_name, part_weights_by_id TO part_weights');
    await db.query('DROP TABLE part_weights_by_name');
    await createPartsView(db, 'part_id');
  }

  async down(): Promise<void> {
    // Weights are derived data: the previous layout is not restored (a ranking would refill it).
    throw new Error('PartWeightsById1763780600000 cannot be reverted');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ensureSnapshotSchema, snapshotDatabaseFor } from './snapshot-schema';

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
    if (!Number(n)) {
      await db.query(`ALTER TABLE ${live}
        ADD KEY ranking_inputs (part_id, status, sample_status, works, uses, favorite, has_barcode, compatible_standards, review_total, review_count)`);
    }
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
    // Frozen: this migration's own copy of the view (weights keyed by part_id), so it makes the same view forever.
    await db.query(`
    CREATE OR REPLACE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW parts AS
    SELECT p.part_id, p.part_name, p.short_desc, p.description, p.part_type, p.author, p.status, p.part_status, p.sample_status,
      p.works, p.dominant, p.informational, p.discontinued, p.creation_date, p.m_datetime, p.uses, p.favorite, p.has_barcode,
      p.rating, p.review_count, p.review_total, p.categories, p.nickname, s.notes, s.source, s.sequence, p.sequence_length,
      p.seq_sha1, s.compatibility, p.compatible_standards, s.specified_u_list, s.deep_u_list,
      w.weight,
      e.extras, e.fetched_at AS extras_fetched_at,
      COALESCE(f.rates, 0) AS rates, COALESCE(f.rate_sum, 0) AS rate_sum, COALESCE(f.stars, 0) AS stars,
      COALESCE(f.watches, 0) AS watches, COALESCE(f.experiences, 0) AS experiences
    FROM part_weights w
    JOIN \`${snapshot}\`.parts_filtered p ON p.part_id = w.part_id
    LEFT JOIN \`${snapshot}\`.parts_sequences s ON s.part_id = p.part_id
    LEFT JOIN part_extras e ON e.part_name = p.part_name
    LEFT JOIN part_forum_stats f ON f.part_name = p.part_name`);
  }

  async down(): Promise<void> {
    // Weights are derived data: the previous layout is not restored (a ranking would refill it).
    throw new Error('PartWeightsById1763780600000 cannot be reverted');
  }
}

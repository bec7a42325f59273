import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ensureSnapshotSchema, snapshotDatabaseFor } from './snapshot-schema';

const WIDE = ['specified_u_list', 'deep_u_list', 'notes', 'source', 'sequence', 'compatibility'];

/**
 * The snapshot's wide columns move out of `parts_filtered` into
 * `parts_sequences` (keyed by part_id), and the `parts` view joins them back.
 * A live snapshot imported before this change is converted in place; its
 * `*_prev` tables, if any, are left as they are (the next import drops them).
 */
export class PartsSequences1763780500000 implements MigrationInterface {
  name = 'PartsSequences1763780500000';

  async up(db: QueryRunner): Promise<void> {
    const snapshot = snapshotDatabaseFor(String(db.connection.options.database));
    await ensureSnapshotSchema(db, snapshot);
    const columns = (await db.query(
      `SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'parts_filtered'`,
      [snapshot],
    )) as { c: string }[];
    if (columns.some((r) => r.c === 'sequence')) {
      const live = `\`${snapshot}\`.parts_filtered`;
      await db.query(`INSERT IGNORE INTO \`${snapshot}\`.parts_sequences (part_id, ${WIDE.join(', ')}) SELECT part_id, ${WIDE.join(', ')} FROM ${live}`);
      await db.query(`ALTER TABLE ${live} ${WIDE.map((c) => `DROP COLUMN ${c}`).join(', ')}`);
    }
    // Frozen: this migration's own copy of the view (weights keyed by part_name), so it makes the same view forever.
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
    JOIN \`${snapshot}\`.parts_filtered p ON p.part_name = w.part_name
    LEFT JOIN \`${snapshot}\`.parts_sequences s ON s.part_id = p.part_id
    LEFT JOIN part_extras e ON e.part_name = p.part_name
    LEFT JOIN part_forum_stats f ON f.part_name = p.part_name`);
  }

  async down(): Promise<void> {
    // The split is kept: the view of the previous migration would not find the wide columns in parts_filtered.
    throw new Error('PartsSequences1763780500000 cannot be reverted');
  }
}

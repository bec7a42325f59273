import { ensureSnapshotSchema, snapshotDatabaseFor } from '@brickyard/parts';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createPartsView } from './1763780400000-parts-views';

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
    await createPartsView(db, 'part_name');
  }

  async down(): Promise<void> {
    // The split is kept: the view of the previous migration would not find the wide columns in parts_filtered.
    throw new Error('PartsSequences1763780500000 cannot be reverted');
  }
}

import { ensureSnapshotSchema, snapshotDatabaseFor } from '@brickyard/parts';
import { createForumTable, createStateTable, RANKING_FORUM, RANKING_STATE } from '@brickyard/ranking';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createPartsView } from './1763780400000-parts-views';

/**
 * `part_weights` keeps only part_id and weight: a part's components are worked
 * out on read from the state the last ranking kept (`ranking_state`: strategy,
 * maxima, mean rating; `ranking_forum`: the forum counters it saw), instead of
 * a JSON text rewritten for every part whenever the weights change. The
 * weights stay; the state is empty until the next ranking, and until then a
 * part's components are not known (null).
 */
export class RankingState1763780700000 implements MigrationInterface {
  name = 'RankingState1763780700000';

  async up(db: QueryRunner): Promise<void> {
    const snapshot = snapshotDatabaseFor(String(db.connection.options.database));
    await ensureSnapshotSchema(db, snapshot);
    await db.query(createStateTable(RANKING_STATE, `\`${snapshot}\`.parts_filtered`, 'bayesian', { empty: true }));
    await db.query(createForumTable(RANKING_FORUM));
    await db.query('DROP VIEW IF EXISTS parts');
    await db.query('ALTER TABLE part_weights DROP COLUMN components, DROP COLUMN strategy, DROP COLUMN updated_at');
    await createPartsView(db);
  }

  async down(): Promise<void> {
    // Weights are derived data: the previous layout is not restored (a ranking would refill it).
    throw new Error('RankingState1763780700000 cannot be reverted');
  }
}

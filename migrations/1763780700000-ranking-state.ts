import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ensureSnapshotSchema, snapshotDatabaseFor } from './snapshot-schema';

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
    // Frozen: the SQL of @brickyard/ranking's createStateTable and createForumTable when this was written. The state's
    // column types come from the maxima query (over the live parts and part_forum_stats); WHERE FALSE keeps it empty.
    await db.query(`CREATE TABLE ranking_state (PRIMARY KEY (id)) ENGINE=InnoDB
    SELECT 1 AS id, CAST('bayesian' AS CHAR(40)) AS strategy, m.*, CAST(0 AS UNSIGNED) AS parts, NOW(3) AS ranked_at,
      CAST(NULL AS UNSIGNED) AS weights_checksum
    FROM (
    SELECT MAX(p2.uses) AS max_uses, MAX(p2.review_total) AS max_review_total, MAX(p2.review_count) AS max_review_count,
      COALESCE((SELECT MAX(rates) FROM part_forum_stats), 0) AS max_rates,
      COALESCE((SELECT MAX(stars) FROM part_forum_stats), 0) AS max_stars,
      COALESCE((SELECT MAX(watches) FROM part_forum_stats), 0) AS max_watches,
      COALESCE((SELECT 1e0 * SUM(rate_sum) / NULLIF(SUM(rates), 0) FROM part_forum_stats), 3) AS mean_rate
    FROM \`${snapshot}\`.parts_filtered p2) m WHERE FALSE`);
    await db.query(`CREATE TABLE ranking_forum (part_id INT NOT NULL PRIMARY KEY, rates INT NOT NULL, rate_sum INT NOT NULL, stars INT NOT NULL,
      watches INT NOT NULL, experiences INT NOT NULL, good_experiences INT NOT NULL) ENGINE=InnoDB`);
    await db.query('DROP VIEW IF EXISTS parts');
    await db.query('ALTER TABLE part_weights DROP COLUMN components, DROP COLUMN strategy, DROP COLUMN updated_at');
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
    throw new Error('RankingState1763780700000 cannot be reverted');
  }
}

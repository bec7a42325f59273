import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ensureSnapshotSchema, snapshotDatabaseFor } from './snapshot-schema';

/**
 * App tables beside the snapshot (weights, crawled extras, forum counters) and
 * the `parts` view joining them with the live snapshot. The view is MERGE-able
 * (no aggregates), driven by `part_weights`, so the ranked listing walks the
 * weight index and a lookup by name uses the unique key.
 */
export class PartsViews1763780400000 implements MigrationInterface {
  name = 'PartsViews1763780400000';

  async up(db: QueryRunner): Promise<void> {
    const options = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
    await db.query(`
      CREATE TABLE part_weights (
        part_name VARCHAR(255) NOT NULL PRIMARY KEY,
        weight DOUBLE NOT NULL DEFAULT 0,
        components TEXT NOT NULL COMMENT 'JSON: signal -> value (null when absent)',
        strategy VARCHAR(40) NOT NULL,
        updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        KEY weight (weight)
      ) ${options}`);
    await db.query(`
      CREATE TABLE part_extras (
        part_name VARCHAR(255) NOT NULL PRIMARY KEY,
        extras LONGTEXT NULL COMMENT 'JSON from the Registry part API: parameters, twins, categories…',
        fetched_at TIMESTAMP(3) NULL,
        failures INT NOT NULL DEFAULT 0,
        last_error TEXT NULL,
        retry_after TIMESTAMP(3) NULL
      ) ${options}`);
    await db.query(`
      CREATE TABLE part_forum_stats (
        part_name VARCHAR(255) NOT NULL PRIMARY KEY,
        rates INT NOT NULL DEFAULT 0,
        rate_sum INT NOT NULL DEFAULT 0,
        stars INT NOT NULL DEFAULT 0,
        watches INT NOT NULL DEFAULT 0,
        experiences INT NOT NULL DEFAULT 0,
        good_experiences INT NOT NULL DEFAULT 0
      ) ${options} COMMENT 'maintained by the forum; read by ranking'`);
    await createPartsView(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP VIEW IF EXISTS parts');
    await db.query('DROP TABLE part_forum_stats');
    await db.query('DROP TABLE part_extras');
    await db.query('DROP TABLE part_weights');
  }
}

/**
 * The view over the snapshot database, `part_weights` keyed by part_name. The
 * wide columns come from `parts_sequences` by a LEFT JOIN on its primary key,
 * which the optimizer drops from queries that read none of them (listing,
 * FULLTEXT search, lookups by name). Frozen: this migration's own copy of the
 * view, so it makes the same view forever.
 */
async function createPartsView(db: QueryRunner): Promise<void> {
  const snapshot = snapshotDatabaseFor(String(db.connection.options.database));
  await ensureSnapshotSchema(db, snapshot);
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

import type { QueryRunner } from 'typeorm';

/*
 * FROZEN: never edit this file. It is a copy of what @brickyard/parts'
 * snapshotDatabaseFor and ensureSnapshotSchema did when the migrations
 * PartsViews1763780400000 to RankingState1763780700000 were written (as of
 * RankingState1763780700000), so those migrations do the same forever, whatever
 * the library becomes. A later migration that needs another snapshot schema
 * holds its own SQL. test/migrations/migrations.test.ts checks the schema.
 */

/** The snapshot database of the app database: SNAPSHOT_DATABASE, or the app database's name + `_igem`. */
export function snapshotDatabaseFor(appDatabase: string): string {
  return process.env.SNAPSHOT_DATABASE || `${appDatabase}_igem`;
}

const q = (name: string) => `\`${name.replace(/`/g, '``')}\``;

const OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';

/** The live tables of the snapshot: each one's CREATE TABLE and, if any, the ALTER TABLE adding its indexes. */
const TABLES: { name: string; create: string; indexes?: string }[] = [
  {
    name: 'parts_filtered',
    create: `(part_id INT NOT NULL,
      part_name VARCHAR(255) NOT NULL,
      short_desc VARCHAR(255) NOT NULL DEFAULT '',
      description LONGTEXT NULL,
      part_type VARCHAR(40) NOT NULL DEFAULT '',
      author VARCHAR(255) NOT NULL DEFAULT '',
      owning_group_id INT NULL,
      status VARCHAR(40) NOT NULL DEFAULT '',
      dominant TINYINT(1) NOT NULL DEFAULT 0,
      informational TINYINT(1) NOT NULL DEFAULT 0,
      discontinued INT NOT NULL DEFAULT 0,
      part_status VARCHAR(40) NOT NULL DEFAULT '',
      sample_status VARCHAR(40) NOT NULL DEFAULT '',
      creation_date DATE NULL,
      m_datetime DATETIME NULL,
      uses INT NOT NULL DEFAULT -1,
      doc_size INT NOT NULL DEFAULT 0,
      works VARCHAR(20) NOT NULL DEFAULT '',
      favorite INT NOT NULL DEFAULT 0,
      has_barcode TINYINT(1) NOT NULL DEFAULT 0,
      nickname VARCHAR(40) NOT NULL DEFAULT '',
      categories VARCHAR(1000) NOT NULL DEFAULT '',
      sequence_length INT NOT NULL DEFAULT 0,
      seq_sha1 CHAR(40) NOT NULL,
      review_count INT NOT NULL DEFAULT 0,
      review_total INT NOT NULL DEFAULT 0,
      rating INT NOT NULL DEFAULT 0,
      compatible_standards TINYINT NOT NULL DEFAULT 0 COMMENT 'how many of the six standards have no offending site (a ranking component)',
      row_checksum CHAR(40) NOT NULL COMMENT 'SHA-1 of all of the part''s columns, wide ones included (for diffs)', PRIMARY KEY (part_id)) ${OPTIONS}`,
    indexes: `ADD UNIQUE KEY part_name (part_name), ADD KEY seq_sha1 (seq_sha1),
      ADD KEY part_type (part_type), ADD KEY status (status), ADD KEY creation_date (creation_date), ADD KEY uses (uses),
      ADD KEY ranking_inputs (part_id, status, sample_status, works, uses, favorite, has_barcode, compatible_standards, review_total, review_count),
      ADD FULLTEXT KEY text_search (part_name, short_desc, description, author, nickname, categories)`,
  },
  {
    name: 'parts_sequences',
    create: `(part_id INT NOT NULL,
      specified_u_list LONGTEXT NULL,
      deep_u_list LONGTEXT NULL,
      notes LONGTEXT NULL,
      source TEXT NULL,
      sequence LONGTEXT NOT NULL,
      compatibility TEXT NOT NULL COMMENT 'JSON: standard -> offending sites', PRIMARY KEY (part_id)) ${OPTIONS}`,
  },
  {
    name: 'features',
    create: `(
      feature_id INT NOT NULL, part_id INT NOT NULL, feature_type VARCHAR(60) NOT NULL DEFAULT '',
      start_pos INT NOT NULL DEFAULT 0, end_pos INT NOT NULL DEFAULT 0, label VARCHAR(255) NOT NULL DEFAULT '',
      reverse TINYINT(1) NOT NULL DEFAULT 0, PRIMARY KEY (feature_id)) ${OPTIONS}`,
    indexes: 'ADD KEY part_id (part_id, start_pos)',
  },
  {
    name: 'subparts',
    create: `(
      parent_id INT NOT NULL, kind ENUM('specified','deep') NOT NULL, ordinal INT NOT NULL, child_id INT NOT NULL,
      start_pos INT NULL, end_pos INT NULL,
      PRIMARY KEY (parent_id, kind, ordinal)) ${OPTIONS}`,
    indexes: 'ADD KEY child (child_id, kind)',
  },
];

/** Creates the snapshot database and its empty live tables where missing; a table that exists is left as it is. */
export async function ensureSnapshotSchema(db: QueryRunner, snapshot: string): Promise<void> {
  await db.query(`CREATE DATABASE IF NOT EXISTS ${q(snapshot)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  for (const table of TABLES) {
    const [{ n }] = await db.query(
      `SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = '${snapshot.replace(/'/g, "''")}' AND table_name = '${table.name}'`,
    );
    if (Number(n)) continue;
    await db.query(`CREATE TABLE ${q(snapshot)}.${table.name} ${table.create}`);
    if (table.indexes) await db.query(`ALTER TABLE ${q(snapshot)}.${table.name} ${table.indexes}`);
  }
}

/**
 * Tables of the snapshot database. An import builds each under a `_new` name,
 * then one RENAME TABLE makes them live and keeps the previous set as `_prev`.
 */
export const SNAPSHOT_TABLES = ['parts_filtered', 'features', 'subparts'] as const;

/** Columns of `parts_all_new` / `parts_filtered`, in insert order (see the importer's mapping). */
export const PART_COLUMNS = [
  'part_id', 'part_name', 'short_desc', 'description', 'part_type', 'author', 'owning_group_id', 'status', 'dominant',
  'informational', 'discontinued', 'part_status', 'sample_status', 'creation_date', 'm_datetime', 'uses', 'doc_size',
  'works', 'favorite', 'specified_u_list', 'deep_u_list', 'has_barcode', 'notes', 'source', 'nickname', 'categories',
  'sequence', 'sequence_length', 'seq_sha1', 'review_count', 'review_total', 'rating', 'compatibility', 'compatible_standards', 'row_checksum',
] as const;

const PART_COLUMNS_DDL = `
  part_id INT NOT NULL,
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
  specified_u_list LONGTEXT NULL,
  deep_u_list LONGTEXT NULL,
  has_barcode TINYINT(1) NOT NULL DEFAULT 0,
  notes LONGTEXT NULL,
  source TEXT NULL,
  nickname VARCHAR(40) NOT NULL DEFAULT '',
  categories VARCHAR(1000) NOT NULL DEFAULT '',
  sequence LONGTEXT NOT NULL,
  sequence_length INT NOT NULL DEFAULT 0,
  seq_sha1 CHAR(40) NOT NULL,
  review_count INT NOT NULL DEFAULT 0,
  review_total INT NOT NULL DEFAULT 0,
  rating INT NOT NULL DEFAULT 0,
  compatibility TEXT NOT NULL COMMENT 'JSON: standard -> offending sites',
  compatible_standards TINYINT NOT NULL DEFAULT 0 COMMENT 'how many of the six standards have no offending site (a ranking component)',
  row_checksum CHAR(40) NOT NULL`;

const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';

/**
 * DDL of the import's working tables (all rows as read) and of the derived
 * tables, under `suffix`: primary keys only (and the FULLTEXT index), so bulk
 * loads do not maintain secondary indexes row by row. `snapshotIndexes` adds
 * those afterwards, each built in one sorted pass.
 */
export function snapshotDdl(suffix: string): Record<string, string> {
  return {
    [`parts_all${suffix}`]: `CREATE TABLE parts_all${suffix} (${PART_COLUMNS_DDL}) ${TABLE_OPTIONS}`,
    [`features_all${suffix}`]: `CREATE TABLE features_all${suffix} (
      feature_id INT NOT NULL, part_id INT NOT NULL, feature_type VARCHAR(60) NOT NULL DEFAULT '',
      start_pos INT NOT NULL DEFAULT 0, end_pos INT NOT NULL DEFAULT 0, label VARCHAR(255) NOT NULL DEFAULT '',
      reverse TINYINT(1) NOT NULL DEFAULT 0) ${TABLE_OPTIONS}`,
    [`subparts_all${suffix}`]: `CREATE TABLE subparts_all${suffix} (
      parent_id INT NOT NULL, kind ENUM('specified','deep') NOT NULL, ordinal INT NOT NULL, child_id INT NOT NULL) ${TABLE_OPTIONS}`,
    [`parts_filtered${suffix}`]: `CREATE TABLE parts_filtered${suffix} (${PART_COLUMNS_DDL},
      PRIMARY KEY (part_id),
      FULLTEXT KEY text_search (part_name, short_desc, description, author, nickname, categories)) ${TABLE_OPTIONS}`,
    [`features${suffix}`]: `CREATE TABLE features${suffix} (
      feature_id INT NOT NULL, part_id INT NOT NULL, feature_type VARCHAR(60) NOT NULL DEFAULT '',
      start_pos INT NOT NULL DEFAULT 0, end_pos INT NOT NULL DEFAULT 0, label VARCHAR(255) NOT NULL DEFAULT '',
      reverse TINYINT(1) NOT NULL DEFAULT 0, PRIMARY KEY (feature_id)) ${TABLE_OPTIONS}`,
    [`subparts${suffix}`]: `CREATE TABLE subparts${suffix} (
      parent_id INT NOT NULL, kind ENUM('specified','deep') NOT NULL, ordinal INT NOT NULL, child_id INT NOT NULL,
      start_pos INT NULL, end_pos INT NULL,
      PRIMARY KEY (parent_id, kind, ordinal)) ${TABLE_OPTIONS}`,
  };
}

/** The secondary indexes of each table, as one ALTER TABLE per table (see snapshotDdl). */
export function snapshotIndexes(suffix: string): Record<string, string> {
  return {
    [`parts_all${suffix}`]: `ALTER TABLE parts_all${suffix} ADD KEY part_id (part_id), ADD KEY part_name (part_name)`,
    [`features_all${suffix}`]: `ALTER TABLE features_all${suffix} ADD KEY part_id (part_id)`,
    [`subparts_all${suffix}`]: `ALTER TABLE subparts_all${suffix} ADD KEY parent (parent_id), ADD KEY child (child_id, kind)`,
    [`parts_filtered${suffix}`]: `ALTER TABLE parts_filtered${suffix} ADD UNIQUE KEY part_name (part_name), ADD KEY seq_sha1 (seq_sha1),
      ADD KEY part_type (part_type), ADD KEY status (status), ADD KEY creation_date (creation_date), ADD KEY uses (uses)`,
    [`features${suffix}`]: `ALTER TABLE features${suffix} ADD KEY part_id (part_id, start_pos)`,
    [`subparts${suffix}`]: `ALTER TABLE subparts${suffix} ADD KEY child (child_id, kind)`,
  };
}

/**
 * Tables of the snapshot database. An import builds each under a `_new` name,
 * then one RENAME TABLE makes them live and keeps the previous set as `_prev`.
 *
 * A part is split over two tables keyed by part_id: `parts_filtered` holds what
 * listing, the search index's build, filters and ranking read, so its rows stay small
 * and scans of it stay cheap; `parts_sequences` holds the wide columns (the
 * sequence, the u-lists, notes, source and the compatibility sites), which
 * only a part's detail, the exports and a sequence search read. The `parts`
 * view of the app database joins them back.
 */
export const SNAPSHOT_TABLES = ['parts_filtered', 'parts_sequences', 'features', 'subparts'] as const;

/** All columns of a part, in the mapper's order (see mapPart). */
export const PART_COLUMNS = [
  'part_id', 'part_name', 'short_desc', 'description', 'part_type', 'author', 'owning_group_id', 'status', 'dominant',
  'informational', 'discontinued', 'part_status', 'sample_status', 'creation_date', 'm_datetime', 'uses', 'doc_size',
  'works', 'favorite', 'specified_u_list', 'deep_u_list', 'has_barcode', 'notes', 'source', 'nickname', 'categories',
  'sequence', 'sequence_length', 'seq_sha1', 'review_count', 'review_total', 'rating', 'compatibility', 'compatible_standards', 'row_checksum',
] as const;

export type PartColumn = (typeof PART_COLUMNS)[number];

/** The wide columns, kept in `parts_sequences` (with part_id). */
export const WIDE_COLUMNS = ['specified_u_list', 'deep_u_list', 'notes', 'source', 'sequence', 'compatibility'] as const satisfies readonly PartColumn[];

/** The columns of `parts_filtered` (and of the working table `parts_all_new`). */
export const NARROW_COLUMNS = PART_COLUMNS.filter((c) => !(WIDE_COLUMNS as readonly string[]).includes(c)) as Exclude<PartColumn, (typeof WIDE_COLUMNS)[number]>[];

const COLUMN_DDL: Record<PartColumn, string> = {
  part_id: 'part_id INT NOT NULL',
  part_name: 'part_name VARCHAR(255) NOT NULL',
  short_desc: "short_desc VARCHAR(255) NOT NULL DEFAULT ''",
  description: 'description LONGTEXT NULL',
  part_type: "part_type VARCHAR(40) NOT NULL DEFAULT ''",
  author: "author VARCHAR(255) NOT NULL DEFAULT ''",
  owning_group_id: 'owning_group_id INT NULL',
  status: "status VARCHAR(40) NOT NULL DEFAULT ''",
  dominant: 'dominant TINYINT(1) NOT NULL DEFAULT 0',
  informational: 'informational TINYINT(1) NOT NULL DEFAULT 0',
  discontinued: 'discontinued INT NOT NULL DEFAULT 0',
  part_status: "part_status VARCHAR(40) NOT NULL DEFAULT ''",
  sample_status: "sample_status VARCHAR(40) NOT NULL DEFAULT ''",
  creation_date: 'creation_date DATE NULL',
  m_datetime: 'm_datetime DATETIME NULL',
  uses: 'uses INT NOT NULL DEFAULT -1',
  doc_size: 'doc_size INT NOT NULL DEFAULT 0',
  works: "works VARCHAR(20) NOT NULL DEFAULT ''",
  favorite: 'favorite INT NOT NULL DEFAULT 0',
  specified_u_list: 'specified_u_list LONGTEXT NULL',
  deep_u_list: 'deep_u_list LONGTEXT NULL',
  has_barcode: 'has_barcode TINYINT(1) NOT NULL DEFAULT 0',
  notes: 'notes LONGTEXT NULL',
  source: 'source TEXT NULL',
  nickname: "nickname VARCHAR(40) NOT NULL DEFAULT ''",
  categories: "categories VARCHAR(1000) NOT NULL DEFAULT ''",
  sequence: 'sequence LONGTEXT NOT NULL',
  sequence_length: 'sequence_length INT NOT NULL DEFAULT 0',
  seq_sha1: 'seq_sha1 CHAR(40) NOT NULL',
  review_count: 'review_count INT NOT NULL DEFAULT 0',
  review_total: 'review_total INT NOT NULL DEFAULT 0',
  rating: 'rating INT NOT NULL DEFAULT 0',
  compatibility: "compatibility TEXT NOT NULL COMMENT 'JSON: standard -> offending sites'",
  compatible_standards: "compatible_standards TINYINT NOT NULL DEFAULT 0 COMMENT 'how many of the six standards have no offending site (a ranking component)'",
  row_checksum: "row_checksum CHAR(40) NOT NULL COMMENT 'SHA-1 of all of the part''s columns, wide ones included (for diffs)'",
};

const NARROW_DDL = NARROW_COLUMNS.map((c) => COLUMN_DDL[c]).join(',\n  ');
const WIDE_DDL = ['part_id INT NOT NULL', ...WIDE_COLUMNS.map((c) => COLUMN_DDL[c])].join(',\n  ');

const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';

/**
 * DDL of the import's working tables (all rows as read) and of the derived
 * tables, under `suffix`: primary keys only, so bulk loads (in primary-key
 * order) do not maintain secondary or FULLTEXT indexes row by row.
 * `snapshotIndexes` adds those afterwards, each built in one sorted pass.
 *
 * `parts_all` is narrow (no wide columns): an import writes the wide columns
 * once, straight into `parts_sequences_new`, for the rows that can be kept.
 */
export function snapshotDdl(suffix: string): Record<string, string> {
  return {
    [`parts_all${suffix}`]: `CREATE TABLE parts_all${suffix} (${NARROW_DDL}, PRIMARY KEY (part_id)) ${TABLE_OPTIONS}`,
    [`features_all${suffix}`]: `CREATE TABLE features_all${suffix} (
      feature_id INT NOT NULL, part_id INT NOT NULL, feature_type VARCHAR(60) NOT NULL DEFAULT '',
      start_pos INT NOT NULL DEFAULT 0, end_pos INT NOT NULL DEFAULT 0, label VARCHAR(255) NOT NULL DEFAULT '',
      reverse TINYINT(1) NOT NULL DEFAULT 0) ${TABLE_OPTIONS}`,
    [`subparts_all${suffix}`]: `CREATE TABLE subparts_all${suffix} (
      parent_id INT NOT NULL, kind ENUM('specified','deep') NOT NULL, ordinal INT NOT NULL, child_id INT NOT NULL) ${TABLE_OPTIONS}`,
    // The BioBrick features of the kept parts, numbered per (part, label): where subparts sit.
    [`biobrick_features${suffix}`]: `CREATE TABLE biobrick_features${suffix} (
      part_id INT NOT NULL, label VARCHAR(255) NOT NULL, occurrence INT NOT NULL, start_pos INT NOT NULL, end_pos INT NOT NULL,
      PRIMARY KEY (part_id, label, occurrence)) ${TABLE_OPTIONS}`,
    [`parts_filtered${suffix}`]: `CREATE TABLE parts_filtered${suffix} (${NARROW_DDL}, PRIMARY KEY (part_id)) ${TABLE_OPTIONS}`,
    [`parts_sequences${suffix}`]: `CREATE TABLE parts_sequences${suffix} (${WIDE_DDL}, PRIMARY KEY (part_id)) ${TABLE_OPTIONS}`,
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

/**
 * The covering index ranking reads (rankParts): every ranking input, in
 * part_id order (the order of the table and of `part_weights`' key), so ranking
 * scans this index, a sixth of the table's size, instead of the table.
 */
export const RANKING_INPUTS_INDEX =
  'ranking_inputs (part_id, status, sample_status, works, uses, favorite, has_barcode, compatible_standards, review_total, review_count)';

/**
 * The secondary (and FULLTEXT) indexes of each table, as one ALTER TABLE per table (see snapshotDdl); none for some.
 * The app's search no longer reads `text_search` (libs/parts/search answers words from memory); it is
 * still built for bench/parts-api's bare server and bench/parts-search's FULLTEXT candidate.
 */
export function snapshotIndexes(suffix: string): Record<string, string | undefined> {
  return {
    [`subparts_all${suffix}`]: `ALTER TABLE subparts_all${suffix} ADD KEY child (child_id, kind)`,
    [`parts_filtered${suffix}`]: `ALTER TABLE parts_filtered${suffix} ADD UNIQUE KEY part_name (part_name), ADD KEY seq_sha1 (seq_sha1),
      ADD KEY part_type (part_type), ADD KEY status (status), ADD KEY creation_date (creation_date), ADD KEY uses (uses),
      ADD KEY ${RANKING_INPUTS_INDEX},
      ADD FULLTEXT KEY text_search (part_name, short_desc, description, author, nickname, categories)`,
    [`features${suffix}`]: `ALTER TABLE features${suffix} ADD KEY part_id (part_id, start_pos)`,
    [`subparts${suffix}`]: `ALTER TABLE subparts${suffix} ADD KEY child (child_id, kind)`,
  };
}

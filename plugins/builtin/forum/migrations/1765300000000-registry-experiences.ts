import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Experiences fetched from the Registry's `Part:<name>:Experience` pages
 * (issue 12). Such a row has no local author (author_id NULL) and is keyed by
 * part and Registry author, so a fetch again updates it instead of adding one:
 * `registry_author` is author_name for those rows only (NULL for local ones,
 * and NULLs never collide in a unique key). `registry_html` keeps the review's
 * body as HTML, sanitized when stored and again when read. One row per part
 * says when its page was last read, and how its failures back off.
 */
export class RegistryExperiences1765300000000 implements MigrationInterface {
  name = 'RegistryExperiences1765300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE forum_experiences
        ADD COLUMN registry_html MEDIUMTEXT NULL COMMENT 'a Registry review''s body (sanitized HTML, sanitized again when read); null for Markdown',
        ADD COLUMN registry_author VARCHAR(100) AS (IF(author_id IS NULL, author_name, NULL)) STORED,
        ADD UNIQUE KEY forum_experiences_registry (part_name, registry_author)`);
    await db.query(`
      CREATE TABLE forum_registry_fetches (
        part_name VARCHAR(255) NOT NULL PRIMARY KEY,
        fetched_at TIMESTAMP(3) NULL COMMENT 'when its Experience page was last read whole',
        failures INT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'failed fetches in a row since',
        last_error VARCHAR(1000) NULL,
        retry_after TIMESTAMP(3) NULL COMMENT 'no fetch before this (backoff after failures)'
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE forum_registry_fetches');
    await db.query('ALTER TABLE forum_experiences DROP KEY forum_experiences_registry, DROP COLUMN registry_author, DROP COLUMN registry_html');
  }
}

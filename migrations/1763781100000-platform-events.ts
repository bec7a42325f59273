import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The platform's own record of what happened to it (reloads, plugin failures,
 * snapshot imports, ranking runs), for the operator console's event feed.
 * Capped by the writer (PlatformEventLog): the newest rows are kept.
 */
export class PlatformEvents1763781100000 implements MigrationInterface {
  name = 'PlatformEvents1763781100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE platform_events (
        id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
        kind VARCHAR(32) NOT NULL COMMENT 'reload, plugin-failure, import, ranking',
        outcome VARCHAR(16) NOT NULL COMMENT 'started, succeeded, warning, failed',
        subject VARCHAR(200) NULL COMMENT 'what it is about: a plugin name, a task id, a generation',
        message VARCHAR(1000) NOT NULL,
        detail JSON NULL,
        actor VARCHAR(128) NULL COMMENT 'who asked, when known',
        created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        KEY by_kind (kind, id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE platform_events');
  }
}

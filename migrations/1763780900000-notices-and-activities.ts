import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notices (messages to one user, read by that user only) and activities (the
 * public record of what users did): engine services every plugin reaches
 * through its context (`notices`, `activities`), so the forum, the parts
 * plugin and third-party plugins share one inbox and one timeline.
 */
export class NoticesAndActivities1763780900000 implements MigrationInterface {
  name = 'NoticesAndActivities1763780900000';

  async up(db: QueryRunner): Promise<void> {
    const options = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
    await db.query(`
      CREATE TABLE notices (
        id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
        user_id VARCHAR(64) NOT NULL,
        category VARCHAR(64) NOT NULL,
        message TEXT NOT NULL,
        target_type VARCHAR(64) NULL,
        target_id VARCHAR(128) NULL,
        actor_id VARCHAR(64) NULL,
        slug VARCHAR(64) NULL,
        plugin VARCHAR(64) NOT NULL COMMENT 'the plugin that sent it',
        dedupe_key CHAR(64) NULL COMMENT 'sha256 of user, category, slug, actor and target when a slug is given: one notice per actor, updated',
        has_read TINYINT(1) NOT NULL DEFAULT 0,
        created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        UNIQUE KEY dedupe (dedupe_key),
        KEY inbox (user_id, has_read, updated_at),
        KEY target (target_type, target_id)
      ) ${options}`);
    await db.query(`
      CREATE TABLE activities (
        id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
        type VARCHAR(32) NOT NULL,
        user_id VARCHAR(64) NOT NULL,
        username VARCHAR(64) NOT NULL,
        part_name VARCHAR(255) NULL,
        target_type VARCHAR(64) NULL,
        target_id VARCHAR(128) NULL,
        params TEXT NOT NULL COMMENT 'JSON',
        plugin VARCHAR(64) NOT NULL COMMENT 'the plugin that recorded it',
        created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        KEY by_user (user_id, id),
        KEY by_username (username, id),
        KEY by_part (part_name, id),
        KEY by_target (target_type, target_id),
        KEY by_type (type, id)
      ) ${options}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE activities');
    await db.query('DROP TABLE notices');
  }
}

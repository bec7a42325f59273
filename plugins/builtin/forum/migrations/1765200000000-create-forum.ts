import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The forum (issue 12): experiences on parts, their threaded comments, votes
 * and attachments. User ids are accounts' numeric ids; part names are the live
 * snapshot's. The counters the ranking reads (experiences, good_experiences)
 * live in the core's part_forum_stats, changed in the experience's transaction.
 */
export class CreateForum1765200000000 implements MigrationInterface {
  name = 'CreateForum1765200000000';

  async up(db: QueryRunner): Promise<void> {
    const options = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
    await db.query(`
      CREATE TABLE forum_experiences (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
        part_name VARCHAR(255) NOT NULL,
        author_id BIGINT UNSIGNED NULL COMMENT 'null: written on the Registry (author_name says who), read-only here',
        author_name VARCHAR(100) NOT NULL,
        title VARCHAR(200) NOT NULL,
        text MEDIUMTEXT NOT NULL COMMENT 'Markdown, rendered and sanitized when read',
        digest VARCHAR(600) NOT NULL DEFAULT '',
        works TINYINT(1) NULL COMMENT 'does the part work for the author: 1 counts in part_forum_stats.good_experiences',
        votes INT UNSIGNED NOT NULL DEFAULT 0,
        created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        KEY forum_experiences_part (part_name, id),
        KEY forum_experiences_author (author_id, id)
      ) ${options}`);
    await db.query(`
      CREATE TABLE forum_comments (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
        experience_id BIGINT UNSIGNED NOT NULL,
        parent_id BIGINT UNSIGNED NULL,
        depth TINYINT UNSIGNED NOT NULL DEFAULT 0,
        author_id BIGINT UNSIGNED NOT NULL,
        author_name VARCHAR(100) NOT NULL,
        text TEXT NOT NULL,
        created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        KEY forum_comments_experience (experience_id, id),
        KEY forum_comments_parent (parent_id),
        CONSTRAINT forum_comments_experience_fk FOREIGN KEY (experience_id) REFERENCES forum_experiences (id) ON DELETE CASCADE,
        CONSTRAINT forum_comments_parent_fk FOREIGN KEY (parent_id) REFERENCES forum_comments (id) ON DELETE CASCADE
      ) ${options}`);
    await db.query(`
      CREATE TABLE forum_votes (
        experience_id BIGINT UNSIGNED NOT NULL,
        user_id BIGINT UNSIGNED NOT NULL,
        created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (experience_id, user_id),
        KEY forum_votes_user (user_id, created_at),
        CONSTRAINT forum_votes_experience_fk FOREIGN KEY (experience_id) REFERENCES forum_experiences (id) ON DELETE CASCADE
      ) ${options}`);
    // In the database, not on a disk, so that every host serves every attachment.
    await db.query(`
      CREATE TABLE forum_attachments (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
        uploader_id BIGINT UNSIGNED NOT NULL,
        experience_id BIGINT UNSIGNED NULL COMMENT 'null until attached to an experience; unattached ones older than a day are deleted',
        filename VARCHAR(255) NOT NULL,
        type VARCHAR(40) NOT NULL COMMENT 'sniffed from the bytes, never the client''s claim',
        size INT UNSIGNED NOT NULL,
        bytes MEDIUMBLOB NOT NULL,
        created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        KEY forum_attachments_experience (experience_id, created_at),
        KEY forum_attachments_uploader (uploader_id, created_at),
        CONSTRAINT forum_attachments_experience_fk FOREIGN KEY (experience_id) REFERENCES forum_experiences (id) ON DELETE CASCADE
      ) ${options}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE forum_attachments');
    await db.query('DROP TABLE forum_votes');
    await db.query('DROP TABLE forum_comments');
    await db.query('DROP TABLE forum_experiences');
  }
}

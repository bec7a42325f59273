import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Uploaded avatars, in the database so that every host serves them (no shared disk needed). */
export class CreateAvatars1764600300000 implements MigrationInterface {
  name = 'CreateAvatars1764600300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE accounts_avatars (
        user_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
        type VARCHAR(20) NOT NULL COMMENT 'sniffed from the bytes, never the client''s claim',
        bytes MEDIUMBLOB NOT NULL,
        sha256 CHAR(64) NOT NULL,
        updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE accounts_avatars');
  }
}

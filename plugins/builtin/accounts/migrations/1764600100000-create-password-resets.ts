import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePasswordResets1764600100000 implements MigrationInterface {
  name = 'CreatePasswordResets1764600100000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE accounts_password_resets (
        token_hash CHAR(64) NOT NULL PRIMARY KEY COMMENT 'sha256 of the token: the token itself is only in the mail',
        user_id BIGINT UNSIGNED NOT NULL,
        expires_at TIMESTAMP(3) NOT NULL,
        used_at TIMESTAMP(3) NULL,
        KEY accounts_password_resets_user (user_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE accounts_password_resets');
  }
}

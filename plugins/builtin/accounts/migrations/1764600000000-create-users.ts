import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsers1764600000000 implements MigrationInterface {
  name = 'CreateUsers1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE accounts_users (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
        username VARCHAR(40) NOT NULL,
        email VARCHAR(254) NOT NULL,
        password_hash VARCHAR(200) NOT NULL,
        role ENUM('user','admin') NOT NULL DEFAULT 'user',
        display_name VARCHAR(80) NOT NULL DEFAULT '',
        created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        UNIQUE KEY accounts_users_username (username),
        UNIQUE KEY accounts_users_email (email)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE accounts_users');
  }
}

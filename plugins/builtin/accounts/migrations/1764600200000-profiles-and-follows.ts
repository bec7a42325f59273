import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ProfilesAndFollows1764600200000 implements MigrationInterface {
  name = 'ProfilesAndFollows1764600200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query("ALTER TABLE accounts_users ADD COLUMN bio VARCHAR(1000) NOT NULL DEFAULT ''");
    await db.query(`
      CREATE TABLE accounts_follows (
        follower_id BIGINT UNSIGNED NOT NULL,
        followee_id BIGINT UNSIGNED NOT NULL,
        created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (follower_id, followee_id),
        KEY accounts_follows_followee (followee_id, created_at)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE accounts_follows');
    await db.query('ALTER TABLE accounts_users DROP COLUMN bio');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Part social (issue 12): one rating, star and watch per user and part, and
 * hourly view counts for popular parts. The counters the ranking reads stay in
 * the core's part_forum_stats, changed in the same transaction as these rows.
 * Part names are the live snapshot's (case as there); user ids are the
 * identity's (accounts' numeric ids, as text, like notices and activities).
 */
export class PartSocial1765100000000 implements MigrationInterface {
  name = 'PartSocial1765100000000';

  async up(db: QueryRunner): Promise<void> {
    const options = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
    await db.query(`
      CREATE TABLE parts_ratings (
        part_name VARCHAR(255) NOT NULL,
        user_id VARCHAR(64) NOT NULL,
        score TINYINT UNSIGNED NOT NULL,
        created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (part_name, user_id),
        KEY parts_ratings_user (user_id, updated_at),
        KEY parts_ratings_recent (updated_at)
      ) ${options}`);
    for (const table of ['parts_stars', 'parts_watches']) {
      await db.query(`
        CREATE TABLE ${table} (
          part_name VARCHAR(255) NOT NULL,
          user_id VARCHAR(64) NOT NULL,
          created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
          PRIMARY KEY (part_name, user_id),
          KEY ${table}_user (user_id, created_at),
          KEY ${table}_recent (created_at)
        ) ${options}`);
    }
    // One row per part and hour with a view: popular parts read the last hours by the primary key's range.
    await db.query(`
      CREATE TABLE parts_views (
        hour DATETIME NOT NULL,
        part_name VARCHAR(255) NOT NULL,
        views INT UNSIGNED NOT NULL DEFAULT 0,
        PRIMARY KEY (hour, part_name)
      ) ${options}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE parts_views');
    await db.query('DROP TABLE parts_watches');
    await db.query('DROP TABLE parts_stars');
    await db.query('DROP TABLE parts_ratings');
  }
}

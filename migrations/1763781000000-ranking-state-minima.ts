import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ranking state gains the minima of uses and reviews, which `classic`
 * needs for Biohub's log scale (LOG(max − min + 1, value − min + 1)). The state
 * of the last ranking is dropped rather than guessed: until the next ranking
 * (at the latest the scheduled one), parts show no weight components and
 * ratings wait for it to re-weight live; the weights themselves stay.
 */
export class RankingStateMinima1763781000000 implements MigrationInterface {
  name = 'RankingStateMinima1763781000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query('DELETE FROM ranking_state');
    await db.query(`ALTER TABLE ranking_state
      ADD COLUMN min_uses INT NULL AFTER max_review_count,
      ADD COLUMN min_review_total INT NULL AFTER min_uses,
      ADD COLUMN min_review_count INT NULL AFTER min_review_total`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE ranking_state DROP COLUMN min_uses, DROP COLUMN min_review_total, DROP COLUMN min_review_count');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Background tasks (DESIGN.md §10): the record a user reads; BullMQ only carries the id. */
export class Tasks1763780200000 implements MigrationInterface {
  name = 'Tasks1763780200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE tasks (
        id CHAR(36) NOT NULL PRIMARY KEY,
        kind VARCHAR(100) NOT NULL,
        owner VARCHAR(64) NULL,
        queue VARCHAR(64) NOT NULL,
        state ENUM('queued','running','succeeded','failed','timed_out','cancelled') NOT NULL,
        progress DOUBLE NOT NULL DEFAULT 0,
        progress_message VARCHAR(500) NULL,
        params LONGTEXT NOT NULL COMMENT 'JSON text',
        result LONGTEXT NULL COMMENT 'JSON text',
        error TEXT NULL,
        attempts INT NOT NULL DEFAULT 0,
        created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        started_at TIMESTAMP(3) NULL,
        finished_at TIMESTAMP(3) NULL,
        expires_at TIMESTAMP(3) NULL,
        KEY tasks_owner (owner, created_at),
        KEY tasks_state_kind (state, kind),
        KEY tasks_expires (expires_at)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE tasks');
  }
}

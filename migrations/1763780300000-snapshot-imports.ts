import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The record of snapshot imports and, per import, which parts it added, removed or changed. */
export class SnapshotImports1763780300000 implements MigrationInterface {
  name = 'SnapshotImports1763780300000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE snapshot_imports (
        id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
        source VARCHAR(1000) NOT NULL,
        state ENUM('running','succeeded','failed','interrupted') NOT NULL,
        parts_read INT NOT NULL DEFAULT 0,
        features_read INT NOT NULL DEFAULT 0,
        malformed INT NOT NULL DEFAULT 0,
        malformed_samples TEXT NULL COMMENT 'JSON: the first malformed rows, with positions',
        parts_live INT NULL,
        added INT NULL,
        removed INT NULL,
        changed INT NULL,
        error TEXT NULL,
        started_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        finished_at TIMESTAMP(3) NULL
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await db.query(`
      CREATE TABLE snapshot_changes (
        import_id INT NOT NULL,
        part_name VARCHAR(255) NOT NULL,
        \`change\` ENUM('added','removed','changed') NOT NULL,
        PRIMARY KEY (import_id, part_name),
        KEY part_name (part_name)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE snapshot_changes');
    await db.query('DROP TABLE snapshot_imports');
  }
}

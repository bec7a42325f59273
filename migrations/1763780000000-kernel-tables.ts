import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The kernel's own tables: desired plugin state, applied plugin migrations, admin config overrides. */
export class KernelTables1763780000000 implements MigrationInterface {
  name = 'KernelTables1763780000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE plugins (
        name VARCHAR(64) NOT NULL PRIMARY KEY,
        version VARCHAR(64) NULL,
        enabled TINYINT(1) NOT NULL DEFAULT 1,
        status ENUM('active','disabled','failed') NOT NULL DEFAULT 'disabled',
        last_error TEXT NULL,
        checksum CHAR(64) NULL,
        updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await db.query(`
      CREATE TABLE plugin_migrations (
        plugin VARCHAR(64) NOT NULL,
        name VARCHAR(255) NOT NULL,
        run_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (plugin, name)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await db.query(`
      CREATE TABLE config_overrides (
        \`key\` VARCHAR(64) NOT NULL PRIMARY KEY,
        value TEXT NOT NULL COMMENT 'the value as JSON text',
        updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE config_overrides');
    await db.query('DROP TABLE plugin_migrations');
    await db.query('DROP TABLE plugins');
  }
}

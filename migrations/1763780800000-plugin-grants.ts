import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Capabilities operators granted to plugins (built-in plugins are granted what they request without a row). */
export class PluginGrants1763780800000 implements MigrationInterface {
  name = 'PluginGrants1763780800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE plugin_grants (
        plugin VARCHAR(64) NOT NULL,
        capability VARCHAR(200) NOT NULL,
        granted_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (plugin, capability)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE plugin_grants');
  }
}

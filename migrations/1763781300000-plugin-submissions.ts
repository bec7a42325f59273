import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Plugins that users submit from a git repository (docs/plugin-submissions.md):
 * one row per submission with its pinned commit, manifest and review, and the
 * files of that commit, so every host of the cluster mounts the same approved
 * code. `approved_name` is the plugin's name while the row is the approved
 * version of it, NULL otherwise: at most one approved version per name.
 */
export class PluginSubmissions1763781300000 implements MigrationInterface {
  name = 'PluginSubmissions1763781300000';

  async up(db: QueryRunner): Promise<void> {
    const options = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
    await db.query(`
      CREATE TABLE plugin_submissions (
        id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
        user_id VARCHAR(64) NOT NULL,
        username VARCHAR(64) NULL,
        url VARCHAR(500) NOT NULL,
        ref VARCHAR(200) NOT NULL,
        commit_sha CHAR(40) NOT NULL,
        name VARCHAR(64) NULL COMMENT 'from plugin.json; NULL when it has none readable',
        version VARCHAR(64) NULL,
        title VARCHAR(200) NULL,
        manifest TEXT NULL COMMENT 'plugin.json as submitted (JSON)',
        requested TEXT NOT NULL COMMENT 'requested capabilities (JSON array)',
        state VARCHAR(16) NOT NULL COMMENT 'invalid, pending, approved, rejected or superseded',
        problem TEXT NULL COMMENT 'why it is invalid',
        file_count INT NOT NULL,
        total_bytes INT NOT NULL,
        granted TEXT NULL COMMENT 'capabilities the admin ticked (JSON array)',
        reason TEXT NULL COMMENT 'why it was rejected',
        reviewer VARCHAR(64) NULL,
        approved_name VARCHAR(64) NULL,
        created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        reviewed_at TIMESTAMP(3) NULL,
        UNIQUE KEY one_approved (approved_name),
        KEY by_user (user_id, id),
        KEY by_state (state, id),
        KEY by_name (name, state)
      ) ${options}`);
    await db.query(`
      CREATE TABLE plugin_submission_files (
        submission_id BIGINT NOT NULL,
        path VARCHAR(400) NOT NULL,
        size INT NOT NULL,
        content LONGBLOB NOT NULL,
        PRIMARY KEY (submission_id, path),
        CONSTRAINT submission_files_of FOREIGN KEY (submission_id) REFERENCES plugin_submissions (id) ON DELETE CASCADE
      ) ${options}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE plugin_submission_files');
    await db.query('DROP TABLE plugin_submissions');
  }
}

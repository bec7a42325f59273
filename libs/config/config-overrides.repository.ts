/** Anything that runs SQL with parameters (a TypeORM DataSource does). */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

/** Admin overrides of settings, table `config_overrides` (created by the core migrations). */
export class ConfigOverridesRepository {
  constructor(private readonly db: Queryable) {}

  async load(): Promise<Record<string, unknown>> {
    const rows: { key: string; value: unknown }[] = await this.db.query('SELECT `key`, value FROM config_overrides');
    const overrides: Record<string, unknown> = {};
    for (const row of rows) {
      try {
        overrides[row.key] = JSON.parse(String(row.value));
      } catch {
        // A row edited by hand into invalid JSON is ignored; the admin API can replace it.
      }
    }
    return overrides;
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.db.query(
      'INSERT INTO config_overrides (`key`, value) VALUES (?, ?) ON DUPLICATE KEY UPDATE value = VALUES(value)',
      [key, JSON.stringify(value)],
    );
  }

  async remove(key: string): Promise<void> {
    await this.db.query('DELETE FROM config_overrides WHERE `key` = ?', [key]);
  }
}

import type { DataSource } from 'typeorm';

/** Table `plugin_grants`: capabilities an operator granted, by plugin. */
export class GrantsRepository {
  constructor(private readonly db: Pick<DataSource, 'query'>) {}

  async all(): Promise<Map<string, Set<string>>> {
    const rows: { plugin: string; capability: string }[] = await this.db.query('SELECT plugin, capability FROM plugin_grants ORDER BY plugin, capability');
    const grants = new Map<string, Set<string>>();
    for (const row of rows) {
      let set = grants.get(row.plugin);
      if (!set) grants.set(row.plugin, (set = new Set()));
      set.add(row.capability);
    }
    return grants;
  }

  async grant(plugin: string, capability: string): Promise<void> {
    await this.db.query('INSERT IGNORE INTO plugin_grants (plugin, capability) VALUES (?, ?)', [plugin, capability]);
  }

  /** False when it was not granted. */
  async revoke(plugin: string, capability: string): Promise<boolean> {
    const result = await this.db.query('DELETE FROM plugin_grants WHERE plugin = ? AND capability = ?', [plugin, capability]);
    return result.affectedRows > 0;
  }
}

import type { DataSource } from 'typeorm';

export type PluginStatus = 'active' | 'disabled' | 'failed';

/** A row of table `plugins`: `enabled` is the desired state, the rest is what the cluster last reached. */
export interface PluginRow {
  name: string;
  version: string | null;
  enabled: boolean;
  status: PluginStatus;
  last_error: string | null;
  checksum: string | null;
  updated_at: Date;
}

export interface PluginOutcome {
  name: string;
  version: string | null;
  status: PluginStatus;
  lastError: string | null;
  checksum: string | null;
}

/** Reads and writes table `plugins`. */
export class PluginStateRepository {
  constructor(private readonly db: DataSource) {}

  async list(): Promise<PluginRow[]> {
    const rows = await this.db.query('SELECT * FROM plugins ORDER BY name');
    return rows.map((row: PluginRow) => ({ ...row, enabled: Boolean(row.enabled) }));
  }

  async find(name: string): Promise<PluginRow | undefined> {
    return (await this.list()).find((row) => row.name === name);
  }

  /** Plugins seen for the first time are enabled: dropping a folder in is how a plugin is installed. */
  async addMissing(names: string[]): Promise<void> {
    if (!names.length) return;
    await this.db.query(
      `INSERT IGNORE INTO plugins (name, enabled, status) VALUES ${names.map(() => "(?, 1, 'disabled')").join(', ')}`,
      names,
    );
  }

  async setEnabled(name: string, enabled: boolean): Promise<boolean> {
    const result = await this.db.query('UPDATE plugins SET enabled = ? WHERE name = ?', [enabled ? 1 : 0, name]);
    return result.affectedRows > 0;
  }

  /**
   * Records what a converge reached; rows whose values did not change are not touched.
   * Returns the outcomes this call changed: of the processes reaching the same outcome,
   * only the first to write it gets it back (a failure is reported once, not once per process).
   */
  async record(outcomes: PluginOutcome[]): Promise<PluginOutcome[]> {
    const changed: PluginOutcome[] = [];
    for (const o of outcomes) {
      const result = await this.db.query(
        `UPDATE plugins SET version = ?, status = ?, last_error = ?, checksum = ?
         WHERE name = ? AND NOT (version <=> ? AND status <=> ? AND last_error <=> ? AND checksum <=> ?)`,
        [o.version, o.status, o.lastError, o.checksum, o.name, o.version, o.status, o.lastError, o.checksum],
      );
      if (Number(result.affectedRows) > 0) changed.push(o);
    }
    return changed;
  }
}

import type { DataSource } from 'typeorm';

/** A part a user starred or watches, with what the live snapshot says of it (null fields: no longer in the snapshot). */
export interface UserPart {
  part_name: string;
  since: string;
  short_desc: string | null;
  part_type: string | null;
  weight: number | null;
}

export interface UserPartsPage {
  total: number;
  page: number;
  per_page: number;
  items: UserPart[];
}

const TABLES = { stars: 'parts_stars', watches: 'parts_watches' } as const;

/**
 * The parts a user starred or watches, newest first, for their profile. Users
 * are the accounts plugin's (`accounts_users`); without it there is nobody to
 * list, and the answer is null, as for an unknown name.
 */
export class UserParts {
  constructor(private readonly db: DataSource) {}

  async list(username: string, kind: keyof typeof TABLES, page: number, perPage: number): Promise<UserPartsPage | null> {
    const userId = await this.userId(username);
    if (userId === null) return null;
    const table = TABLES[kind];
    const [counted] = await this.db.query(`SELECT COUNT(*) AS total FROM ${table} WHERE user_id = ?`, [userId]);
    const rows: Record<string, any>[] = await this.db.query(
      `SELECT s.part_name, s.created_at AS since, p.short_desc, p.part_type, p.weight
       FROM ${table} s LEFT JOIN parts p ON p.part_name = s.part_name
       WHERE s.user_id = ? ORDER BY s.created_at DESC, s.part_name LIMIT ? OFFSET ?`,
      [userId, perPage, (page - 1) * perPage],
    );
    return {
      total: Number(counted.total),
      page,
      per_page: perPage,
      items: rows.map((row) => ({
        part_name: row.part_name,
        since: new Date(row.since).toISOString(),
        short_desc: row.short_desc ?? null,
        part_type: row.part_type ?? null,
        weight: row.weight === null || row.weight === undefined ? null : Number(row.weight),
      })),
    };
  }

  private async userId(username: string): Promise<string | null> {
    try {
      const [user] = await this.db.query('SELECT id FROM accounts_users WHERE username = ?', [username]);
      return user ? String(user.id) : null;
    } catch (error) {
      // ER_NO_SUCH_TABLE: the accounts plugin never ran here, so no user exists.
      if ((error as { errno?: number }).errno === 1146) return null;
      throw error;
    }
  }
}

import type { PartLink, PartsReader, SnapshotPart } from '@brickyard/sdk';
import type { DataSource } from 'typeorm';

const COLUMNS = `p.part_id, p.part_name, p.short_desc, p.part_type, p.status, p.sample_status, p.works, p.author, p.uses, p.sequence_length, p.creation_date`;

interface Row {
  part_id: number;
  part_name: string;
  short_desc: string | null;
  part_type: string | null;
  status: string | null;
  sample_status: string | null;
  works: string | null;
  author: string | null;
  uses: number | null;
  sequence_length: number | null;
  creation_date: Date | null;
  sequence?: string | null;
}

function toPart(row: Row): SnapshotPart {
  return {
    partId: Number(row.part_id),
    name: row.part_name,
    shortDesc: row.short_desc ?? '',
    type: row.part_type ?? '',
    status: row.status ?? '',
    sampleStatus: row.sample_status ?? '',
    works: row.works ?? '',
    author: row.author ?? '',
    uses: Number(row.uses ?? 0),
    sequenceLength: Number(row.sequence_length ?? 0),
    createdAt: row.creation_date,
    ...(row.sequence !== undefined ? { sequence: row.sequence ?? '' } : {}),
  };
}

/** Distinct whole part ids, at most 1,000. */
function wantedIds(partIds: number[]): number[] {
  const ids = [...new Set(partIds.filter((id) => Number.isSafeInteger(id) && id > 0))];
  if (ids.length > 1000) throw new RangeError('the parts reader reads the links of at most 1,000 parts at a time');
  return ids;
}

/**
 * The engine's read-only reader of the live parts snapshot (`parts_filtered`
 * and `parts_sequences` of the snapshot database), given to every plugin as
 * `context.parts`. It works whether or not the parts plugin is enabled; before
 * the first import it finds nothing.
 */
export class SnapshotPartsReader implements PartsReader {
  private readonly database: string;

  constructor(
    private readonly db: DataSource,
    snapshotDatabase: string,
  ) {
    this.database = `\`${snapshotDatabase.replace(/`/g, '``')}\``;
  }

  private select(where: string, values: unknown[], sequence: boolean): Promise<Row[]> {
    return this.read(
      `SELECT ${COLUMNS}${sequence ? ', s.sequence' : ''} FROM ${this.database}.parts_filtered p
       ${sequence ? `LEFT JOIN ${this.database}.parts_sequences s ON s.part_id = p.part_id` : ''} WHERE ${where}`,
      values,
    );
  }

  /** A query of the snapshot; nothing before the first import. */
  private async read<T>(sql: string, values: unknown[]): Promise<T[]> {
    try {
      return await this.db.query(sql, values);
    } catch (error) {
      if ((error as { code?: string }).code === 'ER_NO_SUCH_TABLE' || (error as { code?: string }).code === 'ER_BAD_DB_ERROR') return []; // no snapshot yet
      throw error;
    }
  }

  async find(name: string, options: { sequence?: boolean } = {}): Promise<SnapshotPart | undefined> {
    if (typeof name !== 'string' || !name || name.length > 255) return undefined;
    const [row] = await this.select('p.part_name = ?', [name], !!options.sequence);
    return row ? toPart(row) : undefined;
  }

  async findMany(names: string[], options: { sequence?: boolean } = {}): Promise<SnapshotPart[]> {
    const wanted = [...new Set(names.filter((n) => typeof n === 'string' && n && n.length <= 255))];
    if (wanted.length > 1000) throw new RangeError('findMany reads at most 1,000 parts at a time');
    if (!wanted.length) return [];
    return (await this.select(`p.part_name IN (${wanted.map(() => '?').join(', ')})`, wanted, !!options.sequence)).map(toPart);
  }

  async subpartsOf(partIds: number[]): Promise<PartLink[]> {
    const ids = wantedIds(partIds);
    if (!ids.length) return [];
    const rows = await this.read<Row & { of_id: number }>(
      `SELECT t.of_id, ${COLUMNS} FROM (
         SELECT parent_id AS of_id, child_id, MIN(ordinal) AS ordinal FROM ${this.database}.subparts
         WHERE kind = 'specified' AND parent_id IN (?) GROUP BY parent_id, child_id
       ) t JOIN ${this.database}.parts_filtered p ON p.part_id = t.child_id
       ORDER BY t.of_id, t.ordinal`,
      [ids],
    );
    return rows.map((row) => ({ of: Number(row.of_id), part: toPart(row) }));
  }

  async usersOf(partIds: number[], perPart: number): Promise<PartLink[]> {
    const ids = wantedIds(partIds);
    if (!ids.length) return [];
    if (!Number.isInteger(perPart) || perPart < 1) throw new RangeError('usersOf needs perPart, a whole number from 1');
    const rows = await this.read<Row & { of_id: number }>(
      `SELECT of_id, ${COLUMNS.replace(/p\./g, 'r.')} FROM (
         SELECT u.of_id, p.*, ROW_NUMBER() OVER (PARTITION BY u.of_id ORDER BY p.part_name) AS n
         FROM (SELECT DISTINCT child_id AS of_id, parent_id FROM ${this.database}.subparts WHERE kind = 'specified' AND child_id IN (?)) u
         JOIN ${this.database}.parts_filtered p ON p.part_id = u.parent_id
       ) r WHERE n <= ? ORDER BY of_id, part_name`,
      [ids, perPart + 1],
    );
    return rows.map((row) => ({ of: Number(row.of_id), part: toPart(row) }));
  }

  async count(): Promise<number> {
    try {
      const [row] = await this.db.query(`SELECT COUNT(*) AS n FROM ${this.database}.parts_filtered`);
      return Number(row.n);
    } catch (error) {
      if (['ER_NO_SUCH_TABLE', 'ER_BAD_DB_ERROR'].includes((error as { code?: string }).code ?? '')) return 0;
      throw error;
    }
  }
}

import type { PartsReader, SnapshotPart } from '@brickyard/sdk';
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

  private async select(where: string, values: unknown[], sequence: boolean): Promise<Row[]> {
    try {
      return await this.db.query(
        `SELECT ${COLUMNS}${sequence ? ', s.sequence' : ''} FROM ${this.database}.parts_filtered p
         ${sequence ? `LEFT JOIN ${this.database}.parts_sequences s ON s.part_id = p.part_id` : ''} WHERE ${where}`,
        values,
      );
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

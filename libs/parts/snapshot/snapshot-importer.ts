import { parseDatabaseUrl } from '@brickyard/db';
import * as mysql from 'mysql2/promise';
import { describePosition, type DumpEvent } from '../dump/dump-row';
import { openDump } from '../dump/open-dump';
import { mapFeature, mapPart, parseIdList, RowMappingError } from './part-record';
import { PART_COLUMNS, snapshotDdl, snapshotIndexes, SNAPSHOT_TABLES } from './snapshot-tables';

export interface ImportOptions {
  source: string;
  /** The app database (import records and diffs go there). */
  appDatabaseUrl: string;
  snapshotDatabase: string;
  /** What to do with a row that cannot be read: skip it (reported) or abort the import. */
  onMalformed?: 'skip' | 'abort';
  onProgress?(fraction: number, message: string): void;
  /** Rows per INSERT. */
  batchSize?: number;
  /** Runs with the new snapshot's table (qualified name) just before it goes live: e.g. ranking it. */
  beforeSwap?(partsTable: string): Promise<void>;
  /** Runs once the new snapshot is live. */
  afterSwap?(): Promise<void>;
}

export interface ImportResult {
  importId: number;
  partsRead: number;
  featuresRead: number;
  malformed: number;
  malformedSamples: string[];
  partsLive: number;
  added: number;
  removed: number;
  changed: number;
  durationMs: number;
}

export class ImportError extends Error {}

const MAX_SAMPLES = 100;
const q = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/**
 * Imports a Registry dump into the snapshot database (DESIGN.md §7): rows are
 * streamed into working tables, the derived tables are built beside the live
 * ones, a diff against the live snapshot is stored, and one RENAME TABLE makes
 * the new snapshot live (the previous one stays as `*_prev`). Until that rename
 * nothing a reader sees changes, so a failure or a kill at any moment leaves the
 * live snapshot as it was; the next import starts its working tables afresh.
 *
 * Duplicated part names are resolved by a fixed rule: among the rows with that
 * name and a sequence longer than 10, prefer one whose status is not Deleted,
 * then the most recently modified (m_datetime), then the highest part_id.
 */
export async function importSnapshot(options: ImportOptions): Promise<ImportResult> {
  const started = Date.now();
  const address = parseDatabaseUrl(options.appDatabaseUrl);
  const appDb = address.database;
  const snapshotDb = options.snapshotDatabase;
  const connect = (database?: string) =>
    mysql.createConnection({ host: address.host, port: address.port, user: address.user, password: address.password, socketPath: address.socketPath, database, charset: 'utf8mb4_unicode_ci', supportBigNumbers: true, dateStrings: true, multipleStatements: false });
  const progress = options.onProgress ?? (() => {});
  const batchSize = options.batchSize ?? 1000;

  const setup = await connect();
  await ensureSnapshotSchema(setup, snapshotDb).finally(() => setup.end());
  const db = await connect(snapshotDb);
  const lock = await connect();
  let importId = 0;
  try {
    const [[locked]] = (await lock.query('SELECT GET_LOCK(?, 0) AS got', [`${snapshotDb}:import`])) as any;
    if (Number(locked.got) !== 1) throw new ImportError(`another import into ${snapshotDb} is running: wait for it to finish`);
    // We hold the lock: imports still marked running were interrupted (killed).
    await db.query(`UPDATE ${q(appDb)}.snapshot_imports SET state = 'interrupted', finished_at = CURRENT_TIMESTAMP(3) WHERE state = 'running'`);
    const [inserted] = (await db.query(`INSERT INTO ${q(appDb)}.snapshot_imports (source, state) VALUES (?, 'running')`, [options.source])) as any;
    importId = inserted.insertId;

    const ddl = snapshotDdl('_new');
    for (const table of Object.keys(ddl)) await db.query(`DROP TABLE IF EXISTS ${table}`);
    for (const statement of Object.values(ddl)) await db.query(statement);

    // 1. Stream the dump into the working tables.
    const dump = await openDump(options.source, new Set(['parts', 'parts_seq_features']));
    const batches: Record<'parts' | 'features' | 'subparts', unknown[][]> = { parts: [], features: [], subparts: [] };
    const sql = {
      parts: `INSERT INTO parts_all_new (${PART_COLUMNS.join(', ')}) VALUES ?`,
      features: 'INSERT INTO features_all_new (feature_id, part_id, feature_type, start_pos, end_pos, label, reverse) VALUES ?',
      subparts: 'INSERT INTO subparts_all_new (parent_id, kind, ordinal, child_id) VALUES ?',
    };
    let inFlight: Promise<unknown> = Promise.resolve();
    const flush = async (kind: keyof typeof batches) => {
      const rows = batches[kind];
      if (!rows.length) return;
      batches[kind] = [];
      await inFlight; // one INSERT at a time, overlapping with parsing the next batch
      inFlight = db.query(sql[kind], [rows]);
    };
    let partsRead = 0;
    let featuresRead = 0;
    let malformed = 0;
    const samples: string[] = [];
    const reject = (message: string) => {
      malformed++;
      if (samples.length < MAX_SAMPLES) samples.push(message);
      if (options.onMalformed === 'abort') throw new ImportError(`import aborted at the first malformed row: ${message}`);
    };
    let lastReport = 0;
    for await (const event of dump.events as AsyncGenerator<DumpEvent>) {
      if (event.kind === 'malformed') {
        reject(event.error.message);
        continue;
      }
      const { row } = event;
      try {
        if (row.table === 'parts') {
          const mapped = mapPart(row.values);
          batches.parts.push(mapped);
          partsRead++;
          const partId = mapped[0] as number;
          for (const [kind, column] of [['specified', 'specified_u_list'], ['deep', 'deep_u_list']] as const) {
            parseIdList(row.values[column]).forEach((child, ordinal) => {
              if (child !== partId) batches.subparts.push([partId, kind, ordinal, child]);
            });
          }
          if (batches.parts.length >= batchSize) await flush('parts');
          if (batches.subparts.length >= batchSize * 4) await flush('subparts');
        } else {
          batches.features.push(mapFeature(row.values));
          featuresRead++;
          if (batches.features.length >= batchSize * 2) await flush('features');
        }
      } catch (error) {
        if (!(error instanceof RowMappingError)) throw error;
        reject(`malformed ${describePosition(row.position, row.table)}: ${error.message}`);
      }
      if (Date.now() - lastReport > 250) {
        lastReport = Date.now();
        const fraction = dump.totalBytes ? Math.min(1, dump.bytesRead() / dump.totalBytes) : 0;
        progress(fraction * 0.8, `read ${partsRead} parts, ${featuresRead} features`);
      }
    }
    for (const kind of ['parts', 'features', 'subparts'] as const) await flush(kind);
    await inFlight;
    if (!partsRead) throw new ImportError(`${options.source} holds no rows of table parts: is it a Registry dump?`);

    // 2. Derive the snapshot's tables, set-based.
    progress(0.78, 'indexing the rows read');
    const indexes = snapshotIndexes('_new');
    for (const table of ['parts_all_new', 'features_all_new', 'subparts_all_new']) await db.query(indexes[table]!);
    progress(0.8, 'selecting parts with sequences');
    await db.query(`
      INSERT INTO parts_filtered_new (${PART_COLUMNS.join(', ')})
      SELECT ${PART_COLUMNS.join(', ')} FROM (
        SELECT p.*, ROW_NUMBER() OVER (PARTITION BY part_name ORDER BY (status = 'Deleted'), m_datetime DESC, part_id DESC) AS pick
        FROM parts_all_new p WHERE sequence_length > 10
      ) ranked WHERE pick = 1`);
    progress(0.85, 'features and subparts');
    await db.query(indexes.parts_filtered_new!);
    await db.query('INSERT IGNORE INTO features_new SELECT f.* FROM features_all_new f JOIN parts_filtered_new p ON p.part_id = f.part_id');
    await db.query(indexes.features_new!);
    await db.query(`
      INSERT IGNORE INTO subparts_new (parent_id, kind, ordinal, child_id)
      SELECT s.parent_id, s.kind, s.ordinal, s.child_id FROM subparts_all_new s JOIN parts_filtered_new p ON p.part_id = s.parent_id`);
    await db.query(indexes.subparts_new!);
    // Positions: the n-th use of a child in a parent is the n-th BioBrick feature labelled with the child's name.
    await db.query(`
      UPDATE subparts_new s
      JOIN (SELECT parent_id, kind, ordinal, ROW_NUMBER() OVER (PARTITION BY parent_id, kind, child_id ORDER BY ordinal) AS occurrence FROM subparts_new) o
        ON o.parent_id = s.parent_id AND o.kind = s.kind AND o.ordinal = s.ordinal
      JOIN (SELECT DISTINCT part_id, part_name FROM parts_all_new) c ON c.part_id = s.child_id
      JOIN (SELECT part_id, label, start_pos, end_pos, ROW_NUMBER() OVER (PARTITION BY part_id, label ORDER BY start_pos) AS occurrence
            FROM features_new WHERE feature_type = 'BioBrick') f
        ON f.part_id = s.parent_id AND f.label = c.part_name AND f.occurrence = o.occurrence
      SET s.start_pos = f.start_pos, s.end_pos = f.end_pos`);
    progress(0.9, 'counting uses');
    await db.query(`
      UPDATE parts_filtered_new p
      JOIN (SELECT child_id, COUNT(DISTINCT parent_id) AS n FROM subparts_all_new WHERE kind = 'specified' GROUP BY child_id) u ON u.child_id = p.part_id
      SET p.uses = u.n WHERE p.uses = -1`);
    await db.query('UPDATE parts_filtered_new SET uses = 0 WHERE uses = -1');

    // 3. Diff against the live snapshot, then swap.
    progress(0.93, 'comparing with the live snapshot');
    const changes = `${q(appDb)}.snapshot_changes`;
    await db.query(`INSERT INTO ${changes} (import_id, part_name, \`change\`)
      SELECT ?, n.part_name, 'added' FROM parts_filtered_new n LEFT JOIN parts_filtered o ON o.part_name = n.part_name WHERE o.part_id IS NULL`, [importId]);
    await db.query(`INSERT INTO ${changes} (import_id, part_name, \`change\`)
      SELECT ?, o.part_name, 'removed' FROM parts_filtered o LEFT JOIN parts_filtered_new n ON n.part_name = o.part_name WHERE n.part_id IS NULL`, [importId]);
    await db.query(`INSERT INTO ${changes} (import_id, part_name, \`change\`)
      SELECT ?, n.part_name, 'changed' FROM parts_filtered_new n JOIN parts_filtered o ON o.part_name = n.part_name WHERE o.row_checksum <> n.row_checksum`, [importId]);
    const [counts] = (await db.query(`SELECT \`change\` AS c, COUNT(*) AS n FROM ${changes} WHERE import_id = ? GROUP BY \`change\``, [importId])) as any;
    const count = (c: string) => Number(counts.find((r: any) => r.c === c)?.n ?? 0);

    if (options.beforeSwap) {
      progress(0.95, 'ranking the new snapshot');
      await options.beforeSwap(`${q(snapshotDb)}.parts_filtered_new`);
    }
    progress(0.97, 'making the new snapshot live');
    await db.query(`DROP TABLE IF EXISTS ${SNAPSHOT_TABLES.map((t) => `${t}_prev`).join(', ')}`);
    await db.query(`RENAME TABLE ${SNAPSHOT_TABLES.map((t) => `${t} TO ${t}_prev, ${t}_new TO ${t}`).join(', ')}`);
    await db.query('DROP TABLE IF EXISTS parts_all_new, features_all_new, subparts_all_new');
    await options.afterSwap?.();

    const [[live]] = (await db.query('SELECT COUNT(*) AS n FROM parts_filtered')) as any;
    const result: ImportResult = {
      importId, partsRead, featuresRead, malformed, malformedSamples: samples, partsLive: Number(live.n),
      added: count('added'), removed: count('removed'), changed: count('changed'), durationMs: Date.now() - started,
    };
    await db.query(
      `UPDATE ${q(appDb)}.snapshot_imports SET state = 'succeeded', parts_read = ?, features_read = ?, malformed = ?, malformed_samples = ?,
       parts_live = ?, added = ?, removed = ?, changed = ?, finished_at = CURRENT_TIMESTAMP(3) WHERE id = ?`,
      [partsRead, featuresRead, malformed, JSON.stringify(samples), result.partsLive, result.added, result.removed, result.changed, importId],
    );
    progress(1, `${result.partsLive} parts live (${result.added} added, ${result.removed} removed, ${result.changed} changed)`);
    return result;
  } catch (error) {
    if (importId) {
      await db
        .query(`UPDATE ${q(appDb)}.snapshot_imports SET state = 'failed', error = ?, finished_at = CURRENT_TIMESTAMP(3) WHERE id = ?`, [(error as Error).message, importId])
        .catch(() => {});
    }
    throw error;
  } finally {
    await lock.end().catch(() => {});
    await db.end().catch(() => {});
  }
}

/** Creates the snapshot database and empty live tables when missing, so readers and the first swap find them. */
export async function ensureSnapshotSchema(db: { query(sql: string): Promise<unknown> }, snapshotDb: string): Promise<void> {
  await db.query(`CREATE DATABASE IF NOT EXISTS ${q(snapshotDb)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const ddl = snapshotDdl('');
  const indexes = snapshotIndexes('');
  for (const table of SNAPSHOT_TABLES) {
    const result = (await db.query(
      `SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = '${snapshotDb.replace(/'/g, "''")}' AND table_name = '${table}'`,
    )) as unknown[];
    // mysql2 answers [rows, fields]; TypeORM answers rows.
    const rows = (Array.isArray(result[0]) ? result[0] : result) as { n: number }[];
    if (Number(rows[0]!.n)) continue;
    await db.query(ddl[table]!.replace(/^CREATE TABLE (\w+)/, (_, name: string) => `CREATE TABLE ${q(snapshotDb)}.${name}`));
    await db.query(indexes[table]!.replace(/^ALTER TABLE (\w+)/, (_, name: string) => `ALTER TABLE ${q(snapshotDb)}.${name}`));
  }
}

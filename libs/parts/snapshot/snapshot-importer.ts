import { parseDatabaseUrl } from '@brickyard/db';
import * as mysql from 'mysql2/promise';
import type { DumpLimits } from '../dump/dump-limits';
import { describePosition, type DumpEvent } from '../dump/dump-row';
import { openDump } from '../dump/open-dump';
import { MAPPED_DUMP_COLUMNS, mapFeature, mapPart, parseIdList, RowMappingError } from './part-record';
import { NARROW_COLUMNS, snapshotDdl, snapshotIndexes, SNAPSHOT_TABLES, WIDE_COLUMNS } from './snapshot-tables';

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
  /**
   * Stops the import (a cancelled or timed-out task): the download and the reading stop, the
   * running statements are killed, the working tables dropped, the import recorded as failed and
   * the lock released; the import then fails with the signal's reason. Checked right before the
   * swap, so a stop that comes before it never goes live; once the swap has begun the import completes.
   */
  signal?: AbortSignal;
  /** What the dump and its download may cost (DEFAULT_DUMP_LIMITS for what is not given). */
  limits?: Partial<DumpLimits>;
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
/** How long an import waits for the lock, so one just stopped (cleaning up) does not refuse the next. */
const LOCK_WAIT_SECONDS = 10;
const WORKING_TABLES = (snapshotDb: string) =>
  [...SNAPSHOT_TABLES.map((t) => `${t}_new`), 'parts_all_new', 'features_all_new', 'subparts_all_new', 'biobrick_features_new'].map((t) => `${q(snapshotDb)}.${q(t)}`);

/** The error an import stopped by its signal fails with. */
function stoppedError(signal: AbortSignal): Error {
  const reason = signal.reason as Error | undefined;
  return new ImportError(`the import was stopped: ${reason?.message ?? String(reason)}`);
}

/**
 * Kills (KILL QUERY, from a connection of its own) the statement running on the watched
 * connections when the signal aborts, so a stop does not wait for a long statement, or a
 * lock, to finish.
 */
class StatementKiller {
  private readonly watched = new Set<number>();
  private killing?: Promise<void>;
  private readonly onAbort = () => {
    const ids = [...this.watched];
    this.killing = (async () => {
      if (!ids.length) return;
      const killer = await this.connect();
      try {
        for (const id of ids) await killer.query(`KILL QUERY ${Number(id)}`).catch(() => {});
      } finally {
        await killer.end().catch(() => {});
      }
    })().catch(() => {});
  };

  constructor(
    private readonly connect: () => Promise<mysql.Connection>,
    private readonly signal?: AbortSignal,
  ) {
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  watch(...connections: mysql.Connection[]): void {
    for (const c of connections) this.watched.add(c.threadId!);
  }

  unwatch(...connections: mysql.Connection[]): void {
    for (const c of connections) this.watched.delete(c.threadId!);
  }

  /** Kills no more; resolves once a kill under way is done (a statement after it is not affected). */
  async settle(): Promise<void> {
    this.signal?.removeEventListener('abort', this.onAbort);
    await this.killing;
  }
}

const q = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/**
 * Imports a Registry dump into the snapshot database (README, "Parts"): rows are
 * streamed into working tables, the derived tables are built beside the live
 * ones (narrow ones, with the wide columns in `parts_sequences`), a diff against the live snapshot is stored, and one RENAME TABLE makes
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
  const signal = options.signal;
  /** Throws when the import was stopped. */
  const checkpoint = () => {
    if (signal?.aborted) throw stoppedError(signal);
  };

  checkpoint();
  const setup = await connect();
  await ensureSnapshotSchema(setup, snapshotDb).finally(() => setup.end());
  const db = await connect(snapshotDb);
  const lock = await connect();
  // Idle for the whole import, the lock's connection must outlive it (a closed connection releases the lock).
  await lock.query('SET SESSION wait_timeout = 100000');
  /** A statement of the derivation: none starts once the import was stopped (a kill may land between two). */
  const query = ((...args: unknown[]) => {
    checkpoint();
    return (db.query as (...a: unknown[]) => unknown)(...args);
  }) as typeof db.query;
  const killer = new StatementKiller(() => connect(), signal);
  let importId = 0;
  let locked = false;
  let swapped = false; // the new snapshot is live: the import completes whatever happens
  let loader: mysql.Connection | undefined;
  try {
    checkpoint();
    killer.watch(lock);
    const [[got]] = (await lock.query('SELECT GET_LOCK(?, ?) AS got', [`${snapshotDb}:import`, LOCK_WAIT_SECONDS])) as any;
    killer.unwatch(lock);
    checkpoint();
    if (Number(got.got) !== 1) throw new ImportError(`another import into ${snapshotDb} is running: wait for it to finish`);
    locked = true;
    killer.watch(db);
    // We hold the lock: imports still marked running were interrupted (killed).
    await db.query(`UPDATE ${q(appDb)}.snapshot_imports SET state = 'interrupted', finished_at = CURRENT_TIMESTAMP(3) WHERE state = 'running'`);
    const [inserted] = (await db.query(`INSERT INTO ${q(appDb)}.snapshot_imports (source, state) VALUES (?, 'running')`, [options.source])) as any;
    importId = inserted.insertId;

    const ddl = snapshotDdl('_new');
    for (const table of Object.keys(ddl)) await db.query(`DROP TABLE IF EXISTS ${table}`);
    for (const statement of Object.values(ddl)) await db.query(statement);

    // 1. Stream the dump into the working tables. The wide columns go once, straight into
    //    parts_sequences_new, for the rows that can be kept (sequence longer than 10).
    loader = await connect(snapshotDb);
    killer.watch(loader);
    const loaders = [db, loader];
    checkpoint();
    // Nothing may be awaited between opening the dump and reading it: its stream is already flowing.
    const dump = await openDump(options.source, new Set(['parts', 'parts_seq_features']), MAPPED_DUMP_COLUMNS, { signal, limits: options.limits });
    type Kind = 'parts' | 'sequences' | 'features' | 'subparts';
    const batches: Record<Kind, unknown[][]> = { parts: [], sequences: [], features: [], subparts: [] };
    const sql: Record<Kind, string> = {
      parts: `INSERT INTO parts_all_new (${NARROW_COLUMNS.join(', ')}) VALUES ?`,
      sequences: `INSERT INTO parts_sequences_new (part_id, ${WIDE_COLUMNS.join(', ')}) VALUES ?`,
      features: 'INSERT INTO features_all_new (feature_id, part_id, feature_type, start_pos, end_pos, label, reverse) VALUES ?',
      subparts: 'INSERT INTO subparts_all_new (parent_id, kind, ordinal, child_id) VALUES ?',
    };
    // Two connections, each table always on the same one (so rows land in dump order): up to two
    // INSERTs run at once, overlapping with parsing the next batches.
    const lane: Record<Kind, number> = { parts: 0, features: 0, sequences: 1, subparts: 1 };
    const inFlight: Promise<unknown>[] = [Promise.resolve(), Promise.resolve()];
    const flush = async (kind: Kind) => {
      const rows = batches[kind];
      if (!rows.length) return;
      batches[kind] = [];
      const i = lane[kind];
      await inFlight[i];
      inFlight[i] = loaders[i]!.query(sql[kind], [rows]);
      inFlight[i]!.catch(() => {}); // awaited (and thrown) at the next flush or at the end
    };
    const seen = new Set<number>();
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
    let failure: unknown;
    try {
      for await (const event of dump.events as AsyncGenerator<DumpEvent>) {
        if (event.kind === 'malformed') {
          reject(event.error.message);
          continue;
        }
        const { row } = event;
        try {
          if (row.table === 'parts') {
            const mapped = mapPart(row.values);
            const partId = mapped.partId;
            if (seen.has(partId)) throw new RowMappingError(`part_id ${partId} appears twice in the dump`);
            seen.add(partId);
            batches.parts.push(mapped.narrow);
            if (mapped.sequenceLength > 10) batches.sequences.push(mapped.wide);
            partsRead++;
            for (const [kind, column] of [['specified', 'specified_u_list'], ['deep', 'deep_u_list']] as const) {
              parseIdList(row.values[column]).forEach((child, ordinal) => {
                if (child !== partId) batches.subparts.push([partId, kind, ordinal, child]);
              });
            }
            if (batches.parts.length >= batchSize) await flush('parts');
            if (batches.sequences.length >= batchSize) await flush('sequences');
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
      for (const kind of ['parts', 'sequences', 'features', 'subparts'] as const) await flush(kind);
      await Promise.all(inFlight);
    } catch (error) {
      failure = error;
    }
    await Promise.allSettled(inFlight);
    killer.unwatch(loader);
    await loader.end().catch(() => {});
    loader = undefined;
    if (failure) throw failure;
    checkpoint();
    if (!partsRead) throw new ImportError(`${options.source} holds no rows of table parts: is it a Registry dump?`);

    // 2. Derive the snapshot's tables, set-based.
    progress(0.78, 'indexing the rows read');
    const indexes = snapshotIndexes('_new');
    await query(indexes.subparts_all_new!);
    progress(0.8, 'selecting parts with sequences');
    // The dedupe window runs over narrow columns only; `uses` (the dump's, else the number of
    // parts that specify this one, else 0) is joined in; rows go in primary-key order.
    const usesIndex = NARROW_COLUMNS.indexOf('uses');
    await query(`
      INSERT INTO parts_filtered_new (${NARROW_COLUMNS.join(', ')})
      SELECT ${NARROW_COLUMNS.map((c, i) => (i === usesIndex ? 'IF(a.uses = -1, COALESCE(u.n, 0), a.uses)' : `a.${c}`)).join(', ')}
      FROM (
        SELECT part_id, ROW_NUMBER() OVER (PARTITION BY part_name ORDER BY (status = 'Deleted'), m_datetime DESC, part_id DESC) AS pick
        FROM parts_all_new WHERE sequence_length > 10
      ) ranked
      JOIN parts_all_new a ON a.part_id = ranked.part_id
      LEFT JOIN (SELECT child_id, COUNT(DISTINCT parent_id) AS n FROM subparts_all_new WHERE kind = 'specified' GROUP BY child_id) u ON u.child_id = a.part_id
      WHERE ranked.pick = 1
      ORDER BY a.part_id`);
    // The wide rows of the duplicates that lost: few, deleted by primary key.
    const [losers] = (await query({
      sql: 'SELECT a.part_id FROM parts_all_new a LEFT JOIN parts_filtered_new f ON f.part_id = a.part_id WHERE a.sequence_length > 10 AND f.part_id IS NULL',
      rowsAsArray: true,
    })) as [number[][], unknown];
    for (let i = 0; i < losers.length; i += 1000) {
      checkpoint();
      await query('DELETE FROM parts_sequences_new WHERE part_id IN (?)', [losers.slice(i, i + 1000).map((r) => r[0])]);
    }
    progress(0.84, 'indexing the selected parts');
    await query(indexes.parts_filtered_new!);
    progress(0.86, 'features and subparts');
    await query('INSERT IGNORE INTO features_new SELECT f.* FROM features_all_new f JOIN parts_filtered_new p ON p.part_id = f.part_id');
    await query(indexes.features_new!);
    // Positions: the n-th use of a child in a parent is the n-th BioBrick feature labelled with the child's name
    // (the child's name as read, whether or not the child is kept), set as the subparts are inserted.
    await query(`
      INSERT INTO biobrick_features_new (part_id, label, occurrence, start_pos, end_pos)
      SELECT part_id, label, ROW_NUMBER() OVER (PARTITION BY part_id, label ORDER BY start_pos), start_pos, end_pos
      FROM features_new WHERE feature_type = 'BioBrick'`);
    await query(`
      INSERT IGNORE INTO subparts_new (parent_id, kind, ordinal, child_id, start_pos, end_pos)
      SELECT o.parent_id, o.kind, o.ordinal, o.child_id, f.start_pos, f.end_pos
      FROM (
        SELECT s.parent_id, s.kind, s.ordinal, s.child_id, ROW_NUMBER() OVER (PARTITION BY s.parent_id, s.kind, s.child_id ORDER BY s.ordinal) AS occurrence
        FROM subparts_all_new s JOIN parts_filtered_new p ON p.part_id = s.parent_id
      ) o
      LEFT JOIN parts_all_new c ON c.part_id = o.child_id
      LEFT JOIN biobrick_features_new f ON f.part_id = o.parent_id AND f.label = c.part_name AND f.occurrence = o.occurrence
      ORDER BY o.parent_id, o.kind, o.ordinal`);
    await query(indexes.subparts_new!);

    // 3. Diff against the live snapshot, then swap.
    progress(0.93, 'comparing with the live snapshot');
    const changes = `${q(appDb)}.snapshot_changes`;
    await query(`INSERT INTO ${changes} (import_id, part_name, \`change\`)
      SELECT ?, n.part_name, 'added' FROM parts_filtered_new n LEFT JOIN parts_filtered o ON o.part_name = n.part_name WHERE o.part_id IS NULL`, [importId]);
    await query(`INSERT INTO ${changes} (import_id, part_name, \`change\`)
      SELECT ?, o.part_name, 'removed' FROM parts_filtered o LEFT JOIN parts_filtered_new n ON n.part_name = o.part_name WHERE n.part_id IS NULL`, [importId]);
    await query(`INSERT INTO ${changes} (import_id, part_name, \`change\`)
      SELECT ?, n.part_name, 'changed' FROM parts_filtered_new n JOIN parts_filtered o ON o.part_name = n.part_name WHERE o.row_checksum <> n.row_checksum`, [importId]);
    const [counts] = (await query(`SELECT \`change\` AS c, COUNT(*) AS n FROM ${changes} WHERE import_id = ? GROUP BY \`change\``, [importId])) as any;
    const count = (c: string) => Number(counts.find((r: any) => r.c === c)?.n ?? 0);

    if (options.beforeSwap) {
      checkpoint();
      progress(0.95, 'ranking the new snapshot');
      await options.beforeSwap(`${q(snapshotDb)}.parts_filtered_new`);
    }
    checkpoint();
    progress(0.97, 'making the new snapshot live');
    await query(`DROP TABLE IF EXISTS ${SNAPSHOT_TABLES.map((t) => `${t}_prev`).join(', ')}`);
    // The last moment a stop keeps the new snapshot from going live. The RENAME itself may wait for
    // readers' locks; a stop meanwhile kills it, and then nothing was renamed.
    checkpoint();
    await query(`RENAME TABLE ${SNAPSHOT_TABLES.map((t) => `${t} TO ${t}_prev, ${t}_new TO ${t}`).join(', ')}`);
    swapped = true;
    // The new snapshot is live: what follows cannot undo that, so a failure here is recorded, not fatal.
    let afterSwapError: string | null = null;
    try {
      await killer.settle();
      await db.query('DROP TABLE IF EXISTS parts_all_new, features_all_new, subparts_all_new, biobrick_features_new');
      await options.afterSwap?.();
    } catch (error) {
      afterSwapError = `the new snapshot is live, but a step after the swap failed: ${(error as Error).message}`;
    }

    const [[live]] = (await db.query('SELECT COUNT(*) AS n FROM parts_filtered')) as any;
    const result: ImportResult = {
      importId, partsRead, featuresRead, malformed, malformedSamples: samples, partsLive: Number(live.n),
      added: count('added'), removed: count('removed'), changed: count('changed'), durationMs: Date.now() - started,
    };
    await db.query(
      `UPDATE ${q(appDb)}.snapshot_imports SET state = 'succeeded', error = ?, parts_read = ?, features_read = ?, malformed = ?, malformed_samples = ?,
       parts_live = ?, added = ?, removed = ?, changed = ?, finished_at = CURRENT_TIMESTAMP(3) WHERE id = ?`,
      [afterSwapError, partsRead, featuresRead, malformed, JSON.stringify(samples), result.partsLive, result.added, result.removed, result.changed, importId],
    );
    progress(1, `${result.partsLive} parts live (${result.added} added, ${result.removed} removed, ${result.changed} changed)`);
    return result;
  } catch (caught) {
    // A stopped import fails with the reason it was stopped, whatever statement or stream it broke.
    const error = signal?.aborted && !swapped ? stoppedError(signal) : caught;
    await killer.settle();
    if (loader) {
      await Promise.resolve(loader.end()).catch(() => {});
    }
    // On the lock's connection (never killed once the lock is held): the working tables go, and
    // the import is recorded as failed, before the lock is released.
    if (locked && !swapped) {
      await lock.query(`DROP TABLE IF EXISTS ${WORKING_TABLES(snapshotDb).join(', ')}`).catch(() => {});
      if (importId) await lock.query(`DELETE FROM ${q(appDb)}.snapshot_changes WHERE import_id = ?`, [importId]).catch(() => {});
    }
    if (importId) {
      await lock
        .query(`UPDATE ${q(appDb)}.snapshot_imports SET state = 'failed', error = ?, finished_at = CURRENT_TIMESTAMP(3) WHERE id = ?`, [(error as Error).message, importId])
        .catch(() => {});
    }
    throw error;
  } finally {
    await killer.settle();
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
    const index = indexes[table];
    if (index) await db.query(index.replace(/^ALTER TABLE (\w+)/, (_, name: string) => `ALTER TABLE ${q(snapshotDb)}.${name}`));
  }
}

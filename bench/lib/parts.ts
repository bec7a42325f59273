/**
 * Helpers of the parts benchmarks (parts-import, ranking, parts-api): app
 * databases with their `_igem` snapshot database, always dropped at the end;
 * the `mysql` command-line client; progress phases of an import; CPU time of
 * mysqld.
 */
import { Config } from '@brickyard/config';
import type { SnapshotServices } from '@brickyard/ranking';
import { createHostDataSource, runCoreMigrations, snapshotDatabaseOf } from '@brickyard/db';
import { createTestDatabase, type TestDatabase } from '@brickyard/testing';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as mysql from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { coreMigrations } from '../../migrations';
import { onCleanup } from './common';
import { watchCpu } from './cpu';

export const MYSQL = { host: '127.0.0.1', port: 3306, user: 'root' };

export async function adminQuery<T = any>(sql: string, params: unknown[] = []): Promise<T> {
  const connection = await mysql.createConnection({ ...MYSQL, multipleStatements: false });
  try {
    const [rows] = await connection.query(sql, params);
    return rows as T;
  } finally {
    await connection.end();
  }
}

/** Kills every statement running in one of these databases (a run over its time cap). */
export async function killQueriesIn(databases: string[]): Promise<number> {
  const rows = await adminQuery<{ id: number }[]>(
    `SELECT id FROM information_schema.processlist WHERE db IN (${databases.map(() => '?').join(',')}) AND id <> CONNECTION_ID()`,
    databases,
  );
  for (const { id } of rows) await adminQuery(`KILL ${Number(id)}`).catch(() => {});
  return rows.length;
}

export async function dropDatabases(names: string[]): Promise<void> {
  for (const name of names) await adminQuery(`DROP DATABASE IF EXISTS \`${name}\``);
}

export interface AppDatabase extends TestDatabase {
  snapshot: string;
  /** A host DataSource on the app database (pool of 2, as the CLI uses). */
  db: DataSource;
  config: Config;
  /** What importAndRank and rankLive need (the default strategy, bayesian). */
  services: SnapshotServices;
  /** Drops the app database and its snapshot database (also run at cleanup). */
  dropAll(): Promise<void>;
}

/** A fresh app database with the core migrations run (which creates `<name>_igem` with empty live tables). */
export async function createAppDatabase(label: string, env: Record<string, string> = {}): Promise<AppDatabase> {
  const database = await createTestDatabase(label);
  const snapshot = snapshotDatabaseOf(database.url); // the default `<app>_igem`
  let dropped = false;
  const dropAll = async () => {
    if (dropped) return;
    dropped = true;
    if (db.isInitialized) await db.destroy().catch(() => {});
    await killQueriesIn([database.name, snapshot]).catch(() => 0);
    await dropDatabases([database.name, snapshot]);
  };
  // Registered before anything can fail, so the databases never outlive the benchmark.
  onCleanup(dropAll);
  const db = await createHostDataSource(database.url, 2);
  await runCoreMigrations(db, coreMigrations);
  const config = new Config({ ...process.env, DATABASE_URL: database.url, SNAPSHOT_DATABASE: '', ...env });
  const services: SnapshotServices = { db, snapshot: { appDatabaseUrl: database.url, snapshotDatabase: snapshot }, strategy: env.PARTS_RANKING_STRATEGY ?? 'bayesian' };
  return { ...database, snapshot, db, config, services, dropAll };
}

/**
 * `mysql -uroot -h127.0.0.1 <db> < file` through a shell, timed; killed (with its
 * statement) after `timeoutMs`. The server's own sql_mode (strict) applies: the
 * synthetic dumps write binary values as raw bytes, as mysqldump does.
 */
export async function mysqlClientLoad(database: string, file: string, timeoutMs: number, engine?: 'InnoDB'): Promise<{ ms: number; ok: boolean; error?: string }> {
  const started = performance.now();
  const quoted = `'${file.replace(/'/g, `'\\''`)}'`;
  // With `engine`, the dump's CREATE TABLEs are rewritten on the way (sed in a pipe) to that engine.
  const command = engine ? `sed 's/ENGINE=MyISAM/ENGINE=${engine}/' ${quoted} | mysql -uroot -h127.0.0.1 ${database}` : `exec mysql -uroot -h127.0.0.1 ${database} < ${quoted}`;
  const child = spawn('sh', ['-c', command], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
    void killQueriesIn([database]);
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  const ms = performance.now() - started;
  if (timedOut) return { ms, ok: false, error: `over the ${Math.round(timeoutMs / 60000)} min cap: killed` };
  return code === 0 ? { ms, ok: true } : { ms, ok: false, error: `mysql exited ${code}: ${stderr.trim().slice(0, 500)}` };
}

/** CPU seconds mysqld/mariadbd has used so far (Linux /proc), or NaN. */
export function mysqldCpuSeconds(): number {
  try {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let comm = '';
      try {
        comm = fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      } catch {
        continue;
      }
      if (comm !== 'mariadbd' && comm !== 'mysqld') continue;
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    }
  } catch {
    // not Linux
  }
  return NaN;
}

/** This process's CPU seconds. */
export const ownCpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** Measures a period's CPU load by processes other than this benchmark (and its children) and mysqld (whose CPU also counts other clients' queries). */
export function watchOthers(): () => string {
  const stop = watchCpu();
  const db0 = mysqldCpuSeconds();
  return () => {
    const usage = stop();
    const mysqld = (mysqldCpuSeconds() - db0) / usage.seconds;
    return `other processes used ${Math.max(0, usage.foreignCores - mysqld).toFixed(2)} cores on average (mysqld ${mysqld.toFixed(2)})`;
  };
}

/** Progress messages of an import, turned into phases with wall time and CPU (ours, mysqld's). */
export class PhaseRecorder {
  private readonly phases: { name: string; start: number; cpu0: number; db0: number; lastMessage: string }[] = [];
  private readonly t0 = performance.now();

  constructor(private readonly echo?: (line: string) => void) {
    this.enter('setup (schema, working tables)', '');
  }

  static phaseOf(message: string): string {
    if (/^read \d+ parts/.test(message)) return 'reading the dump into working tables';
    if (/parts live/.test(message)) return 'done';
    return message;
  }

  private enter(name: string, message: string): void {
    this.phases.push({ name, start: performance.now(), cpu0: ownCpuSeconds(), db0: mysqldCpuSeconds(), lastMessage: message });
  }

  readonly onProgress = (fraction: number, message: string): void => {
    const name = PhaseRecorder.phaseOf(message);
    const current = this.phases[this.phases.length - 1]!;
    if (current.name === name) {
      current.lastMessage = message;
      return;
    }
    this.echo?.(`  +${((performance.now() - this.t0) / 1000).toFixed(1)} s  ${(fraction * 100).toFixed(0)}%  ${message}`);
    this.enter(name, message);
  };

  /** Phases until now (the last one, still open, ends now). */
  summary(): { name: string; seconds: number; nodeCpu: number; mysqldCpu: number; lastMessage: string }[] {
    const now = { start: performance.now(), cpu0: ownCpuSeconds(), db0: mysqldCpuSeconds() };
    return this.phases
      .map((phase, i) => {
        const next = this.phases[i + 1] ?? now;
        return {
          name: phase.name,
          seconds: (next.start - phase.start) / 1000,
          nodeCpu: next.cpu0 - phase.cpu0,
          mysqldCpu: next.db0 - phase.db0,
          lastMessage: phase.lastMessage,
        };
      })
      .filter((p) => p.name !== 'done');
  }

  static format(phases: ReturnType<PhaseRecorder['summary']>): string {
    const total = phases.reduce((a, p) => a + p.seconds, 0) || 1;
    return phases
      .map(
        (p) =>
          `    ${p.name.padEnd(40)} ${p.seconds.toFixed(1).padStart(8)} s ${((100 * p.seconds) / total).toFixed(0).padStart(3)}%` +
          `   cpu: node ${p.nodeCpu.toFixed(1)} s, mysqld ${Number.isNaN(p.mysqldCpu) ? '?' : p.mysqldCpu.toFixed(1)} s`,
      )
      .join('\n');
  }
}

export { arg } from './common';

/** `100000`, `100k`, `1m`, `1e6` → a number. */
export function parseCount(text: string): number {
  const match = /^(\d+(?:\.\d+)?(?:e\d+)?)([km]?)$/i.exec(text.trim());
  if (!match) throw new Error(`not a count: ${text}`);
  return Math.round(Number(match[1]) * ({ k: 1e3, m: 1e6 }[match[2]!.toLowerCase()] ?? 1));
}

export const fmtCount = (n: number) => (n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : String(n));

export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Promise<unknown>): Promise<{ value?: T; timedOut: boolean; error?: Error }> {
  return new Promise((resolve) => {
    let done = false;
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      void onTimeout().finally(() => resolve({ timedOut: true }));
    }, ms);
    promise.then(
      (value) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve({ value, timedOut: false });
      },
      (error: Error) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve({ error, timedOut: false });
      },
    );
  });
}

/**
 * Grows the live snapshot to `target` parts with growPerPartTables: parts_filtered
 * and every other per-part table (`parts_sequences`: sequence, notes, u-lists,
 * compatibility…) get the same copies, so each copied part reads through the
 * `parts` view like the part it copies. Returns the rows parts_filtered then
 * holds and the tables copied.
 */
export async function growPartsFiltered(app: AppDatabase, target: number): Promise<{ rows: number; tables: string[] }> {
  const tables = await growPerPartTables(app, target);
  const [{ n }] = await app.db.query(`SELECT COUNT(*) AS n FROM \`${app.snapshot}\`.parts_filtered`);
  return { rows: Number(n), tables };
}

/**
 * Copies the live rows of every per-part table of the snapshot (those whose
 * primary key is part_id alone: parts_filtered, and a side table of per-part
 * columns if there is one) with part_id + k·10⁷ and part_name + "#k" (where the
 * table has a part_name), until parts_filtered holds `target` rows: one
 * INSERT…SELECT per copy and table, so no giant transaction. Column lists come
 * from information_schema, so the copies keep every column the import wrote.
 */
export async function growPerPartTables(app: AppDatabase, target: number): Promise<string[]> {
  const schema = app.snapshot;
  const keyed: { t: string }[] = await app.db.query(
    `SELECT k.TABLE_NAME AS t FROM information_schema.KEY_COLUMN_USAGE k
     JOIN information_schema.TABLES tb ON tb.TABLE_SCHEMA = k.TABLE_SCHEMA AND tb.TABLE_NAME = k.TABLE_NAME AND tb.TABLE_TYPE = 'BASE TABLE'
     WHERE k.TABLE_SCHEMA = ? AND k.CONSTRAINT_NAME = 'PRIMARY'
     GROUP BY k.TABLE_NAME HAVING COUNT(*) = 1 AND MAX(k.COLUMN_NAME) = 'part_id'`,
    [schema],
  );
  const live = (t: string) => !/_(new|prev|old)$/.test(t) && !/^parts_all/.test(t);
  const tables = ['parts_filtered', ...keyed.map((r) => r.t).filter((t) => t !== 'parts_filtered' && live(t)).sort()];
  const columnsOf = async (table: string): Promise<string[]> =>
    (
      await app.db.query(`SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`, [schema, table])
    ).map((r: { c: string }) => r.c);
  const columns = new Map<string, string[]>();
  for (const table of tables) columns.set(table, await columnsOf(table));
  const pf = `\`${schema}\`.parts_filtered`;
  const [{ n }] = await app.db.query(`SELECT COUNT(*) AS n FROM ${pf} WHERE part_id < 10000000`);
  const base = Number(n);
  let rows = base;
  for (let k = 1; rows < target; k++) {
    const take = Math.min(base, target - rows);
    // The first `take` live part_ids: the same parts in every table.
    const [{ last }] = await app.db.query(`SELECT part_id AS last FROM ${pf} WHERE part_id < 10000000 ORDER BY part_id LIMIT 1 OFFSET ${take - 1}`);
    for (const table of tables) {
      const cols = columns.get(table)!;
      const select = cols.map((c) => (c === 'part_id' ? 'part_id + ? * 10000000' : c === 'part_name' ? "CONCAT(part_name, '#', ?)" : `\`${c}\``));
      const params = cols.flatMap((c) => (c === 'part_id' || c === 'part_name' ? [k] : []));
      await app.db.query(
        `INSERT INTO \`${schema}\`.\`${table}\` (${cols.map((c) => `\`${c}\``).join(', ')}) SELECT ${select.join(', ')} FROM \`${schema}\`.\`${table}\` WHERE part_id <= ?`,
        [...params, Number(last)],
      );
    }
    rows += take;
  }
  for (const table of tables) await app.db.query(`ANALYZE TABLE \`${schema}\`.\`${table}\``);
  return tables;
}

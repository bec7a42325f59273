import { importSnapshot, demoDumpPath, writeSyntheticDumpFile } from '@brickyard/parts';
import { createTestDatabase, type TestDatabase } from '@brickyard/testing';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { coreMigrations } from '../../migrations';

// Snapshot imports against the real MySQL: formats agree, bad rows are handled
// as asked, and nothing a reader sees changes until the swap.
const root = path.resolve(import.meta.dirname, '..', '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-import-'));
let database: TestDatabase;
let snapshot: string;
let db: mysql.Connection;

beforeAll(async () => {
  database = await createTestDatabase('import', { migrations: coreMigrations });
  snapshot = `${database.name}_igem`;
  db = await mysql.createConnection({ host: '127.0.0.1', user: 'root', database: database.name });
});
afterAll(async () => {
  await db?.end();
  await database?.drop();
  fs.rmSync(work, { recursive: true, force: true });
});

const run = (source: string, onMalformed: 'skip' | 'abort' = 'skip', snapshotDatabase = snapshot) =>
  importSnapshot({ source, appDatabaseUrl: database.url, snapshotDatabase, onMalformed });
const livePartNames = async (schema = snapshot) =>
  ((await db.query(`SELECT part_name FROM \`${schema}\`.parts_filtered ORDER BY part_name`)) as any)[0].map((r: any) => r.part_name);

test('the demo dump: real parts with subparts at their positions, uses counted, compatibility scanned', async () => {
  const result = await run(demoDumpPath);
  expect(result).toMatchObject({ partsRead: 100, featuresRead: 192, malformed: 0, partsLive: 98, added: 98, removed: 0, changed: 0 });
  const [[b0015]] = (await db.query(`SELECT part_id, uses FROM \`${snapshot}\`.parts_filtered WHERE part_name = 'BBa_B0015'`)) as any;
  const [subparts] = (await db.query(
    `SELECT c.part_name, s.start_pos, s.end_pos FROM \`${snapshot}\`.subparts s JOIN \`${snapshot}\`.parts_filtered c ON c.part_id = s.child_id
     WHERE s.parent_id = ? AND s.kind = 'specified' ORDER BY s.ordinal`, [b0015.part_id])) as any;
  expect(subparts).toEqual([
    { part_name: 'BBa_B0010', start_pos: 1, end_pos: 80 },
    { part_name: 'BBa_B0012', start_pos: 89, end_pos: 129 },
  ]);
  const [[b0010]] = (await db.query(`SELECT uses, compatibility FROM \`${snapshot}\`.parts_filtered JOIN \`${snapshot}\`.parts_sequences USING (part_id) WHERE part_name = 'BBa_B0010'`)) as any;
  expect(b0010.uses).toBeGreaterThanOrEqual(2);
  expect(JSON.parse(b0010.compatibility)).toEqual({ '10': [], '12': [], '21': [], '23': [], '25': [], '1000': [] });
  // A second import of the same dump changes nothing; the first stays as the previous snapshot.
  const again = await run(demoDumpPath);
  expect(again).toMatchObject({ added: 0, removed: 0, changed: 0, partsLive: 98 });
  const [[previous]] = (await db.query(`SELECT COUNT(*) AS n FROM \`${snapshot}\`.parts_filtered_prev`)) as any;
  expect(previous.n).toBe(98);
});

function writeDump(name: string, rows: string): string {
  const file = path.join(work, name);
  fs.writeFileSync(
    file,
    'CREATE TABLE `parts` (\n  `part_id` int(11),\n  `part_name` varchar(255),\n  `status` varchar(20),\n  `sequence` longtext\n);\n' +
      `INSERT INTO \`parts\` VALUES ${rows};\n`,
  );
  return file;
}

test('malformed rows are skipped with their position, or abort the import without touching the live snapshot', async () => {
  const before = await livePartNames();
  const file = writeDump('bad.sql', "(1,'BBa_OK1','Available','acgtacgtacgtacgt'),(2,'BBa_BAD','Available'),(3,'BBa_OK2','Available','ttttaaaaccccgggg'),(x,'BBa_BAD2','','')");

  await expect(run(file, 'abort')).rejects.toThrow('import aborted at the first malformed row: malformed parts row 2 (line 7): 3 values for 4 columns');
  expect(await livePartNames()).toEqual(before);
  const [[failed]] = (await db.query("SELECT state, error FROM snapshot_imports ORDER BY id DESC LIMIT 1")) as any;
  expect(failed.state).toBe('failed');

  const skipped = await run(file, 'skip');
  expect(skipped).toMatchObject({ partsRead: 2, malformed: 2, partsLive: 2 });
  expect(skipped.malformedSamples).toEqual([
    'malformed parts row 2 (line 7): 3 values for 4 columns',
    'malformed parts row 4 (line 7): unexpected "x" where a value should be',
  ]);
  expect(await livePartNames()).toEqual(['BBa_OK1', 'BBa_OK2']);
  const [[recorded]] = (await db.query("SELECT malformed, malformed_samples, removed FROM snapshot_imports ORDER BY id DESC LIMIT 1")) as any;
  expect(recorded.malformed).toBe(2);
  expect(JSON.parse(recorded.malformed_samples)).toEqual(skipped.malformedSamples);
  expect(recorded.removed).toBe(98);
});

test('a duplicated part name is resolved by the documented rule', async () => {
  const file = writeDump(
    'dupes.sql',
    "(10,'BBa_DUP','Deleted','aaaaaaaaaaaaaaaa'),(11,'BBa_DUP','Available','cccccccccccccccc'),(12,'BBa_DUP','Available','gggggggggggggggg'),(13,'BBa_DUP','Available','')",
  );
  await run(file);
  const [[kept]] = (await db.query(`SELECT part_id, sequence FROM \`${snapshot}\`.parts_filtered JOIN \`${snapshot}\`.parts_sequences USING (part_id) WHERE part_name = 'BBa_DUP'`)) as any;
  // Not Deleted, then latest m_datetime (all NULL here), then highest part_id, among rows with a sequence > 10.
  expect(kept).toEqual({ part_id: 12, sequence: 'gggggggggggggggg' });
});

test('kill -9 during an import leaves the live snapshot untouched, and the next import works', { timeout: 300_000 }, async () => {
  await run(demoDumpPath);
  const before = await livePartNames();
  const big = path.join(work, 'kill.sql.gz');
  await writeSyntheticDumpFile(big, { parts: 40_000, format: 'sql', seed: 3 });
  const child = spawn(process.execPath, [path.join(root, 'bin', 'brickyard.js'), 'parts', 'import', big], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: database.url, SNAPSHOT_DATABASE: snapshot },
    stdio: 'ignore',
  });
  // Kill it while it is loading rows.
  for (let i = 0; i < 600; i++) {
    const [[loaded]] = (await db.query(
      `SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = ? AND table_name = 'parts_all_new'`, [snapshot])) as any;
    if (loaded.n) {
      const [[rows]] = (await db.query(`SELECT COUNT(*) AS n FROM \`${snapshot}\`.parts_all_new`)) as any;
      if (rows.n > 5000) break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  expect(await livePartNames()).toEqual(before);

  const rerun = await run(demoDumpPath);
  expect(rerun).toMatchObject({ partsLive: 98, added: 0, removed: 0, changed: 0 });
  const [states] = (await db.query('SELECT state FROM snapshot_imports ORDER BY id DESC LIMIT 2')) as any;
  expect(states.map((s: any) => s.state)).toEqual(['succeeded', 'interrupted']);
});

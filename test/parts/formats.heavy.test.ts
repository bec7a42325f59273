import { importSnapshot, writeSyntheticDumpFile } from '@brickyard/parts';
import { createTestDatabase, type TestDatabase } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { coreMigrations } from '../../migrations';

// Heavy (minutes): runs alone, after the rest of the suite (BRICKYARD_HEAVY_TESTS=1, see vitest.config.mts).
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-formats-'));
let database: TestDatabase;
let snapshot: string;
let db: mysql.Connection;

beforeAll(async () => {
  database = await createTestDatabase('formats', { migrations: coreMigrations });
  snapshot = `${database.name}_igem`;
  db = await mysql.createConnection({ host: '127.0.0.1', user: 'root', database: database.name });
});
afterAll(async () => {
  await db?.end();
  await database?.drop();
  fs.rmSync(work, { recursive: true, force: true });
});

const run = (source: string, onMalformed: 'skip' | 'abort', snapshotDatabase: string) =>
  importSnapshot({ source, appDatabaseUrl: database.url, snapshotDatabase, onMalformed });

test('the same synthetic 100k-part dump as SQL and as XML gives identical parts_filtered and parts_sequences rows', { timeout: 900_000 }, async () => {
  const sql = path.join(work, 'synthetic.sql.gz');
  const xml = path.join(work, 'synthetic.xml.gz');
  await writeSyntheticDumpFile(sql, { parts: 100_000, format: 'sql', seed: 7 });
  await writeSyntheticDumpFile(xml, { parts: 100_000, format: 'xml', seed: 7 });
  const fromSql = await run(sql, 'skip', `${snapshot}_sql`);
  const fromXml = await run(xml, 'skip', `${snapshot}_xml`);
  try {
    expect(fromSql.partsRead).toBe(100_000);
    expect(fromSql.malformed).toBe(0);
    expect(fromXml).toMatchObject({ partsRead: 100_000, malformed: 0, partsLive: fromSql.partsLive });
    expect(fromSql.partsLive).toBeGreaterThan(70_000); // empty sequences and duplicated names are filtered out
    expect(fromSql.partsLive).toBeLessThan(95_000);
    for (const table of ['parts_filtered', 'parts_sequences']) {
      const [checksums] = (await db.query(`CHECKSUM TABLE \`${snapshot}_sql\`.${table}, \`${snapshot}_xml\`.${table} EXTENDED`)) as any;
      expect(checksums[0].Checksum, table).toBe(checksums[1].Checksum);
    }
    const [[sequences]] = (await db.query(`SELECT COUNT(*) AS n FROM \`${snapshot}_sql\`.parts_sequences`)) as any;
    expect(Number(sequences.n)).toBe(fromSql.partsLive); // one wide row per live part, none for the duplicates that lost
    const [[differences]] = (await db.query(
      `SELECT COUNT(*) AS n FROM \`${snapshot}_sql\`.parts_filtered a LEFT JOIN \`${snapshot}_xml\`.parts_filtered b
       ON b.part_id = a.part_id AND b.row_checksum = a.row_checksum WHERE b.part_id IS NULL`)) as any;
    expect(differences.n).toBe(0);
  } finally {
    await db.query(`DROP DATABASE IF EXISTS \`${snapshot}_sql\``);
    await db.query(`DROP DATABASE IF EXISTS \`${snapshot}_xml\``);
  }
});


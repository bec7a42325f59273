import { createHostDataSource, runCoreMigrations } from '@brickyard/db';
import { createTestDatabase, type TestDatabase } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { afterAll, expect, test } from 'vitest';
import { coreMigrations } from '../../migrations';

// Migrations are frozen: each holds its own SQL, so an old migration does the
// same thing forever, whatever the libraries become. These tests keep them so:
// no migration imports code from outside migrations/, and the schema they build
// on a fresh database stays the one recorded in core-schema.sql (which changes
// only with a new migration: `npx vitest run migrations -u`, then review the diff).

// The snapshot database is `<app>_igem` (TestDatabase.drop drops it too).
delete process.env.SNAPSHOT_DATABASE;

const folder = path.resolve(import.meta.dirname, '..', '..', 'migrations');
const databases: TestDatabase[] = [];
afterAll(async () => {
  for (const database of databases) await database.drop();
});

/** Every module a file loads: import/export … from, bare imports, import(), require(). */
function specifiers(source: string): { specifier: string; typeOnly: boolean }[] {
  const found: { specifier: string; typeOnly: boolean }[] = [];
  for (const m of source.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?\bfrom\s+['"]([^'"]+)['"]/gm)) found.push({ specifier: m[3]!, typeOnly: Boolean(m[2]) });
  for (const m of source.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) found.push({ specifier: m[1]!, typeOnly: false });
  for (const m of source.matchAll(/\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]/g)) found.push({ specifier: m[1]!, typeOnly: false });
  return found;
}

test('a migration imports nothing but typeorm types and frozen helpers of migrations/', () => {
  const files = fs.readdirSync(folder).filter((f) => f.endsWith('.ts'));
  const migrations = files.filter((f) => /^\d{13}-/.test(f));
  expect(migrations.length).toBe(coreMigrations.length);
  const offending: string[] = [];
  for (const file of files) {
    for (const { specifier, typeOnly } of specifiers(fs.readFileSync(path.join(folder, file), 'utf8'))) {
      if (specifier === 'typeorm' && typeOnly) continue;
      // index.ts lists the migrations; a migration may use a helper file of this folder, not another migration.
      const local = /^\.\/[\w.-]+$/.test(specifier) && fs.existsSync(path.join(folder, `${specifier}.ts`));
      if (local && (file === 'index.ts' || !/^\.\/\d{13}-/.test(specifier))) continue;
      offending.push(`${file}: ${specifier}${typeOnly ? ' (type)' : ''}`);
    }
  }
  expect(offending).toEqual([]);
});

/** SHOW CREATE of every table and view of both databases, database names and AUTO_INCREMENT counters left out. */
async function schemaOf(db: DataSource, app: string): Promise<string> {
  const snapshot = `${app}_igem`;
  const named = (text: string) =>
    text.replaceAll(`\`${snapshot}\``, '`<snapshot>`').replaceAll(`\`${app}\``, '`<app>`')
      .replace(/ AUTO_INCREMENT=\d+/, '').replace(/ DEFINER=`[^`]*`@`[^`]*`/, '');
  // A view comes as one line: a column or a join a line, so a diff shows what changed.
  const lines = (view: string) => view.replace(/( AS `[^`]*`),/g, '$1,\n  ').replace(/ (left join|join|from) /g, '\n$1 ');
  const [{ version }] = await db.query('SELECT VERSION() AS version');
  const server = `${/mariadb/i.test(version) ? 'MariaDB' : 'MySQL'} ${/^\d+\.\d+/.exec(version)?.[0]}`;
  const out = [`-- The schema the core migrations build on a fresh database (test/migrations/migrations.test.ts).`, `-- Server: ${server}`];
  const ran = await db.query('SELECT name FROM migrations ORDER BY id');
  out.push(`-- Migrations: ${ran.map((r: { name: string }) => r.name).join(', ')}`);
  for (const [database, label] of [[app, '<app>'], [snapshot, '<snapshot>']] as const) {
    out.push('', `-- ${label}`, named((await db.query(`SHOW CREATE DATABASE \`${database}\``))[0]['Create Database']) + ';');
    const tables = await db.query(
      'SELECT TABLE_NAME AS name, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME',
      [database],
    );
    for (const { name, type } of tables) {
      const [row] = await db.query(`SHOW CREATE ${type === 'VIEW' ? 'VIEW' : 'TABLE'} \`${database}\`.\`${name}\``);
      out.push('', (type === 'VIEW' ? lines(named(row['Create View'])) : named(row['Create Table'])) + ';');
    }
  }
  return out.join('\n') + '\n';
}

test('the core migrations build the recorded schema on a fresh database', async () => {
  const database = await createTestDatabase('migrations', { migrations: coreMigrations });
  databases.push(database);
  const db = await createHostDataSource(database.url, 1);
  try {
    await expect(await schemaOf(db, database.name)).toMatchFileSnapshot('./core-schema.sql');
  } finally {
    await db.destroy();
  }
});

test('a snapshot imported before PartsSequences1763780500000 is converted: wide columns moved, ranking_inputs added', async () => {
  const database = await createTestDatabase('migrations_old');
  databases.push(database);
  const snapshot = `\`${database.name}_igem\``;
  const db = await createHostDataSource(database.url, 1);
  try {
    // The live tables an import made then: the wide columns in parts_filtered, no ranking_inputs index.
    await db.query(`CREATE DATABASE ${snapshot} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await db.query(`CREATE TABLE ${snapshot}.parts_filtered (
      part_id INT NOT NULL PRIMARY KEY, part_name VARCHAR(255) NOT NULL, short_desc VARCHAR(255) NOT NULL DEFAULT '', description LONGTEXT NULL,
      part_type VARCHAR(40) NOT NULL DEFAULT '', author VARCHAR(255) NOT NULL DEFAULT '', owning_group_id INT NULL, status VARCHAR(40) NOT NULL DEFAULT '',
      dominant TINYINT(1) NOT NULL DEFAULT 0, informational TINYINT(1) NOT NULL DEFAULT 0, discontinued INT NOT NULL DEFAULT 0,
      part_status VARCHAR(40) NOT NULL DEFAULT '', sample_status VARCHAR(40) NOT NULL DEFAULT '', creation_date DATE NULL, m_datetime DATETIME NULL,
      uses INT NOT NULL DEFAULT -1, doc_size INT NOT NULL DEFAULT 0, works VARCHAR(20) NOT NULL DEFAULT '', favorite INT NOT NULL DEFAULT 0,
      specified_u_list LONGTEXT NULL, deep_u_list LONGTEXT NULL, has_barcode TINYINT(1) NOT NULL DEFAULT 0, notes LONGTEXT NULL, source TEXT NULL,
      nickname VARCHAR(40) NOT NULL DEFAULT '', categories VARCHAR(1000) NOT NULL DEFAULT '', sequence LONGTEXT NOT NULL,
      sequence_length INT NOT NULL DEFAULT 0, seq_sha1 CHAR(40) NOT NULL, review_count INT NOT NULL DEFAULT 0, review_total INT NOT NULL DEFAULT 0,
      rating INT NOT NULL DEFAULT 0, compatibility TEXT NOT NULL, compatible_standards TINYINT NOT NULL DEFAULT 0, row_checksum CHAR(40) NOT NULL,
      UNIQUE KEY part_name (part_name)) ENGINE=InnoDB`);
    await db.query(`INSERT INTO ${snapshot}.parts_filtered (part_id, part_name, seq_sha1, row_checksum, sequence, compatibility, notes)
      VALUES (1, 'BBa_A', 'a', 'a', 'acgt', '{}', 'a note'), (2, 'BBa_B', 'b', 'b', 'gg', '{}', NULL)`);
    await db.query(`CREATE TABLE ${snapshot}.parts_sequences (part_id INT NOT NULL PRIMARY KEY, specified_u_list LONGTEXT NULL, deep_u_list LONGTEXT NULL,
      notes LONGTEXT NULL, source TEXT NULL, sequence LONGTEXT NOT NULL, compatibility TEXT NOT NULL) ENGINE=InnoDB`);
    expect(await runCoreMigrations(db, coreMigrations)).toEqual(coreMigrations.map((M) => new M().name));
    const columns = await db.query(
      `SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'parts_filtered'`,
      [`${database.name}_igem`],
    );
    expect(columns.map((r: { c: string }) => r.c)).not.toContain('sequence');
    expect(await db.query(`SELECT part_id, notes, sequence FROM ${snapshot}.parts_sequences ORDER BY part_id`)).toEqual([
      { part_id: 1, notes: 'a note', sequence: 'acgt' },
      { part_id: 2, notes: null, sequence: 'gg' },
    ]);
    const [ranking] = await db.query(`SHOW INDEX FROM ${snapshot}.parts_filtered WHERE Key_name = 'ranking_inputs' AND Seq_in_index = 10`);
    expect(ranking.Column_name).toBe('review_count');
    // The missing live tables were created, and the view reads them.
    await db.query(`INSERT INTO part_weights (part_id, weight) VALUES (1, 0.5)`);
    expect(await db.query('SELECT part_name, sequence, weight FROM parts')).toEqual([{ part_name: 'BBa_A', sequence: 'acgt', weight: 0.5 }]);
    const tables = await db.query('SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME', [`${database.name}_igem`]);
    expect(tables.map((r: { t: string }) => r.t)).toEqual(['features', 'parts_filtered', 'parts_sequences', 'subparts']);
  } finally {
    await db.destroy();
  }
});

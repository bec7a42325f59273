import { describe, expect, test } from 'vitest';
import { checkStatement, tablesOf } from './statement-guard';

const scope = { plugin: 'lab', database: 'app', prefixes: ['lab_'] };
const ok = (sql: string) => expect(() => checkStatement(sql, scope)).not.toThrow();
const refused = (sql: string, message: RegExp) => expect(() => checkStatement(sql, scope)).toThrow(message);

describe('statement guard', () => {
  test('reads the tables of DDL and DML', () => {
    expect(tablesOf('CREATE TABLE IF NOT EXISTS `lab_items` (id INT)')).toContainEqual([undefined, 'lab_items']);
    expect(tablesOf('RENAME TABLE lab_a TO lab_b, lab_c TO other')).toEqual([[undefined, 'lab_a'], [undefined, 'lab_b'], [undefined, 'lab_c'], [undefined, 'other']]);
    expect(tablesOf('DROP TABLE lab_a, users')).toEqual([[undefined, 'lab_a'], [undefined, 'users']]);
    expect(tablesOf('SELECT * FROM lab_a a JOIN app.users u ON u.id = a.user_id')).toEqual([[undefined, 'lab_a'], ['app', 'users']]);
    expect(tablesOf('SELECT * FROM lab_a AS x, secrets WHERE 1')).toEqual([[undefined, 'lab_a'], [undefined, 'secrets']]);
    expect(tablesOf('CREATE INDEX i ON users (name)')).toEqual([[undefined, 'users']]);
  });

  test('lets a plugin use its own tables, TypeORM style included', () => {
    ok('CREATE TABLE lab_items (id INT PRIMARY KEY, name VARCHAR(20))');
    ok('ALTER TABLE `lab_items` ADD COLUMN note TEXT');
    ok('INSERT INTO `lab_items`(`id`, `name`) VALUES (?, ?)');
    ok('INSERT INTO lab_items (k, v) VALUES (1, 2) ON DUPLICATE KEY UPDATE v = VALUES(v)');
    ok('SELECT `Item`.`id` AS `Item_id` FROM `lab_items` `Item` ORDER BY `Item`.`id` DESC LIMIT 20');
    ok('SELECT * FROM lab_items WHERE name = \'FROM users\' FOR UPDATE');
    ok('UPDATE lab_items SET name = ? WHERE id = ?');
    ok('DELETE FROM `app`.`lab_items` WHERE id = 1');
    ok('SELECT * FROM `INFORMATION_SCHEMA`.`TABLES` WHERE TABLE_NAME = ?');
  });

  test('refuses other tables, other databases and server statements, with what to do', () => {
    refused('CREATE TABLE shared_notes (id INT)', /only use tables named lab_…, but a statement touches shared_notes.*tables:shared_/);
    refused('ALTER TABLE plugins ADD COLUMN x INT', /touches plugins/);
    refused('DROP TABLE IF EXISTS tasks', /touches tasks/);
    refused('INSERT INTO plugin_grants (plugin, capability) VALUES (?, ?)', /touches plugin_grants/);
    refused('SELECT * FROM lab_items JOIN config_overrides', /touches config_overrides/);
    refused('SELECT * FROM app_igem.parts_filtered', /database app_igem/);
    refused('GRANT ALL ON *.* TO x', /may not run GRANT/);
    refused('CREATE DATABASE other', /may not run CREATE DATABASE/);
  });

  test('the ways around a naive reading are closed', () => {
    const bypasses = [
      'SELECT * FROM`plugins`',
      'UPDATE`plugins` SET enabled = 0',
      'SELECT * FROM lab_x JOIN`plugins`',
      "INSERT plugin_grants (plugin, capability) VALUES ('x', 'database')",
      "INSERT IGNORE plugin_grants VALUES ('x', 'database')",
      "REPLACE plugin_grants VALUES ('x', 'database')",
      'TRUNCATE plugins',
      'SELECT * FROM lab_x /*!50000 , plugins */',
      '/*!DROP TABLE plugins*/',
      "SELECT * FROM lab_x -- it's\n, plugins WHERE 'x'='x'",
      "SELECT * FROM lab_x # it's\n, plugins WHERE 'x'='x'",
      "SELECT * FROM lab_x /* ' */ , plugins /* ' */",
      'SELECT 1--1 FROM plugins',
      "CREATE DEFINER=CURRENT_USER TRIGGER lab_t BEFORE INSERT ON plugin_grants FOR EACH ROW SET NEW.capability='database'",
      'CREATE DEFINER=CURRENT_USER EVENT lab_e ON SCHEDULE EVERY 1 DAY DO TRUNCATE tasks',
      'SELECT * FROM (plugins)',
      'SELECT * FROM lab_x STRAIGHT_JOIN plugins',
      'DELETE FROM lab_x USING lab_x, plugins',
      'SELECT * FROM lab_x PARTITION (p0), plugins',
      'SELECT * FROM lab_x USE INDEX (i), plugins',
      'CREATE TABLE lab_x LIKE plugins',
      'ALTER TABLE lab_x RENAME AS other',
      'ALTER TABLE lab_x RENAME other',
      'DESCRIBE plugins',
      'SHOW COLUMNS IN plugins',
      'SELECT * FROM information_schema.PROCESSLIST',
      'USE app_igem',
      "SET SESSION sql_mode='ANSI_QUOTES'",
      'LOCK TABLES lab_x WRITE',
      'SET @@GLOBAL.max_connections = 1',
      "SELECT * FROM lab_x INTO OUTFILE '/tmp/x'",
      'SELECT * FROM lab_x; DROP TABLE plugins',
      'SHOW PROCESSLIST',
      'CALL lab_proc()',
    ];
    for (const sql of bypasses) expect(() => checkStatement(sql.replace(/\\n/g, '\n'), scope), sql).toThrow();
  });

  test('core tables and longer prefixes of other plugins are never its own', () => {
    const wide = { ...scope, plugin: 'plugin', prefixes: ['plugin_'], excluded: ['plugin_grants', 'plugins'] };
    expect(() => checkStatement('INSERT INTO plugin_grants VALUES (1, 2)', wide)).toThrow(/core table plugin_grants/);
    const lab = { ...scope, excludedPrefixes: ['lab_notes_'] };
    expect(() => checkStatement('DROP TABLE lab_notes_items', lab)).toThrow(/tables named lab_notes_… belong to another plugin/);
    expect(() => checkStatement('SELECT * FROM lab_items', lab)).not.toThrow();
  });

  test('granted prefixes are allowed', () => {
    expect(() => checkStatement('CREATE TABLE shared_notes (id INT)', { ...scope, prefixes: ['lab_', 'shared_'] })).not.toThrow();
  });
});

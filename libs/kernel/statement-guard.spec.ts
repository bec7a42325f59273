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

  test('granted prefixes are allowed', () => {
    expect(() => checkStatement('CREATE TABLE shared_notes (id INT)', { ...scope, prefixes: ['lab_', 'shared_'] })).not.toThrow();
  });
});

import { ensureAdminToken, Config } from '@brickyard/config';
import { IdentityService } from '@brickyard/kernel';
import { readSqlDump, readXmlDump } from '@brickyard/parts';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { expect, test } from 'vitest';

// What a security review found fine, kept so by tests: dumps cannot expand
// entities or run statements, the admin token is strong, private and compared
// in constant time.

const rowsOf = async (events: AsyncGenerator<{ kind: string; row?: { table: string; values: Record<string, unknown> } }>) => {
  const rows = [];
  for await (const event of events) if (event.kind === 'row') rows.push(event.row!);
  return rows;
};

test('an XML dump defines no entities: a DTD and its entity references are never expanded', async () => {
  const xml = `<?xml version="1.0"?>
<!DOCTYPE mysqldump [<!ENTITY boom "BOOMBOOMBOOMBOOM"><!ENTITY file SYSTEM "file:///etc/hostname">]>
<mysqldump><database name="parts_bbdb"><table_data name="parts">
<row><field name="part_id">1</field><field name="part_name">BBa_E&boom;</field><field name="short_desc">&file;&amp;</field></row>
</table_data></database></mysqldump>`;
  const rows = await rowsOf(readXmlDump(Readable.from([Buffer.from(xml)])) as never);
  expect(rows).toHaveLength(1);
  const text = JSON.stringify(rows);
  expect(text).not.toContain('BOOMBOOM');
  expect(text).not.toContain(fs.readFileSync('/etc/hostname', 'utf8').trim() || 'never-empty');
});

test('an SQL dump yields rows of INSERT and REPLACE statements only; anything else is never run or read', async () => {
  const sql = [
    'CREATE TABLE `parts` (\n  `part_id` int(11) NOT NULL,\n  `part_name` varchar(255) DEFAULT NULL\n);',
    'DROP TABLE plugins;',
    "UPDATE parts SET part_name = 'x';",
    "INSERT INTO `parts` VALUES (1,'BBa_B0015');",
    "REPLACE INTO `parts` VALUES (2,'BBa_B0010');",
    "GRANT ALL ON *.* TO 'x';",
  ].join('\n');
  const rows = await rowsOf(readSqlDump(Readable.from([Buffer.from(sql)])) as never);
  expect(rows.map((r) => r.values.part_name)).toEqual(['BBa_B0015', 'BBa_B0010']);
});

test('the admin token is 192 random bits, readable by its owner only, compared in constant time', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'token-'));
  const config = new Config({ BRICKYARD_HOME: home });
  const token = ensureAdminToken(config);
  expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
  expect(fs.statSync(path.join(home, 'admin-token')).mode & 0o777).toBe(0o600);
  expect(ensureAdminToken(config)).toBe(token); // created once
  const identity = new IdentityService(token);
  expect(identity.isAdminToken(token)).toBe(true);
  expect(identity.isAdminToken(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toBe(false);
  expect(identity.isAdminToken(token + 'x')).toBe(false);
});

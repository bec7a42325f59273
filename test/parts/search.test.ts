import { writeSyntheticDumpFile } from '@brickyard/parts';
import { startTestServer, type TestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// Search with words over a synthetic snapshot imported through the admin API (a task on
// the job worker): the HTTP worker's index follows the import, and its pages, order and
// totals hang together (test/parts/search-brute-force.test.ts checks totals one by one).
let server: TestServer;
let db: mysql.Connection;
const query = async (sql: string, params?: unknown[]) => (await db.query(sql, params))[0] as any[];

beforeAll(async () => {
  server = await startTestServer({ env: { PLUGINS_WATCH: 'false', PARTS_DEMO_DATA: 'false', JOB_WORKERS: '1' } });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-search-')), 'synthetic.sql.gz');
  await writeSyntheticDumpFile(file, { parts: 3000, format: 'sql', seed: 7 });
  const submitted = await server.admin('POST', '/api/admin/parts/import', { source: file });
  for (let i = 0; i < 600; i++) {
    const task: any = (await server.admin('GET', `/api/tasks/${submitted.body.id}`)).body;
    if (task.state === 'succeeded') break;
    if (task.state !== 'queued' && task.state !== 'running') throw new Error(JSON.stringify(task));
    await new Promise((r) => setTimeout(r, 200));
  }
  db = await mysql.createConnection({ host: '127.0.0.1', user: 'root', database: server.database.name, supportBigNumbers: true, dateStrings: true });
}, 300_000);
afterAll(async () => {
  await db?.query(`DROP DATABASE IF EXISTS \`${server.database.name}_igem\``);
  await db?.end();
  await server?.stop();
});

const api = async (input: Record<string, string>) => (await fetch(`${server.url}/api/parts?${new URLSearchParams(input)}`)).json() as Promise<any>;
const names = (items: any[]) => items.map((p) => p.part_name);

describe('search with words', () => {
  test('the imported snapshot is searched: the index followed the import', async () => {
    const [{ n }] = await query('SELECT COUNT(*) AS n FROM parts');
    expect(Number(n)).toBeGreaterThan(2000);
    await expect.poll(async () => (await api({ q: 'promoter' })).total, { timeout: 5000 }).toBeGreaterThan(100);
  });

  test('pages are slices of one order: relevance × (0.5 + weight) descending, then name', async () => {
    const all = await api({ q: 'promoter', max_results: '60' });
    const pages = await Promise.all([1, 2, 3].map((page) => api({ q: 'promoter', max_results: '20', page: String(page) })));
    expect(pages.flatMap((p) => names(p.items))).toEqual(names(all.items));
    expect(new Set(pages.map((p) => p.total))).toEqual(new Set([all.total]));
    for (let i = 1; i < all.items.length; i++) {
      const [a, b] = [all.items[i - 1], all.items[i]];
      expect(a.relevance > b.relevance || (a.relevance === b.relevance && a.part_name < b.part_name), `${a.part_name} before ${b.part_name}`).toBe(true);
    }
    // The relevance of a word is the same for every part holding it in the same best field: the blend is by weight.
    const sameField = all.items.filter((p: any) => p.match.fields[0] === all.items[0].match.fields[0] && p.match.fields.length === all.items[0].match.fields.length);
    const ratios = new Set(sameField.map((p: any) => (p.relevance / (0.5 + p.weight)).toFixed(9)));
    expect(ratios.size).toBe(1);
    const last = await api({ q: 'promoter', max_results: '20', page: String(Math.ceil(all.total / 20)) });
    expect(last.items.length).toBe(all.total % 20 || 20);
  });

  test('a part without a weight is neither listed nor counted, as by the view', async () => {
    const [top] = (await api({ q: 'promoter', max_results: '1' })).items;
    const before = await api({ q: 'promoter' });
    const [saved] = await query('SELECT * FROM part_weights WHERE part_id = ?', [top.part_id]);
    await query('DELETE FROM part_weights WHERE part_id = ?', [top.part_id]);
    // Weights are reloaded when a ranking ends: its state moving says so.
    await query('UPDATE ranking_state SET ranked_at = ranked_at + INTERVAL 1 SECOND');
    try {
      await expect.poll(async () => (await api({ q: 'promoter' })).total, { timeout: 1000 }).toBe(before.total - 1);
      expect(names((await api({ q: 'promoter' })).items)).not.toContain(top.part_name);
    } finally {
      await query('INSERT INTO part_weights SET ?', [saved]);
    }
  });
});

import { buildPartsQuery, countMatches, LIST_COLUMNS, MATCH_WORDS, rankedPage, writeSyntheticDumpFile, type PartsQueryInput } from '@brickyard/parts';
import { startTestServer, type TestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// Search with words over a synthetic snapshot: the ranked page (best-ranked
// matches, bounded by the highest weight) and the count (index or scan) must
// answer exactly what the plain SQL over every match answers.
let server: TestServer;
let db: mysql.Connection;
const query = async (sql: string, params?: unknown[]) => (await db.query(sql, params))[0] as any[];
let partsTable: string;
let snapshot: { database: string };

beforeAll(async () => {
  // Totals counted on every search: these tests compare the API with the plain SQL, also after changing data behind it.
  server = await startTestServer({ env: { PLUGINS_WATCH: 'false', PARTS_DEMO_DATA: 'false', JOB_WORKERS: '1', PARTS_SEARCH_TOTALS_CACHE_SECONDS: '0' } });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-search-')), 'synthetic.sql.gz');
  await writeSyntheticDumpFile(file, { parts: 3000, format: 'sql', seed: 7 });
  const submitted = await server.admin('POST', '/api/admin/parts/import', { source: file });
  for (let i = 0; i < 600; i++) {
    const task: any = (await server.admin("GET", `/api/tasks/${submitted.body.id}`)).body;
    if (task.state === 'succeeded') break;
    if (task.state !== 'queued' && task.state !== 'running') throw new Error(JSON.stringify(task));
    await new Promise((r) => setTimeout(r, 200));
  }
  db = await mysql.createConnection({ host: '127.0.0.1', user: 'root', database: server.database.name, supportBigNumbers: true, dateStrings: true });
  snapshot = { database: `\`${server.database.name}_igem\`` };
  partsTable = `${snapshot.database}.parts_filtered`;
}, 300_000);
afterAll(async () => {
  await db?.query(`DROP DATABASE IF EXISTS \`${server.database.name}_igem\``);
  await db?.end();
  await server?.stop();
});

/** The statements the repository ran before the ranked page: COUNT over every match, then the page sorted over every match. */
async function plainSearch(input: PartsQueryInput) {
  const q = buildPartsQuery(input);
  const filter = `WHERE ${[...q.where, MATCH_WORDS].join(' AND ')}`;
  const [{ total }] = await query(`SELECT COUNT(*) AS total FROM parts ${filter}`, [...q.params, q.words]);
  const items = await query(
    `SELECT ${LIST_COLUMNS}, ${MATCH_WORDS} * (0.5 + weight) AS relevance FROM parts ${filter}
     ORDER BY ${q.order} LIMIT ${q.perPage} OFFSET ${(q.page - 1) * q.perPage}`,
    [q.words, ...q.params, q.words],
  );
  return { total: Number(total), items };
}

const api = async (input: Record<string, string>) => (await fetch(`${server.url}/api/parts?${new URLSearchParams(input)}`)).json() as Promise<any>;
const summary = (items: any[]) => items.map((p) => [p.part_name, p.relevance, p.weight]);

describe('search with words', () => {
  const inputs: Record<string, string>[] = [
    { q: 'promoter' }, { q: 'promoter', page: '3' }, { q: 'promoter', max_results: '100', page: '2' }, { q: 'reporter protein' },
    { q: 'promoter t:Coding' }, { q: 'promoter s:Available', max_results: '50' }, { q: 'terminator', type: 'Terminator' },
    { q: 'promoter o:-uses' }, { q: 'promoter', where: '{"status": "Available"}' }, { q: 'gfp', sort: 'name' }, { q: 'nosuchwordanywhere' },
    { q: 'promoter', page: '500' }, { q: 'promoter', sequence: 'tactagag' }, { q: 'promoter', has_sequence: 'false' },
  ];

  test('the API answers the page and the total of the plain SQL, for words with filters, sorts and pages', async () => {
    for (const input of inputs) {
      const [ours, plain] = await Promise.all([api(input), plainSearch(input)]);
      expect(ours.total, JSON.stringify(input)).toBe(plain.total);
      expect(summary(ours.items), JSON.stringify(input)).toEqual(summary(plain.items));
    }
    expect((await plainSearch({ q: 'promoter' })).total).toBeGreaterThan(100);
  });

  test('InnoDB returns FULLTEXT matches by rank, highest first (what the ranked page relies on)', async () => {
    const rows = await query(`SELECT ${MATCH_WORDS} AS rel FROM ${partsTable} WHERE ${MATCH_WORDS}`, ['promoter reporter', 'promoter reporter']);
    const rels = rows.map((r) => Number(r.rel));
    expect(new Set(rels).size).toBeGreaterThan(2);
    expect(rels).toEqual([...rels].sort((a, b) => b - a));
  });

  test('the ranked page with few candidates: the bound holds or it grows them, and the page equals the plain one', async () => {
    let compared = 0;
    for (const input of inputs.filter((i) => !i.sort && !/o:/.test(i.q!))) {
      const q = buildPartsQuery(input);
      for (const first of [10, 40, 200]) {
        const ranked = await rankedPage({ query }, partsTable, { ...q, words: q.words! }, first);
        const plain = await plainSearch(input);
        if (!ranked) continue; // too deep a page: the plain query answers
        compared++;
        expect(summary(ranked.items), `${JSON.stringify(input)} from ${first}`).toEqual(summary(plain.items));
        if (ranked.total !== undefined) expect(ranked.total).toBe(plain.total);
      }
    }
    // Only `page: 500` is too deep: every other input was answered by the ranked page, from each number of candidates.
    expect(compared).toBe(3 * (inputs.filter((i) => !i.sort && !/o:/.test(i.q!)).length - 1));
    // Few candidates for a broad word: the total is left to the count.
    const q = buildPartsQuery({ q: 'promoter' });
    expect((await rankedPage({ query }, partsTable, { ...q, words: q.words! }, 10))?.total).toBeUndefined();
  });

  test('the count through the index and by a scan of the table agree with the plain COUNT', async () => {
    for (const input of inputs) {
      const q = buildPartsQuery(input);
      const plain = (await plainSearch(input)).total;
      expect(await countMatches({ query }, snapshot, q.where, q.params, q.words!, 1_000_000), JSON.stringify(input)).toBe(plain);
      expect(await countMatches({ query }, snapshot, q.where, q.params, q.words!, 1), JSON.stringify(input)).toBe(plain);
    }
  });

  test('a part without a weight is neither listed nor counted, as by the view', async () => {
    const [top] = (await api({ q: 'promoter', max_results: '1' })).items;
    const before = await api({ q: 'promoter' });
    const [saved] = await query('SELECT * FROM part_weights WHERE part_id = ?', [top.part_id]);
    await query('DELETE FROM part_weights WHERE part_id = ?', [top.part_id]);
    try {
      const after = await api({ q: 'promoter' });
      expect(after.total).toBe(before.total - 1);
      expect(after.items.map((p: any) => p.part_name)).not.toContain(top.part_name);
      expect(summary(after.items)).toEqual(summary((await plainSearch({ q: 'promoter' })).items));
    } finally {
      await query('INSERT INTO part_weights SET ?', [saved]);
    }
  });
});

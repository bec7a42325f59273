import { createHostDataSource, snapshotDatabaseOf } from '@brickyard/db';
import { buildPartsQuery, fieldTexts, indexTokens, loadSearchIndex, queryTokens, writeSyntheticDumpFile, type IndexedPart, type PartsQueryInput } from '@brickyard/parts';
import { indexedSearch } from '../../libs/parts/search/indexed-search';
import { importAndRank } from '@brickyard/ranking';
import { createTestDatabase } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { coreMigrations } from '../../migrations';

/**
 * Search totals from the in-memory index against a brute-force scan: every
 * live part read from the `parts` view, its fields tokenised with the same
 * tokenizer, a part matching when it holds every word of the query; the
 * filters are applied by MySQL (the SQL path's WHERE over the view), so the
 * index's own filter code is checked against the database's collation too.
 */
export const QUERIES: PartsQueryInput[] = [
  // Words, short ones included, and part names.
  { q: 'promoter' }, { q: 'T7' }, { q: 't7 promoter' }, { q: 'E. coli' }, { q: 'e' }, { q: 'a' }, { q: 'the' }, { q: 'it s' },
  { q: 'reporter protein' }, { q: 'GFP' }, { q: 'gfp reporter' }, { q: 'terminator' }, { q: 'rbs' }, { q: 'friends' }, { q: 'for' },
  { q: 'BBa_B0034' }, { q: 'B0034' }, { q: 'bba' }, { q: 'BBa_Z01B0034' }, { q: 'pSB1C3' }, { q: 'Müller' }, { q: 'muller' },
  { q: 'rettberg' }, { q: 'randy rettberg' }, { q: "o'brien" }, { q: 'brien' }, { q: 'igem team' }, { q: 'chassis' }, { q: 'prokaryote' },
  { q: 'nosuchwordanywhere' }, { q: 'promoter nosuchwordanywhere' }, { q: '"reporter protein"' }, { q: 'P' }, { q: 'i' },
  // Prefixes and filters.
  { q: 'promoter t:Coding' }, { q: 'promoter s:Available' }, { q: 'terminator', type: 'Terminator' }, { q: 'promoter a:Shetty' },
  { q: 'promoter n:BBa_K' }, { q: 'promoter n:00' }, { q: 'protein c:function' }, { q: 'protein', category: '//chassis' },
  { q: 'promoter', status: 'Available', sample_status: 'In stock' }, { q: 'promoter', works: 'Works' }, { q: 'reporter', works: 'None' },
  { q: 'promoter', where: '{"part_type": "Regulatory"}' }, { q: 'promoter', where: '{"author": "Randy Rettberg"}' },
  { q: 'promoter', has_sequence: 'false' }, { q: 'promoter', has_sequence: 'true' }, { q: 'gfp', sort: 'name' },
  { q: 'gfp', sort: '-uses' }, { q: 'gfp o:created' }, { q: 'the', page: '3', max_results: '100' }, { q: 'promoter', sequence: 'tactagag' },
];

export interface BruteForceRun {
  db: DataSource;
  snapshot: string;
  drop(): Promise<void>;
}

/** A fresh app database with a synthetic snapshot of `parts` parts, imported and ranked as the platform does. */
export async function importSynthetic(parts: number): Promise<BruteForceRun> {
  const database = await createTestDatabase('search_bf', { migrations: coreMigrations });
  const db = await createHostDataSource(database.url, 4);
  const snapshot = snapshotDatabaseOf(database.url);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-search-bf-')), 'synthetic.sql');
  await writeSyntheticDumpFile(file, { parts, format: 'sql', seed: 3 });
  await importAndRank({ db, snapshot: { appDatabaseUrl: database.url, snapshotDatabase: snapshot }, strategy: 'bayesian' }, file);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return { db, snapshot, drop: async () => {
    await db.destroy();
    await database.drop();
  } };
}

/** Compares every query's total (and, sorted, its page) with the brute-force scan; returns how many were compared, and matched something. */
export async function compareWithBruteForce(run: BruteForceRun): Promise<{ compared: number; nonEmpty: number }> {
  const { db, snapshot } = run;
  const [{ version }] = await db.query("SELECT CONCAT(MAX(id), ' ', MAX(finished_at)) AS version FROM snapshot_imports WHERE state = 'succeeded'");
  const index = await loadSearchIndex(db, snapshot, String(version));
  // Every live part (the view shows parts with a weight), tokenised once.
  const rows: (IndexedPart & { part_name: string })[] = await db.query(
    'SELECT part_id, part_name, short_desc, description, author, nickname, categories FROM parts',
  );
  const tokens = new Map(rows.map((row) => [Number(row.part_id), new Set(Object.values(fieldTexts(row)).flatMap((text) => indexTokens(text)))]));
  let compared = 0;
  let nonEmpty = 0;
  for (const input of QUERIES) {
    const query = buildPartsQuery(input);
    const words = queryTokens(query.text);
    const filtered: { part_id: number }[] = await db.query(`SELECT part_id FROM parts ${query.where.length ? `WHERE ${query.where.join(' AND ')}` : ''}`, query.params);
    const expected = filtered.filter((row) => words.every((word) => tokens.get(Number(row.part_id))!.has(word))).map((row) => Number(row.part_id));
    const ours = await indexedSearch(db, snapshot, index, query);
    expect(ours.total, JSON.stringify(input)).toBe(expected.length);
    const expectedIds = new Set(expected);
    for (const item of ours.items) expect(expectedIds.has(Number(item.part_id)), `${JSON.stringify(input)}: ${item.part_name}`).toBe(true);
    if (query.sort && expected.length) {
      const { field, descending } = query.sort;
      const column = { name: 'part_name', uses: 'uses', created: 'creation_date', weight: 'weight' }[field]!;
      const page: { part_name: string }[] = await db.query(
        `SELECT part_name FROM parts WHERE part_id IN (?) ORDER BY ${column} ${descending ? 'DESC' : 'ASC'}, part_name ASC LIMIT ${query.perPage} OFFSET ${(query.page - 1) * query.perPage}`,
        [expected],
      );
      expect(ours.items.map((item) => item.part_name), JSON.stringify(input)).toEqual(page.map((row) => row.part_name));
    }
    compared++;
    if (expected.length) nonEmpty++;
  }
  return { compared, nonEmpty };
}

/** The test itself, over `parts` synthetic parts: every total of QUERIES equals the brute-force scan's. */
export function bruteForceTest(parts: number, timeoutMs: number): void {
  let run: BruteForceRun;
  beforeAll(async () => {
    run = await importSynthetic(parts);
  }, timeoutMs);
  afterAll(async () => run?.drop());

  test(`over ${parts} synthetic parts, every total of the fixed queries equals a brute-force scan with the same tokenisation`, async () => {
    expect(QUERIES.length).toBeGreaterThanOrEqual(50);
    const { compared, nonEmpty } = await compareWithBruteForce(run);
    expect(compared).toBe(QUERIES.length);
    // Broad and narrow queries: most match something (a few, like nosuchwordanywhere, must not).
    expect(nonEmpty).toBeGreaterThanOrEqual(35);
  }, timeoutMs);
}

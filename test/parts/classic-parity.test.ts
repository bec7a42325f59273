import { createHostDataSource, runCoreMigrations } from '@brickyard/db';
import { importSnapshot } from '@brickyard/parts';
import { partComponentsQuery, qualified, rankParts, SAMPLE_STATUS_VALUES, STATUS_VALUES, WORKS_VALUES } from '@brickyard/ranking';
import { createTestDatabase, type TestDatabase } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { coreMigrations } from '../../migrations';

// `classic` is Biohub 2.0's refreshweight.py: this test carries a line-by-line
// transcription of its weight loop over preprocess.sql's columns (the oracle
// below) and checks the SQL strategy against it, part by part.
//
// Two differences are deliberate and stated: (1) Biohub took the minima and
// maxima of uses and reviews over the raw `parts` table, including parts its
// filter then dropped; we take them over the parts we keep. (2) Biohub kept the
// mean rating as a running mean rounded to one decimal at each new rating (its
// ratings could not change); ours can change, so we round the exact mean once.

let database: TestDatabase;
let db: DataSource;
let table: string;

/** What the dump holds for each part (the columns refreshweight.py's inputs come from). */
const PARTS = [
  // id, name, status, sample_status, works, favorite, has_barcode, uses, review_total, review_count, sequence, specified subparts
  [1, 'BBa_P1', 'Available', 'In stock', 'Works', 1, 1, 120, 9, 3, 'acacacacacacacacacac', ''],
  [2, 'BBa_P2', 'Planning', '', 'Issues', 0, 0, -1, 0, 0, 'acacgaattcacacacacac', ''], // an EcoRI site
  [3, 'BBa_P3', 'Available', 'Not in stock', 'None', 0, 1, -1, 0, 0, 'acacacacacacacacacacacacac', '_1_2_'], // a composite, unused
  [4, 'BBa_P4', 'Deleted', 'Discontinued', 'Fails', 0, 0, 5, 4, 1, 'acacacacactctagaacac', ''], // an XbaI site
  [5, 'BBa_P5', 'Weird', 'For reference only', '', 0, 0, 30, 2, 2, 'acacacacacacacacacacac', ''],
  [6, 'BBa_P6', 'Available', "It's complicated", 'Works', 0, 0, 1, 0, 0, 'acacacacacacacacacac', '_1_'], // a composite, used a little
] as const;

/** Ratings, stars and watches of the forum, by part. */
const FORUM: Record<string, { ratings: number[]; stars: number; watches: number }> = {
  BBa_P1: { ratings: [4, 5], stars: 3, watches: 1 },
  BBa_P2: { ratings: [3], stars: 0, watches: 0 },
  BBa_P4: { ratings: [], stars: 0, watches: 4 },
  BBa_P5: { ratings: [2, 3, 3], stars: 1, watches: 0 },
};

beforeAll(async () => {
  database = await createTestDatabase('classic');
  db = await createHostDataSource(database.url, 2);
  await runCoreMigrations(db, coreMigrations);
  const dump = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'classic-')), 'classic.sql');
  const sql = (v: unknown) => (typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "\\'")}'`);
  fs.writeFileSync(
    dump,
    'INSERT INTO `parts` (`part_id`,`part_name`,`status`,`sample_status`,`works`,`favorite`,`has_barcode`,`uses`,`review_total`,`review_count`,`sequence`,`specified_u_list`) VALUES ' +
      PARTS.map((row) => `(${row.map(sql).join(',')})`).join(',') + ';\n',
  );
  const snapshot = `${database.name}_igem`;
  await importSnapshot({ source: dump, appDatabaseUrl: database.url, snapshotDatabase: snapshot });
  table = qualified(snapshot, 'parts_filtered');
  for (const [name, forum] of Object.entries(FORUM)) {
    const sum = forum.ratings.reduce((a, b) => a + b, 0);
    await db.query('INSERT INTO part_forum_stats (part_name, rates, rate_sum, stars, watches) VALUES (?, ?, ?, ?, ?)', [name, forum.ratings.length, sum, forum.stars, forum.watches]);
  }
});
afterAll(async () => {
  await db?.query(`DROP DATABASE IF EXISTS \`${database.name}_igem\``);
  await db?.destroy();
  await database?.drop();
});

/** MySQL's LOG(B, X): NULL when the base is not above 1 or X is not positive. */
const log = (base: number, x: number) => (base <= 1 || x <= 0 ? null : Math.log(x) / Math.log(base));

/**
 * preprocess.sql's derived columns and refreshweight.py's loop, transcribed.
 * `snapshot` gives each part's uses and compatible standards as our snapshot
 * holds them (uses where the dump says -1: the number of parts using it).
 */
function biohubWeights(snapshot: Map<string, { uses: number; compatible: number }>): Map<string, number> {
  const stats = (values: number[]) => ({ inf: Math.min(...values), gap: Math.max(...values) - Math.min(...values) + 1 });
  const uses = stats([...snapshot.values()].map((p) => p.uses));
  const rt = stats(PARTS.map((p) => p[8]));
  const rc = stats(PARTS.map((p) => p[9]));
  const counters = Object.values(FORUM);
  const max = { max_rates: Math.max(...counters.map((f) => f.ratings.length)), max_rate_score: 5, max_stars: Math.max(...counters.map((f) => f.stars)), max_watches: Math.max(...counters.map((f) => f.watches)) };
  const weights = new Map<string, number>();
  for (const [, name, status, sample, works, favorite, barcode, , reviewTotal, reviewCount, , subparts] of PARTS) {
    const used = snapshot.get(name)!.uses;
    const forum = FORUM[name];
    const mean = forum?.ratings.length ? forum.ratings.reduce((a, b) => a + b, 0) / forum.ratings.length : 0;
    const brick: Record<string, number | null> = {
      favorite,
      has_barcode: barcode,
      status_w: STATUS_VALUES[status] ?? null,
      sample_status_w: SAMPLE_STATUS_VALUES[sample] ?? null,
      works_w: WORKS_VALUES[works] ?? null,
      uses_w: log(uses.gap, used - uses.inf + 1),
      ac_w: snapshot.get(name)!.compatible / 6,
      review_total_w: log(rt.gap, reviewTotal - rt.inf + 1) ?? 0,
      review_count_w: log(rc.gap, reviewCount - rc.inf + 1) ?? 0,
      rates: forum?.ratings.length ?? null,
      rate_score: forum ? Math.round(mean * 10) / 10 : null,
      stars: forum?.stars ?? null,
      watches: forum?.watches ?? null,
    };
    const hasSubpart = subparts !== '';
    // (field, (score, max_field, pass_if_zero)), in refreshweight.py's order
    const parameters: [string, number, string, boolean][] = [
      ['favorite', 1, '', false], ['has_barcode', 1, '', false], ['status_w', 4, '', false], ['sample_status_w', 4, '', false],
      ['works_w', 1, '', false], ['uses_w', 5, '', false], ['ac_w', 2, '', false], ['review_total_w', 1, '', false],
      ['review_count_w', 1, '', false], ['rates', 2, 'max_rates', true], ['rate_score', 3, 'max_rate_score', true],
      ['stars', 2, 'max_stars', true], ['watches', 2, 'max_watches', true],
    ];
    let fullScores = 0;
    let weight = 0;
    for (const [field, score, maxField, passIfZero] of parameters) {
      let value = brick[field];
      if (value === null || !score || (!value && passIfZero)) continue;
      if (field === 'uses_w' && hasSubpart && value <= 0.1) continue;
      if (maxField && max[maxField as keyof typeof max]) value /= max[maxField as keyof typeof max];
      weight += score * value;
      fullScores += score;
    }
    weights.set(name, fullScores ? weight / fullScores : 0);
  }
  return weights;
}

test("classic gives every part the weight Biohub's refreshweight.py gives it", async () => {
  await rankParts(db, table, 'classic');
  const rows: { part_name: string; weight: number; uses: number; compatible_standards: number }[] = await db.query(
    `SELECT p.part_name, w.weight, p.uses, p.compatible_standards FROM ${table} p JOIN part_weights w ON w.part_id = p.part_id ORDER BY p.part_id`,
  );
  expect(rows.map((r) => r.part_name)).toEqual(PARTS.map((p) => p[1]));
  // Biohub's ac_w is the share of green RFC boxes on the Registry's page; ours is our own scan of the sequence for the same six standards.
  const snapshot = new Map(rows.map((r) => [r.part_name, { uses: Number(r.uses), compatible: Number(r.compatible_standards) }]));
  expect(snapshot.get('BBa_P1')!.compatible).toBe(6);
  expect(snapshot.get('BBa_P2')!.compatible).toBeLessThan(6);
  expect([snapshot.get('BBa_P2')!.uses, snapshot.get('BBa_P3')!.uses]).toEqual([1, 0]); // -1 in the dump: used by P3, by none
  const expected = biohubWeights(snapshot);
  for (const row of rows) expect(Number(row.weight), row.part_name).toBeCloseTo(expected.get(row.part_name)!, 9);

  // The cases the rules are for: P3 is a composite with uses_w 0 (≤ 0.1), so its uses are skipped; P6, a composite used once,
  // is not: log_121(2) = 0.144. P2 has no stars or watches: skipped, not zero. P5's status 'Weird' and works '' are absent.
  const [p3] = await db.query(`SELECT COUNT(*) AS n FROM ${qualified(`${database.name}_igem`, 'subparts')} WHERE parent_id = 3 AND kind = 'specified'`);
  expect(Number(p3.n)).toBe(2);
  // The mean rating as Biohub's decimal(2,1) held it, read back from the SQL: 2, 3, 3 → 2.7 (not 2.667); 4, 5 → 4.5.
  const meanRate = async (partId: number) => JSON.parse((await db.query(partComponentsQuery(table), [partId]))[0].components).mean_rate;
  expect(Number(await meanRate(5))).toBeCloseTo(2.7 / 5, 12);
  expect(Number(await meanRate(1))).toBeCloseTo(4.5 / 5, 12);
});

test('a live re-weight of one part agrees with the batch under classic too', async () => {
  await rankParts(db, table, 'classic');
  const { reweightPart } = await import('@brickyard/ranking');
  await db.query("UPDATE part_forum_stats SET rates = 3, rate_sum = 12 WHERE part_name = 'BBa_P1'");
  const live = await reweightPart(db, table, 'BBa_P1');
  await rankParts(db, table, 'classic');
  const [row] = await db.query('SELECT weight FROM part_weights WHERE part_id = 1');
  expect(live!.weight).toBeCloseTo(Number(row.weight), 9);
});

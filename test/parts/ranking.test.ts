import { createHostDataSource, runCoreMigrations } from '@brickyard/db';
import { importSnapshot } from '@brickyard/parts';
import {
  FORUM_COUNTERS, partComponentsQuery, qualified, rankParts, RANKING_INPUTS, reweightPart, SAMPLE_STATUS_VALUES, STATUS_VALUES, STRATEGIES, WORKS_VALUES,
} from '@brickyard/ranking';
import { createTestDatabase, type TestDatabase } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { coreMigrations } from '../../migrations';

// Weights computed in SQL against values worked out by hand (README, "Parts").
let database: TestDatabase;
let db: DataSource;
let table: string;

beforeAll(async () => {
  database = await createTestDatabase('rank');
  db = await createHostDataSource(database.url, 2);
  await runCoreMigrations(db, coreMigrations);
  const dump = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rank-')), 'rank.sql');
  const seq = 'acacacacacacacac'; // no restriction site: compatible with all six standards
  fs.writeFileSync(
    dump,
    'INSERT INTO `parts` (`part_id`,`part_name`,`status`,`sample_status`,`works`,`favorite`,`has_barcode`,`uses`,`review_total`,`review_count`,`sequence`) VALUES ' +
      `(1,'BBa_A','Available','In stock','Works',1,0,3,0,0,'${seq}'),` +
      `(2,'BBa_B','Planning','','',0,0,0,0,0,'${seq}'),` +
      `(3,'BBa_C','Planning','','',0,0,0,0,0,'${seq}'),` +
      `(4,'BBa_D','Planning','','',0,0,0,0,0,'${seq}');\n`,
  );
  const snapshot = `${database.name}_igem`;
  await importSnapshot({ source: dump, appDatabaseUrl: database.url, snapshotDatabase: snapshot });
  table = qualified(snapshot, 'parts_filtered');
  // C: one rating of 1/5. D: five ratings of 5/5.
  await db.query("INSERT INTO part_forum_stats (part_name, rates, rate_sum) VALUES ('BBa_C', 1, 1), ('BBa_D', 5, 25)");
});
afterAll(async () => {
  await db?.query(`DROP DATABASE IF EXISTS \`${database.name}_igem\``);
  await db?.destroy();
  await database?.drop();
});

// part_weights is keyed by part_id: the dump's ids, and 5 for the part E added below.
const NAMES: Record<number, string> = { 1: 'BBa_A', 2: 'BBa_B', 3: 'BBa_C', 4: 'BBa_D', 5: 'BBa_E' };
const weights = async () =>
  Object.fromEntries((await db.query('SELECT part_id, weight FROM part_weights ORDER BY part_id')).map((r: any) => [NAMES[r.part_id], r.weight]));

test('classic: the score-weighted mean of present signals, as computed by hand', async () => {
  const result = await rankParts(db, table, 'classic');
  expect(result).toMatchObject({ strategy: 'classic', parts: 4, written: 4, method: 'table' });
  const w = await weights();
  // Biohub's refreshweight.py skips a forum counter that is zero (pass_if_zero): a part with no forum
  // activity is weighed over the registry's signals, whose scores add up to 20.
  // A: (fav 1 + status 4·1 + sample 4·1 + works 1·1 + uses 5·1 + compat 2·1) / 20 = 17/20
  expect(w.BBa_A).toBeCloseTo(17 / 20, 9);
  // B: (status 4·0.5 + sample 4·0.5 + compat 2) / 19 (works '' is absent; no forum activity)
  expect(w.BBa_B).toBeCloseTo(6 / 19, 9);
  // C: B + rates 2·(1/5) + mean rating 3·(1/5), over 19 + 2 + 3 (no stars, no watches: skipped)
  expect(w.BBa_C).toBeCloseTo(7 / 24, 9);
  // D: B + rates 2·(5/5) + mean rating 3·(5/5), over 24
  expect(w.BBa_D).toBeCloseTo(11 / 24, 9);
  const b = await components(2);
  expect(b.strategy).toBe('classic');
  expect(b.components).toMatchObject({ status: 0.5, sample_status: 0.5, works: null, mean_rate: null, uses: 0, compatibility: 1, rates: null, stars: null, watches: null });
});

/** A part's components as the API reads them: worked out from the state of the last ranking. */
const components = async (partId: number) => {
  const [row] = await db.query(partComponentsQuery(table), [partId]);
  return { strategy: row.strategy as string, components: JSON.parse(row.components) as Record<string, number | null> };
};

/** The weight the components give: Σ score·value / Σ score over the present signals of the strategy. */
const weightOf = (strategy: string, values: Record<string, number | null>) => {
  let sum = 0;
  let scores = 0;
  for (const signal of STRATEGIES[strategy]!.signals) {
    const value = values[signal.name];
    if (value === null || value === undefined) continue;
    sum += signal.score * value;
    scores += signal.score;
  }
  return sum / scores;
};

test('the components read back give each part its stored weight, under either strategy, also after the forum counters change', async () => {
  for (const strategy of ['bayesian', 'classic']) {
    await rankParts(db, table, strategy);
    // Counters changed after the ranking: the components stay those the weights were computed from.
    await db.query("UPDATE part_forum_stats SET rates = 4, rate_sum = 4 WHERE part_name = 'BBa_C'");
    const w = await weights();
    for (const id of [1, 2, 3, 4]) {
      const read = await components(id);
      expect(read.strategy).toBe(strategy);
      expect(weightOf(strategy, read.components)).toBeCloseTo(w[NAMES[id]!], 9);
    }
    await db.query("UPDATE part_forum_stats SET rates = 1, rate_sum = 1 WHERE part_name = 'BBa_C'");
  }
});

test('only weights that changed are written', async () => {
  expect((await rankParts(db, table, 'classic')).written).toBe(0);
  await db.query("UPDATE part_forum_stats SET rates = 2, rate_sum = 6 WHERE part_name = 'BBa_C'");
  const result = await rankParts(db, table, 'classic');
  expect(result).toMatchObject({ written: 1, method: 'rows' });
  expect((await weights()).BBa_C).toBeCloseTo((6 + 2 * (2 / 5) + 3 * (6 / 2 / 5)) / 24, 9);
  await db.query("UPDATE part_forum_stats SET rates = 1, rate_sum = 1 WHERE part_name = 'BBa_C'");
});

test('bayesian (the default): mean ratings shrunk toward the global mean, present for every part', async () => {
  await rankParts(db, table, 'bayesian');
  const w = await weights();
  const m = 26 / 6; // global mean rating: (1 + 25) / (1 + 5)
  const mean = (rates: number, sum: number) => (5 * m + sum) / (5 + rates) / 5;
  expect(w.BBa_A).toBeCloseTo((17 + 3 * mean(0, 0)) / 29, 9);
  expect(w.BBa_B).toBeCloseTo((6 + 3 * mean(0, 0)) / 28, 9);
  expect(w.BBa_C).toBeCloseTo((6 + 2 * (1 / 5) + 3 * mean(1, 1)) / 28, 9);
  expect(w.BBa_D).toBeCloseTo((6 + 2 + 3 * mean(5, 25)) / 28, 9);
  // One bad rating no longer sinks C below the unrated B.
  expect(w.BBa_C).toBeGreaterThan(w.BBa_B);
  expect((await db.query('SELECT strategy, parts FROM ranking_state'))).toEqual([{ strategy: 'bayesian', parts: 4 }]);
});

test('an unknown strategy is refused', async () => {
  await expect(rankParts(db, table, 'magic')).rejects.toThrow('no ranking strategy "magic": choose classic or bayesian');
});

test('reads only the ranking inputs; inserts new parts, skips unchanged ones, removes parts that left', async () => {
  await rankParts(db, table, 'bayesian');
  const before = await weights();
  // A parts table with nothing but the ranking inputs: B left, E arrived, A's uses changed (and with them the maximum).
  const inputs = `\`${database.name}\`.rank_inputs_only`;
  await db.query(`CREATE TABLE ${inputs} AS SELECT ${RANKING_INPUTS.join(', ')} FROM ${table} WHERE part_name <> 'BBa_B'`);
  await db.query(`INSERT INTO ${inputs} (${RANKING_INPUTS.join(', ')}) SELECT 5, 'BBa_E', status, sample_status, works, uses, favorite, has_barcode, compatible_standards, review_total, review_count FROM ${inputs} WHERE part_name = 'BBa_D'`);
  const result = await rankParts(db, inputs, 'bayesian');
  expect(result).toMatchObject({ strategy: 'bayesian', parts: 4, written: 1, removed: 1 });
  const after = await weights();
  expect(Object.keys(after)).toEqual(['BBa_A', 'BBa_C', 'BBa_D', 'BBa_E']);
  expect(after.BBa_E).toBeCloseTo((6 + 3 * ((5 * (26 / 6)) / 5 / 5)) / 28, 9);
  expect(after.BBa_A).toBe(before.BBa_A);
  await db.query(`UPDATE ${inputs} SET uses = 7 WHERE part_name = 'BBa_A'`);
  // A's uses signal changes from 1 (it held the maximum) to 1 again: its weight stays; nothing is written.
  expect((await rankParts(db, inputs, 'bayesian')).written).toBe(0);
  await db.query(`UPDATE ${inputs} SET uses = 1 WHERE part_name = 'BBa_D'`);
  // D now has one use of at most 7: its uses signal (and only its row) changes.
  expect(await rankParts(db, inputs, 'bayesian')).toMatchObject({ parts: 4, written: 1, removed: 0 });
  await db.query(`DROP TABLE ${inputs}`);
  await rankParts(db, table, 'bayesian');
  expect(await weights()).toEqual(before);
});

test('strategy changes rewrite every weight; without removeMissing the weights of parts not ranked are kept, with it they are removed', async () => {
  await rankParts(db, table, 'bayesian');
  const bayesian = await weights();
  // B is not in this table: an import's ranking before its swap keeps B's weight (removeMissing false).
  const inputs = `\`${database.name}\`.rank_inputs_without_b`;
  await db.query(`CREATE TABLE ${inputs} AS SELECT ${RANKING_INPUTS.join(', ')} FROM ${table} WHERE part_name <> 'BBa_B'`);
  expect(await rankParts(db, inputs, 'classic', false)).toMatchObject({ strategy: 'classic', parts: 3, written: 3, removed: 0, method: 'table' });
  expect(Object.keys(await weights())).toEqual(['BBa_A', 'BBa_B', 'BBa_C', 'BBa_D']);
  expect((await weights()).BBa_B).toBe(bayesian.BBa_B);
  // The same strategy again over the whole table: the upsert, B alone is written.
  expect(await rankParts(db, table, 'classic')).toMatchObject({ parts: 4, written: 1, removed: 0, method: 'rows' });
  // Back to bayesian with removeMissing: B is dropped and counted; then the weights are bayesian's again.
  expect(await rankParts(db, inputs, 'bayesian')).toMatchObject({ parts: 3, written: 3, removed: 1, method: 'table' });
  expect(Object.keys(await weights())).toEqual(['BBa_A', 'BBa_C', 'BBa_D']);
  await rankParts(db, table, 'bayesian');
  expect(await weights()).toEqual(bayesian);
  await db.query(`DROP TABLE ${inputs}`);
});

test('a swap that readers hold up writes the changed rows in place instead', async () => {
  await rankParts(db, table, 'bayesian');
  const bayesian = await weights();
  await rankParts(db, table, 'classic');
  const classic = await weights();
  await rankParts(db, table, 'bayesian');
  // A reader in the middle of a transaction over part_weights holds its metadata lock: the RENAME cannot happen.
  const reader = db.createQueryRunner();
  await reader.connect();
  await reader.startTransaction();
  await reader.query('SELECT COUNT(*) FROM part_weights');
  try {
    const result = await rankParts(db, table, 'classic');
    expect(result).toMatchObject({ written: 4, method: 'rows' });
  } finally {
    await reader.rollbackTransaction();
    await reader.release();
  }
  expect(await weights()).toEqual(classic);
  expect((await components(1)).strategy).toBe('classic');
  await rankParts(db, table, 'bayesian');
  expect(await weights()).toEqual(bayesian);
});

test('rankings of one database take turns, and work tables a killed ranking left behind are replaced', async () => {
  await db.query('CREATE TABLE part_weights_next (junk INT)');
  await db.query('CREATE TABLE ranking_state_prev (junk INT)');
  const results = await Promise.all([rankParts(db, table, 'classic'), rankParts(db, table, 'bayesian'), rankParts(db, table, 'classic')]);
  expect(results.map((r) => r.strategy)).toEqual(['classic', 'bayesian', 'classic']);
  const [{ n }] = await db.query(
    "SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME REGEXP '_(next|prev)$'",
  );
  expect(Number(n)).toBe(0);
  const last = await components(3);
  expect(last.strategy).toBe('classic');
  expect(weightOf('classic', last.components)).toBeCloseTo((await weights()).BBa_C, 9);
  await rankParts(db, table, 'bayesian');
});

test('weights written by anyone else are all rewritten; when half or more change, the unchanged ones are carried into the new table', async () => {
  await rankParts(db, table, 'classic');
  const classic = await weights();
  // Someone else changed a weight: the table is no longer the ranking's own (its checksum differs), so every weight is rewritten.
  await db.query('UPDATE part_weights SET weight = 0.5 WHERE part_id = 1');
  expect(await rankParts(db, table, 'classic')).toMatchObject({ parts: 4, written: 4, removed: 0, method: 'table' });
  expect(await weights()).toEqual(classic);
  // C gets a rating, D its first star (or watcher): two of four weights change.
  const changeCAndD = async (counter: 'stars' | 'watches') => {
    await db.query("UPDATE part_forum_stats SET rates = rates + 1, rate_sum = rate_sum + 5 WHERE part_name = 'BBa_C'");
    await db.query(`UPDATE part_forum_stats SET ${counter} = 1 WHERE part_name = 'BBa_D'`);
  };
  await changeCAndD('stars');
  try {
    expect(await rankParts(db, table, 'classic')).toMatchObject({ parts: 4, written: 2, removed: 0, method: 'table' });
    const after = await weights();
    expect([after.BBa_A, after.BBa_B]).toEqual([classic.BBa_A, classic.BBa_B]);
    expect([after.BBa_C, after.BBa_D]).not.toEqual([classic.BBa_C, classic.BBa_D]);
    // The same as rewriting them all.
    await db.query('UPDATE ranking_state SET weights_checksum = 0');
    expect(await rankParts(db, table, 'classic')).toMatchObject({ written: 4, method: 'table' });
    expect(await weights()).toEqual(after);
    // Without removeMissing, over a table without B: B's weight is carried over too.
    const inputs = `\`${database.name}\`.rank_inputs_no_b`;
    await db.query(`CREATE TABLE ${inputs} AS SELECT ${RANKING_INPUTS.join(', ')} FROM ${table} WHERE part_name <> 'BBa_B'`);
    await changeCAndD('watches');
    expect(await rankParts(db, inputs, 'classic', false)).toMatchObject({ parts: 3, written: 2, removed: 0, method: 'table' });
    const without = await weights();
    expect([without.BBa_A, without.BBa_B]).toEqual([classic.BBa_A, classic.BBa_B]);
    await db.query(`DROP TABLE ${inputs}`);
  } finally {
    await db.query("UPDATE part_forum_stats SET rates = 1, rate_sum = 1 WHERE part_name = 'BBa_C'");
    await db.query("UPDATE part_forum_stats SET stars = 0, watches = 0 WHERE part_name = 'BBa_D'");
  }
  await rankParts(db, table, 'classic');
  expect(await weights()).toEqual(classic);
});

test('a signal\'s presence test says exactly when its value is present, for every value-table entry, unknown values, NULLs and forum counters', async () => {
  const inputs = `\`${database.name}\`.signal_presence_inputs`;
  await db.query(`CREATE TABLE ${inputs} (part_id INT, status VARCHAR(40), sample_status VARCHAR(40), works VARCHAR(40), uses INT, favorite INT,
    has_barcode INT, compatible_standards INT, review_total INT, review_count INT, ${FORUM_COUNTERS.map((c) => `${c} INT NULL`).join(', ')}, has_subpart INT)`);
  const texts = [...new Set([...Object.keys(STATUS_VALUES), ...Object.keys(SAMPLE_STATUS_VALUES), ...Object.keys(WORKS_VALUES), 'Unknown', 'available', null])];
  // Forum counters: none (NULL), zeros, ratings without experiences, experiences all good.
  const forum = [[null, null, null, null, null, null], [0, 0, 0, 0, 0, 0], [3, 11, 1, 2, 0, 0], [1, 5, 0, 0, 4, 4]];
  // Uses and subparts: used; unused and composite (classic skips its uses); unused and basic.
  const usage = [[1, 0], [0, 1], [0, 0]];
  let id = 0;
  for (const text of texts) {
    for (const counters of forum) {
      for (const [uses, hasSubpart] of usage) {
        await db.query(`INSERT INTO ${inputs} VALUES (?, ?, ?, ?, ?, 0, 0, 6, 0, 0, ?, ?, ?, ?, ?, ?, ?)`, [++id, text, text, text, uses, ...counters, hasSubpart]);
      }
    }
  }
  const m = `(SELECT 1 AS max_uses, 1 AS max_review_total, 1 AS max_review_count, 0 AS min_uses, 0 AS min_review_total, 0 AS min_review_count,
    3 AS max_rates, 1 AS max_stars, 2 AS max_watches, 3e0 AS mean_rate)`;
  let checked = 0;
  for (const strategy of Object.values(STRATEGIES)) {
    for (const signal of strategy.signals) {
      // The denominator counts a signal's score when this is true (alwaysPresent: always).
      const present = signal.alwaysPresent ? '1' : signal.presentWhen ? `IF(${signal.presentWhen}, 1, 0)` : '1';
      const [row] = await db.query(
        `SELECT COUNT(*) AS n, SUM(((${signal.value}) IS NOT NULL) <> ${present}) AS wrong, SUM((${signal.value}) IS NOT NULL) AS has FROM ${inputs} p CROSS JOIN ${m} m`,
      );
      expect(Number(row.wrong), `${strategy.name}.${signal.name}`).toBe(0);
      if (signal.presentWhen) {
        // Both outcomes occur in the rows, so the test can tell a wrong presence test.
        expect(Number(row.has), `${strategy.name}.${signal.name}`).toBeGreaterThan(0);
        expect(Number(row.has), `${strategy.name}.${signal.name}`).toBeLessThan(Number(row.n));
        checked++;
      }
    }
  }
  expect(checked).toBe(12); // status, sample_status, works in each strategy; classic's uses, rates, stars, watches and mean_rate; bayesian's experiences
  await db.query(`DROP TABLE ${inputs}`);
});

test("reweightPart gives one part, now, the weight a ranking then computes for it, under either strategy", async () => {
  for (const strategy of ['classic', 'bayesian']) {
    await rankParts(db, table, strategy);
    // B's first forum activity: new maxima of stars, and C's ratings move the global mean.
    await db.query("INSERT INTO part_forum_stats (part_name, stars, rates, rate_sum) VALUES ('BBa_B', 7, 2, 9)");
    await db.query("UPDATE part_forum_stats SET rates = 3, rate_sum = 14 WHERE part_name = 'BBa_C'");
    try {
      const b = await reweightPart(db, table, 'BBa_B');
      const c = await reweightPart(db, table, 'BBa_C');
      expect(b).toEqual({ partId: 2, weight: expect.any(Number) });
      // The components read back carry the part's counters of now (over the last ranking's maxima: D's 5 ratings).
      expect((await components(2)).components).toMatchObject({ rates: 2 / 5 });
      await rankParts(db, table, strategy);
      const ranked = await weights();
      expect([ranked.BBa_B, ranked.BBa_C]).toEqual([b!.weight, c!.weight]);
    } finally {
      await db.query("DELETE FROM part_forum_stats WHERE part_name = 'BBa_B'");
      await db.query("UPDATE part_forum_stats SET rates = 1, rate_sum = 1 WHERE part_name = 'BBa_C'");
    }
  }
  expect(await reweightPart(db, table, 'BBa_NONE')).toBeUndefined();
  await rankParts(db, table, 'bayesian');
});

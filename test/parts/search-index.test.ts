import { BrowserSession, startTestServer, type TestServer } from '@brickyard/testing';
import * as mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// Search from the in-memory index over the demo snapshot, on two HTTP workers:
// what a biologist types finds what they expect, and every change path (an
// import, a ranking, a rating) reaches every worker within a second.
let server: TestServer;
let db: mysql.Connection;

beforeAll(async () => {
  server = await startTestServer({ workers: 2, env: { PLUGINS_WATCH: 'false', PARTS_DEMO_DATA: 'true', JOB_WORKERS: '1' } });
  db = await mysql.createConnection({ host: '127.0.0.1', user: 'root', database: server.database.name });
});
afterAll(async () => {
  await db?.query(`DROP DATABASE IF EXISTS \`${server.database.name}_igem\``);
  await db?.end();
  await server?.stop();
});

const get = async (route: string) => {
  const response = await fetch(server.url + route);
  return { status: response.status, body: (await response.json()) as any };
};
const search = async (q: string, extra = '') => (await get(`/api/parts?q=${encodeURIComponent(q)}${extra}`)).body;
const names = (body: any) => body.items.map((p: any) => p.part_name);
/** Asks `times` times (the cluster spreads requests over both workers) until every answer passes, or `ms` have passed. */
async function everyWorker(ask: () => Promise<boolean>, ms: number, times = 6): Promise<number> {
  const started = Date.now();
  for (;;) {
    const answers = await Promise.all(Array.from({ length: times }, ask));
    if (answers.every(Boolean)) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`not every worker answered the change within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('words a biologist types', () => {
  test('T7 finds the T7 promoter and the T7 RBS (words under 3 letters are indexed)', async () => {
    const body = await search('T7');
    expect(body.total).toBeGreaterThanOrEqual(2);
    expect(names(body)).toEqual(expect.arrayContaining(['BBa_I719005', 'BBa_K1362090']));
    expect((await search('t7')).total).toBe(body.total);
  });

  test('t7 promoter: the T7 promoter first, every match holds both words', async () => {
    const body = await search('t7 promoter');
    expect(names(body)[0]).toBe('BBa_I719005');
    for (const item of body.items) expect(item.match.words).toEqual(['t7', 'promoter']);
  });

  test('E. coli keeps its E, and so narrows coli', async () => {
    const coli = await search('coli');
    const eColi = await search('E. coli');
    expect(eColi.total).toBeGreaterThan(0);
    expect(eColi.total).toBeLessThanOrEqual(coli.total);
    expect(eColi.items[0].match.words).toEqual(['e', 'coli']);
  });

  test('a part name, whole or without BBa_, in any case', async () => {
    for (const q of ['BBa_I719005', 'I719005', 'bba_i719005', 'i719005']) {
      const body = await search(q);
      expect(names(body)[0], q).toBe('BBa_I719005');
    }
    expect((await search('BBa_I719005')).total).toBe(1);
  });

  test('matches say which words were found where, with spans to highlight', async () => {
    const [item] = (await search('t7 promoter')).items;
    expect(item.match.fields).toContain('short_desc');
    const marked = item.match.highlights.short_desc.map(([s, e]: [number, number]) => item.short_desc.slice(s, e).toLowerCase());
    expect(marked).toEqual(expect.arrayContaining(['t7', 'promoter']));
    const [byName] = (await search('I719005')).items;
    expect(byName.match.highlights.part_name.map(([s, e]: [number, number]) => byName.part_name.slice(s, e))).toEqual(['I719005']);
  });

  test('filters, prefixes and sorts apply to word searches; bad input is a 400', async () => {
    const all = await search('promoter', '&max_results=100');
    const regulatory = await search('promoter t:Regulatory', '&max_results=100');
    expect(regulatory.total).toBeGreaterThan(0);
    expect(regulatory.total).toBeLessThan(all.total);
    expect(regulatory.items.every((p: any) => p.part_type === 'Regulatory')).toBe(true);
    const byName = await search('promoter', '&sort=name&max_results=100');
    expect(names(byName)).toEqual([...names(byName)].sort());
    expect(byName.total).toBe(all.total);
    const page2 = await search('promoter', '&max_results=5&page=2');
    expect(names(page2)).toEqual(names(all).slice(5, 10));
    expect((await get('/api/parts?q=promoter&sort=colour')).status).toBe(400);
  });

  test('suggestions: names as typed (with or without BBa_), types and words, fast', async () => {
    const started = performance.now();
    const { status, body } = await get('/api/parts/suggest?q=BBa_I7190');
    expect(performance.now() - started).toBeLessThan(200);
    expect(status).toBe(200);
    expect(body.names.map((n: any) => n.part_name)).toContain('BBa_I719005');
    expect((await get('/api/parts/suggest?q=I71900')).body.names.map((n: any) => n.part_name)).toContain('BBa_I719005');
    const words = (await get('/api/parts/suggest?q=prom')).body;
    expect(words.words[0].word).toBe('promoter');
    expect((await get('/api/parts/suggest?q=Reg')).body.types).toEqual(['Regulatory']);
    expect((await get('/api/parts/suggest?size=99')).status).toBe(400);
  });
});

describe('changes reach search on every worker within a second', () => {
  test('a rating re-weights its part in search', async () => {
    const ada = new BrowserSession(() => server.url);
    expect((await ada.call('POST', '/api/auth/register', { username: 'ada', email: 'ada@example.org', password: 'correct horse battery' })).status).toBe(201);
    const [before] = (await search('BBa_B0034')).items;
    const relevance = before.relevance / (0.5 + before.weight);
    const rated = await ada.call('PUT', '/api/parts/BBa_B0034/rating', { score: 1 });
    expect(rated.status).toBe(200);
    expect(rated.body.weight).not.toBe(before.weight);
    // Every worker orders by the new weight: relevance × (0.5 + weight), with the weight the rating wrote.
    const ms = await everyWorker(async () => {
      const [item] = (await search('BBa_B0034')).items;
      return item.weight === rated.body.weight && Math.abs(item.relevance - relevance * (0.5 + rated.body.weight)) < 1e-9;
    }, 1000);
    expect(ms).toBeLessThan(1000);
  });

  test('a ranking: every weight reloaded', async () => {
    const [top] = (await search('promoter', '&max_results=1')).items;
    await db.query('UPDATE part_weights SET weight = -0.49');
    await db.query('UPDATE part_weights SET weight = 40 WHERE part_id <> ?', [top.part_id]);
    await db.query('UPDATE ranking_state SET ranked_at = ranked_at + INTERVAL 1 SECOND');
    const ms = await everyWorker(async () => names(await search('promoter', '&max_results=1'))[0] !== top.part_name, 1000);
    expect(ms).toBeLessThan(1000);
    const task = (await server.admin('POST', '/api/admin/parts/rank')).body;
    for (let i = 0; i < 300; i++) {
      if ((await server.admin('GET', `/api/tasks/${task.id}`)).body.state === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await everyWorker(async () => names(await search('promoter', '&max_results=1'))[0] === top.part_name, 2000);
  });

  test('an import: a new index built and swapped in whole', async () => {
    const before = (await search('T7')).total;
    // A part of the live snapshot gains a word, then the import's record moves, as an import's swap ends.
    await db.query(`UPDATE \`${server.database.name}_igem\`.parts_filtered SET short_desc = CONCAT(short_desc, ' T7') WHERE part_name = 'BBa_B0015'`);
    await db.query("UPDATE snapshot_imports SET finished_at = finished_at + INTERVAL 1 SECOND WHERE state = 'succeeded' ORDER BY id DESC LIMIT 1");
    const ms = await everyWorker(async () => (await search('T7')).total === before + 1, 1000);
    expect(ms).toBeLessThan(1000);
    expect(names(await search('T7 terminator'))).toContain('BBa_B0015');
  });
});

import { startTestServer, type TestServer } from '@brickyard/testing';
import { writeSyntheticDumpFile } from '@brickyard/parts';
import { STRATEGIES } from '@brickyard/ranking';
import { genbankToJson } from 'genbank-parser';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// The parts API over the demo snapshot (real parts), then over a synthetic one
// imported through the admin API as a task.
let server: TestServer;
const get = async (route: string) => {
  const response = await fetch(server.url + route);
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, body: (type.includes('json') ? await response.json() : await response.text()) as any, type };
};
const names = (body: any) => body.items.map((p: any) => p.part_name);

beforeAll(async () => {
  server = await startTestServer({ env: { PLUGINS_WATCH: 'false', PARTS_DEMO_DATA: 'true', JOB_WORKERS: '1' } });
});
afterAll(async () => {
  const db = await mysql.createConnection({ host: '127.0.0.1', user: 'root' });
  await db.query(`DROP DATABASE IF EXISTS \`${server.database.name}_igem\``);
  await db.end();
  await server?.stop();
});

describe('the demo snapshot', () => {
  test('lists parts in an envelope with pagination links, by weight', async () => {
    const { status, body } = await get('/api/parts');
    expect(status).toBe(200);
    expect(body).toMatchObject({ page: 1, per_page: 25, total: 98 });
    expect(body.items).toHaveLength(25);
    expect(body.links).toEqual({
      self: '/api/parts?page=1', first: '/api/parts?page=1', last: '/api/parts?page=4', next: '/api/parts?page=2',
    });
    const weights = body.items.map((p: any) => p.weight);
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
    const last = await get(body.links.last);
    expect(last.body.items).toHaveLength(23);
    expect(last.body.links.prev).toBe('/api/parts?page=3');
  });

  test('part detail: fields, features, subparts with positions, used-in, compatibility, weight with components', async () => {
    const { status, body } = await get('/api/parts/BBa_B0015');
    expect(status).toBe(200);
    expect(body).toMatchObject({ part_name: 'BBa_B0015', part_type: 'Terminator', sequence_length: 129 });
    expect(body.subparts.specified.map((s: any) => [s.part_name, s.start_pos, s.end_pos])).toEqual([
      ['BBa_B0010', 1, 80],
      ['BBa_B0012', 89, 129],
    ]);
    expect(body.features.some((f: any) => f.feature_type === 'BioBrick' && f.label === 'BBa_B0010')).toBe(true);
    expect(body.compatibility['10']).toEqual({ compatible: true, sites: [] });
    expect(body.weight.strategy).toBe('bayesian');
    expect(Object.keys(body.weight.components)).toEqual(expect.arrayContaining(['status', 'sample_status', 'uses', 'mean_rate']));
    // The components are those the stored weight was computed from: their score-weighted mean is the weight.
    const present = STRATEGIES.bayesian!.signals.filter((s) => body.weight.components[s.name] !== null);
    const mean = present.reduce((sum, s) => sum + s.score * body.weight.components[s.name], 0) / present.reduce((sum, s) => sum + s.score, 0);
    expect(mean).toBeCloseTo(body.weight.value, 9);
    expect(Date.parse(body.weight.ranked_at)).toBeGreaterThan(0);
    const b0010 = (await get('/api/parts/BBa_B0010')).body;
    expect(b0010.used_in.map((p: any) => p.part_name)).toContain('BBa_B0015');
    const j23151 = (await get('/api/parts/BBa_J23151')).body;
    expect(j23151.compatibility['12']).toMatchObject({ compatible: false, sites: [{ enzyme: 'NheI', position: 7 }, expect.anything()] });
  });

  test('unknown parts are 404 and bad queries 400, with a message', async () => {
    expect(await get('/api/parts/BBa_NOPE')).toMatchObject({ status: 404, body: { message: 'no part named BBa_NOPE in the live snapshot' } });
    expect((await get('/api/parts?sort=colour')).body.message).toBe('cannot sort by "colour": use one of weight, name, created, uses (prefix - for descending)');
    expect((await get('/api/parts?q=x:1')).body.message).toMatch(/^unknown prefix "x:"/);
    expect((await get('/api/parts?max_results=1000')).status).toBe(400);
    expect((await get("/api/parts?colour=red")).body.message).toMatch(/^invalid query: as a whole: unknown query parameter\(s\) colour: use q, type/);
    expect((await get('/api/parts?where={oops')).body.message).toMatch(/^where must be a JSON object/);
    expect((await get('/api/parts?sequence=acgt')).body.message).toBe('a sequence query needs at least 6 bases');
    expect((await get('/api/parts/BBa_B0015/export?format=pdf')).status).toBe(400);
  });

  test('keys that name Object.prototype members are refused like any unknown key, never reach SQL', async () => {
    expect(await get('/api/parts?sort=constructor')).toMatchObject({ status: 400, body: { code: 'invalid_params', message: expect.stringMatching(/^cannot sort by "constructor"/) } });
    expect(await get('/api/parts?q=o:toString')).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^cannot sort by "toString"/) } });
    expect(await get('/api/parts?sort=__proto__')).toMatchObject({ status: 400 });
    expect(await get(`/api/parts?where=${encodeURIComponent('{"__proto__":1}')}`)).toMatchObject({ status: 400, body: { message: expect.stringMatching(/^cannot filter on "__proto__"/) } });
    expect(await get(`/api/parts?where=${encodeURIComponent('{"constructor":"x"}')}`)).toMatchObject({ status: 400 });
    // A sequence over the cap is a 400 that says so, not a 500 from the regular expression engine.
    expect(await get(`/api/parts?sequence=${'n'.repeat(5000)}`)).toMatchObject({ status: 400, body: { message: 'a sequence query takes at most 1000 bases (this one has 5000)' } });
    expect(await get(`/api/parts?sequence=${'a'.repeat(12_000)}`)).toMatchObject({ status: 400, body: { message: expect.stringMatching(/sequence is too long/) } });
    expect(server.output()).not.toMatch(/ER_PARSE_ERROR|regular expression is too large/);
  });

  test('% and _ typed in n:, a: and c: match themselves, not anything', async () => {
    expect((await get('/api/parts?q=n:%25')).body.total).toBe(0);
    expect((await get('/api/parts?q=n:BBa_B001_')).body.total).toBe(0);
    expect((await get('/api/parts?q=a:_')).body.total).toBe(0);
    expect((await get('/api/parts?q=n:BBa_B0015')).body.total).toBeGreaterThan(0);
  });

  test('sequence search: exact, on both strands, with IUPAC codes', async () => {
    const b0034 = (await get('/api/parts/BBa_B0034')).body.sequence as string; // aaagaggagaaa
    const exact = await get(`/api/parts?sequence=${b0034}&max_results=100`);
    expect(names(exact.body)).toContain('BBa_B0034');
    const complement: Record<string, string> = { a: 't', c: 'g', g: 'c', t: 'a' };
    const reverse = [...b0034].reverse().map((c) => complement[c]).join('');
    expect(names((await get(`/api/parts?sequence=${reverse}&max_results=100`)).body)).toEqual(names(exact.body));
    const iupac = `${b0034.slice(0, 3)}NR${b0034.slice(5)}`.toUpperCase(); // aaa[acgt][ag]ggagaaa
    expect(names((await get(`/api/parts?sequence=${iupac}&max_results=100`)).body)).toEqual(expect.arrayContaining(names(exact.body)));
  });

  test('FASTA and GenBank exports; GenBank parses back with its features', async () => {
    const part = (await get('/api/parts/BBa_B0015')).body;
    const fasta = await get('/api/parts/BBa_B0015/export?format=fasta');
    expect(fasta.type).toMatch(/text\/x-fasta/);
    expect(fasta.body.split('\n')[0]).toBe(`>BBa_B0015 ${part.short_desc}`);
    expect(fasta.body.split('\n').slice(1).join('')).toBe(part.sequence);

    const genbank = await get('/api/parts/BBa_B0015/export?format=genbank');
    const [parsed] = genbankToJson(genbank.body) as any[];
    expect(parsed).toMatchObject({ name: 'BBa_B0015', accession: 'BBa_B0015', definition: part.short_desc, size: 129, circular: false });
    expect(parsed.sequence.toLowerCase()).toBe(part.sequence);
    const features = parsed.features.filter((f: any) => f.type !== 'source');
    expect(features.map((f: any) => [f.name, f.start, f.end])).toEqual(
      part.features.map((f: any) => [f.label, f.start_pos, f.end_pos]),
    );
  });

});

test('OpenAPI docs at /api/docs describe the routes that exist', async () => {
  const { status, body } = await get('/api/docs/openapi.json');
  expect(status).toBe(200);
  expect(body.openapi).toBe('3.1.0');
  expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/api/parts', '/api/parts/{name}', '/api/parts/{name}/export', '/api/tasks', '/api/health', '/api/admin/config/{key}']));
  expect(body.paths['/api/parts'].get.parameters.map((p: any) => p.name)).toEqual(['q', 'type', 'status', 'sample_status', 'works', 'category', 'has_sequence', 'sequence', 'sort', 'page', 'max_results', 'where']);
  // Every documented GET without path parameters answers (not 404).
  for (const [path, operations] of Object.entries(body.paths) as [string, any][]) {
    if (!operations.get || path.includes('{')) continue;
    const answer = operations.get.security ? await server.admin('GET', path) : await get(path);
    expect(answer.status, path).toBe(200);
  }
  const page = await get('/api/docs');
  expect(page.type).toMatch(/text\/html/);
  expect(page.body).toContain('<code>/api/parts/{name}/export</code>');
});

describe('a synthetic snapshot imported through the admin API', () => {
  beforeAll(async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-api-')), 'synthetic.sql.gz');
    await writeSyntheticDumpFile(file, { parts: 3000, format: 'sql', seed: 11 });
    const submitted = await server.admin('POST', '/api/admin/parts/import', { source: file });
    expect(submitted.status).toBe(202);
    expect(submitted.body).toMatchObject({ kind: 'core.parts-import', state: 'queued' });
    for (let i = 0; i < 600; i++) {
      const task: any = (await server.admin("GET", `/api/tasks/${submitted.body.id}`)).body;
      if (task.state === 'succeeded') break;
      if (task.state !== 'queued' && task.state !== 'running') throw new Error(JSON.stringify(task));
      await new Promise((r) => setTimeout(r, 200));
    }
    const imports = (await server.admin('GET', '/api/admin/parts/imports')).body;
    expect(imports[0]).toMatchObject({ state: 'succeeded', parts_read: 3000 });
  }, 300_000);

  test('filters: type, status, sample status, works, category prefix, has_sequence', async () => {
    for (const [param, field, value] of [
      ['type', 'part_type', 'Coding'], ['status', 'status', 'Available'], ['sample_status', 'sample_status', 'In stock'], ['works', 'works', 'Works'],
    ] as const) {
      const { body } = await get(`/api/parts?${param}=${encodeURIComponent(value)}&max_results=100`);
      expect(body.total).toBeGreaterThan(0);
      expect(body.items.every((p: any) => p[field] === value)).toBe(true);
    }
    const category = await get('/api/parts?category=//chassis&max_results=100');
    expect(category.body.total).toBeGreaterThan(0);
    expect(category.body.items.every((p: any) => / ?\/\/chassis/.test(p.categories))).toBe(true);
    const all = (await get('/api/parts')).body.total;
    expect((await get('/api/parts?has_sequence=true')).body.total).toBe(all);
    expect((await get('/api/parts?has_sequence=false')).body.total).toBe(0);
  });

  test('sorts: name, created, uses, weight, both directions; Eve-style sort and where', async () => {
    const byName = names((await get('/api/parts?sort=name&max_results=50')).body);
    expect(byName).toEqual([...byName].sort((a, b) => a.localeCompare(b)));
    const uses = (await get('/api/parts?sort=-uses&max_results=50')).body.items.map((p: any) => p.uses);
    expect(uses).toEqual([...uses].sort((a, b) => b - a));
    const created = (await get('/api/parts?sort=created&max_results=50')).body.items.map((p: any) => String(p.creation_date));
    expect(created).toEqual([...created].sort());
    const eve = (await get(`/api/parts?sort=${encodeURIComponent('[("uses", -1)]')}&max_results=50`)).body.items.map((p: any) => p.uses);
    expect(eve).toEqual(uses);
    const where = await get(`/api/parts?where=${encodeURIComponent('{"part_type": "RBS"}')}&max_results=5&page=2`);
    expect(where.body).toMatchObject({ page: 2, per_page: 5 });
    expect(where.body.items.every((p: any) => p.part_type === 'RBS')).toBe(true);
  });

  test('query prefixes filter without leaking into the keyword match', async () => {
    const typed = await get('/api/parts?q=t:Coding&max_results=100');
    expect(typed.body.total).toBe((await get('/api/parts?type=Coding')).body.total);
    const named = await get('/api/parts?q=n:BBa_K1&max_results=100');
    expect(named.body.items.every((p: any) => p.part_name.startsWith('BBa_K1'))).toBe(true);
    const authored = await get(`/api/parts?q=${encodeURIComponent('a:"Randy Rettberg" s:Available')}&max_results=100`);
    expect(authored.body.total).toBeGreaterThan(0);
    expect(authored.body.items.every((p: any) => p.author === 'Randy Rettberg' && p.status === 'Available')).toBe(true);
    const ordered = (await get('/api/parts?q=o:-uses&max_results=20')).body.items.map((p: any) => p.uses);
    expect(ordered).toEqual([...ordered].sort((a, b) => b - a));
    const category = await get('/api/parts?q=c://chassis&max_results=100');
    expect(category.body.total).toBe((await get('/api/parts?category=//chassis')).body.total);
    // Words and prefixes together: the words alone decide relevance.
    const mixed = await get('/api/parts?q=reporter%20t:Coding&max_results=100');
    const words = await get('/api/parts?q=reporter&max_results=100');
    expect(mixed.body.total).toBeGreaterThan(0);
    expect(mixed.body.total).toBeLessThan(words.body.total);
    expect(mixed.body.items.every((p: any) => p.part_type === 'Coding')).toBe(true);
    const relevances = mixed.body.items.map((p: any) => p.relevance);
    expect(relevances).toEqual([...relevances].sort((a, b) => b - a));
  });

test('EXPLAIN: lookup by name and the ranked listing use indexes', async () => {
    const db = await mysql.createConnection({ host: '127.0.0.1', user: 'root', database: server.database.name });
    // Fresh statistics, as after a real import; the plan is checked on the 3000-part snapshot, not a toy one.
    await db.query(`ANALYZE TABLE part_weights, \`${server.database.name}_igem\`.parts_filtered`);
    const name = (await get('/api/parts?max_results=1')).body.items[0].part_name;
    const [byName] = (await db.query('EXPLAIN SELECT * FROM parts WHERE part_name = ?', [name])) as any;
    for (const row of byName) expect(['const', 'eq_ref', 'ref']).toContain(row.type);
    const [ranked] = (await db.query('EXPLAIN SELECT part_name, weight FROM parts ORDER BY weight DESC LIMIT 25')) as any;
    expect(ranked[0]).toMatchObject({ table: 'w', key: 'weight' });
    expect(ranked.map((r: any) => r.Extra ?? '').join(' ')).not.toMatch(/filesort/);
    await db.end();
  });

  test('the import replaced the demo snapshot and recorded the diff', async () => {
    expect((await get('/api/parts/BBa_B0015')).status).toBe(404);
    const [latest] = (await server.admin('GET', '/api/admin/parts/imports')).body;
    // Names both snapshots share count as changed; every other demo part was removed.
    expect(latest.removed + latest.changed).toBe(98);
    expect(latest.added + latest.changed).toBe(latest.parts_live);
  });
});

import { parsePdb, sequenceOf } from '../server/designer/pdb';
import { startPluginTestServer, type TestServer } from '@brickyard/testing';
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CRAMBIN_PDB, GFP_PDB, pdbForm, signUp, startAbacusWorker, stopProcess, until } from './helpers';

// The API against a real server whose own job workers serve only the queue `default`
// (JOB_WORKER_QUEUES): designs run on a separate `brickyard worker --queues abacus`.
let server: TestServer;
let worker: ChildProcess | undefined;
let ada: Awaited<ReturnType<typeof signUp>>;
let bob: Awaited<ReturnType<typeof signUp>>;
const start = (user: typeof ada, form: FormData) => user.call('POST', '/api/plugins/abacus/start', form);

beforeAll(async () => {
  server = await startPluginTestServer(path.resolve(import.meta.dirname, '..'), {
    env: { JOB_WORKERS: '1', JOB_WORKER_QUEUES: 'default', ABACUS_MAX_UPLOAD_BYTES: '100000' },
  });
  [ada, bob] = [await signUp(server, 'ada'), await signUp(server, 'bob')];
}, 120_000);
afterAll(async () => {
  await stopProcess(worker);
  await server?.stop();
});

describe('the queue', () => {
  test("the main server's job workers leave the queue abacus alone; a worker started with --queues abacus serves it", { timeout: 90_000 }, async () => {
    const started = await start(ada, pdbForm(CRAMBIN_PDB, '1crn.pdb', { sweeps: '20' }));
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body).toEqual({ id: expect.any(String), query_url: `/api/plugins/abacus/query/${started.body.id}` });
    const task = await ada.call('GET', `/api/tasks/${started.body.id}`);
    expect(task.body).toMatchObject({ kind: 'abacus.design', queue: 'abacus' });
    await new Promise((r) => setTimeout(r, 2000));
    expect((await ada.call('GET', started.body.query_url)).body).toMatchObject({ status: 'PENDING', id: started.body.id });
    worker = startAbacusWorker(server);
    expect(await until(ada, started.body.id, (q) => q.status === 'SUCCESS')).toMatchObject({ status: 'SUCCESS', output: `/api/plugins/abacus/output/${started.body.id}` });
  });
});

describe('designing', () => {
  test('start → PENDING/RUNNING → SUCCESS; the output is a PDB of the same backbone with the designed residue names', { timeout: 60_000 }, async () => {
    const started = await start(ada, pdbForm(CRAMBIN_PDB, '1crn.pdb', { sweeps: '400', seed: '5' }));
    expect(started.status).toBe(201);
    const seen = new Set<string>();
    const done = await until(ada, started.body.id, (q) => (seen.add(q.status), q.status === 'SUCCESS' || q.status === 'ERROR'));
    expect([...seen].some((s) => s === 'PENDING' || s === 'RUNNING')).toBe(true);
    expect(done).toMatchObject({ status: 'SUCCESS', id: started.body.id, output: `/api/plugins/abacus/output/${started.body.id}` });
    const result = done.result;
    expect(result).toMatchObject({ name: '1crn.pdb', engine: 'built-in', native: 'TTCCPSIVARSNFNVCRLPGTPEAICATYTGCIIIPGATCPGDYAN', energy: expect.any(Number) });
    expect(result.designed).toMatch(/^[ACDEFGHIKLMNPQRSTVWY]{46}$/);
    expect(result.ss).toMatch(/^[HECL]{46}$/);
    expect(result.burial).toMatch(/^\d{46}$/);
    const output = await ada.call('GET', done.output);
    expect(output.status).toBe(200);
    const text = String(output.body ?? '');
    const designed = parsePdb(text);
    const native = parsePdb(CRAMBIN_PDB.toString());
    expect(sequenceOf(designed)).toBe(result.designed);
    designed.forEach((r, i) => expect([r.chain, r.number, r.N, r.CA, r.C, r.O]).toEqual([native[i].chain, native[i].number, native[i].N, native[i].CA, native[i].C, native[i].O]));
    // and the one who started it is told
    const notices = await ada.call('GET', '/api/notices?category=ABACUS');
    expect(notices.body.items.some((n: any) => n.message.includes('ABACUS designed 1crn.pdb') && n.message.includes(`((abacus))((${started.body.id}))`))).toBe(true);
  });

  test('constraints sent with the file are respected', { timeout: 60_000 }, async () => {
    const constraints = JSON.stringify({ keepNative: ['A3', 'A4'], forbid: 'LK' });
    const started = await start(ada, pdbForm(CRAMBIN_PDB, '1crn.pdb', { sweeps: '20', constraints }));
    expect(started.status).toBe(201);
    const done = await until(ada, started.body.id, (q) => q.status === 'SUCCESS');
    expect(done.result.designed.slice(2, 4)).toBe('CC');
    expect(done.result.designed).not.toMatch(/[LK]/);
    const wrong = await start(ada, pdbForm(CRAMBIN_PDB, '1crn.pdb', { constraints: JSON.stringify({ keepNative: ['B99'] }) }));
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toMatch(/no residue B99/);
  });

  test('a cancelled design ends as ERROR and its worker goes on', { timeout: 60_000 }, async () => {
    const gfp = GFP_PDB.toString().split('\n').filter((l) => !l.startsWith('HETATM') && !l.startsWith('ANISOU')).join('\n');
    const started = await start(ada, pdbForm(gfp.slice(0, 99_000).replace(/[^\n]*$/, ''), '1gfl.pdb', { sweeps: '5000' }));
    expect(started.status).toBe(201);
    await until(ada, started.body.id, (q) => q.status === 'RUNNING' && q.progress > 0);
    expect((await bob.call('DELETE', `/api/tasks/${started.body.id}`)).status).toBe(404); // not his
    expect((await ada.call('DELETE', `/api/tasks/${started.body.id}`)).status).toBe(200);
    const ended = await until(ada, started.body.id, (q) => q.status === 'ERROR');
    expect(ended.error).toMatch(/cancel/);
    expect(ended.output).toBeUndefined();
    const next = await start(ada, pdbForm(CRAMBIN_PDB, '1crn.pdb', { sweeps: '10' }));
    expect((await until(ada, next.body.id, (q) => q.status !== 'PENDING' && q.status !== 'RUNNING')).status).toBe('SUCCESS');
  });
});

describe('refusals', () => {
  test('bad files get a clear 4xx', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const image = await start(ada, pdbForm(png, 'fake.pdb'));
    expect(image.status).toBe(400);
    const notPdb = await start(ada, pdbForm('HEADER    just words\nnothing here\n', 'words.pdb'));
    expect(notPdb.status).toBe(400);
    expect(notPdb.body.message).toMatch(/no protein backbone found/);
    const tooLarge = await start(ada, pdbForm(GFP_PDB, '1gfl.pdb'));
    expect(tooLarge.status).toBe(413);
    const noFile = await ada.call('POST', '/api/plugins/abacus/start', (() => { const f = new FormData(); f.append('sweeps', '3'); return f; })());
    expect(noFile.status).toBe(400);
    const badSweeps = await start(ada, pdbForm(CRAMBIN_PDB, '1crn.pdb', { sweeps: 'lots' }));
    expect(badSweeps.status).toBe(400);
  });

  test('only signed-in users start designs; only their owner (or an admin) reads them', { timeout: 60_000 }, async () => {
    const anonymous = await fetch(`${server.url}/api/plugins/abacus/start`, { method: 'POST', body: pdbForm(CRAMBIN_PDB) });
    expect(anonymous.status).toBe(401);
    const started = await start(ada, pdbForm(CRAMBIN_PDB, '1crn.pdb', { sweeps: '5' }));
    const done = await until(ada, started.body.id, (q) => q.status === 'SUCCESS');
    expect((await bob.call('GET', `/api/plugins/abacus/query/${started.body.id}`)).status).toBe(404);
    expect((await bob.call('GET', done.output)).status).toBe(404);
    expect((await fetch(`${server.url}${done.output}`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/plugins/abacus/query/${started.body.id}`)).status).toBe(401);
    expect((await server.admin('GET', `/api/plugins/abacus/query/${started.body.id}`)).body.status).toBe('SUCCESS');
    expect((await ada.call('GET', '/api/plugins/abacus/query/not-a-design')).status).toBe(404);
  });

  test('its routes are in the API docs', async () => {
    const docs: any = await (await fetch(`${server.url}/api/docs/openapi.json`)).json();
    expect(Object.keys(docs.paths)).toEqual(expect.arrayContaining(['/api/plugins/abacus/start', '/api/plugins/abacus/query/{id}', '/api/plugins/abacus/output/{id}']));
  });
});

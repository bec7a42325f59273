import { startPluginTestServer, type TestServer } from '@brickyard/testing';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CRAMBIN_PDB, pdbForm, signUp, until } from './helpers';

// The real-ABACUS path: with ABACUS_JAR_PATH and ABACUS_DATABASE_PATH set and java working, a
// design runs `java -jar <jar> -design -dir <db> -in <in> -out <out>`. The jar is a stand-in
// built here from stand-in/StandInAbacus.java (the real program is not ours to ship): the plugin
// code under test is real, only the external program is not.
let server: TestServer;
let ada: Awaited<ReturnType<typeof signUp>>;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'abacus-stand-in-'));
const db = path.join(work, 'db');
const TIMEOUT_MS = 6000;

beforeAll(async () => {
  fs.mkdirSync(db);
  execFileSync('javac', ['-d', work, path.join(import.meta.dirname, 'stand-in', 'StandInAbacus.java')]);
  execFileSync('jar', ['--create', '--file', path.join(work, 'abacus.jar'), '--main-class', 'StandInAbacus', '-C', work, 'StandInAbacus.class']);
  server = await startPluginTestServer(path.resolve(import.meta.dirname, '..'), {
    env: { JOB_WORKERS: '1', ABACUS_JAR_PATH: path.join(work, 'abacus.jar'), ABACUS_DATABASE_PATH: db, ABACUS_TIMEOUT_MS: String(TIMEOUT_MS) },
  });
  ada = await signUp(server, 'ada');
}, 120_000);
afterAll(async () => {
  await server?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

const crambinWith = (remark: string) => `REMARK ${remark}\n${CRAMBIN_PDB.toString()}`;
const design = async (pdb: string | Buffer) => {
  const started = await ada.call('POST', '/api/plugins/abacus/start', pdbForm(pdb, '1crn.pdb'));
  expect(started.status).toBe(201);
  return started.body.id as string;
};
/** Running: a process that was killed but not yet reaped by its parent (a zombie, state Z) is not. */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};
const pidOf = async (tag: string) => {
  const file = path.join(db, `pid-${tag}`);
  await expect.poll(() => fs.existsSync(file), { timeout: 20_000 }).toBe(true);
  return Number(fs.readFileSync(file, 'utf8'));
};

test('exit 0 with ENERGY in its output is a success: its output file is the design', { timeout: 60_000 }, async () => {
  const id = await design(CRAMBIN_PDB);
  const done = await until(ada, id, (q) => q.status === 'SUCCESS' || q.status === 'ERROR');
  expect(done).toMatchObject({ status: 'SUCCESS', result: { engine: 'abacus', designed: 'A'.repeat(46), energy: -42.5, native: 'TTCCPSIVARSNFNVCRLPGTPEAICATYTGCIIIPGATCPGDYAN' } });
  const output = await ada.call('GET', done.output);
  expect(String(output.body)).toMatch(/^ATOM {6}1 {2}N {3}ALA A {3}1 /m);
});

test('a non-zero exit, or no ENERGY, is an ERROR with the reason', { timeout: 60_000 }, async () => {
  const failed = await until(ada, await design(crambinWith('STANDIN FAIL')), (q) => q.status === 'ERROR' || q.status === 'SUCCESS');
  expect(failed).toMatchObject({ status: 'ERROR', error: expect.stringMatching(/exit code 2.*cannot design this backbone/) });
  expect(failed.output).toBeUndefined();
  const silent = await until(ada, await design(crambinWith('STANDIN NOENERGY')), (q) => q.status === 'ERROR' || q.status === 'SUCCESS');
  expect(silent).toMatchObject({ status: 'ERROR', error: expect.stringMatching(/without reporting an ENERGY/) });
});

test('cancelling a design kills the program', { timeout: 60_000 }, async () => {
  const id = await design(crambinWith('STANDIN SLOW cancel'));
  const pid = await pidOf('cancel');
  expect(alive(pid)).toBe(true);
  expect((await ada.call('DELETE', `/api/tasks/${id}`)).status).toBe(200);
  expect(await until(ada, id, (q) => q.status === 'ERROR')).toMatchObject({ error: expect.stringMatching(/cancel/) });
  await expect.poll(() => alive(pid), { timeout: 10_000 }).toBe(false);
});

test('a design past ABACUS_TIMEOUT_MS is stopped and the program killed', { timeout: 60_000 }, async () => {
  const id = await design(crambinWith('STANDIN SLOW late'));
  const pid = await pidOf('late');
  const ended = await until(ada, id, (q) => q.status === 'ERROR', 30_000);
  expect(ended.error).toMatch(/did not finish within 6 s/);
  await expect.poll(() => alive(pid), { timeout: 10_000 }).toBe(false);
});

import { BrowserSession, type TestServer } from '@brickyard/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../../..');
export const CRAMBIN_PDB = fs.readFileSync(path.join(root, 'client/public/structures/1crn.pdb'));
export const GFP_PDB = fs.readFileSync(path.join(root, 'client/public/structures/1gfl.pdb'));

/** A form with the PDB in the field `file` and optional extra fields. */
export function pdbForm(bytes: Buffer | string, filename = '1crn.pdb', fields: Record<string, string> = {}): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], { type: 'chemical/x-pdb' }), filename);
  return form;
}

/** A signed-in user of the test server. */
export async function signUp(server: TestServer, username: string): Promise<BrowserSession> {
  const user = new BrowserSession(() => server.url);
  const created = await user.call('POST', '/api/auth/register', { username, email: `${username}@example.org`, password: 'correct horse battery' });
  if (created.status !== 201) throw new Error(`cannot register ${username}: ${JSON.stringify(created.body)}`);
  return user;
}

/** Polls GET query/:id until `done` holds for the answer (or fails after `ms`). */
export async function until(user: BrowserSession, id: string, done: (q: any) => boolean, ms = 60_000): Promise<any> {
  const deadline = Date.now() + ms;
  let last: any;
  while (Date.now() < deadline) {
    last = (await user.call('GET', `/api/plugins/abacus/query/${id}`)).body;
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`design ${id} never got there; last answer ${JSON.stringify(last)}`);
}

/** `npx brickyard worker --queues abacus` against the test server's database and Redis. */
export function startAbacusWorker(server: TestServer, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [path.join(root, 'bin', 'brickyard.js'), 'worker', '--queues', 'abacus'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: server.database.url, BRICKYARD_HOME: server.home, PLUGINS_DIR: server.pluginsDir, JOB_WORKERS: '0', ...env },
    stdio: 'ignore',
  });
}

export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

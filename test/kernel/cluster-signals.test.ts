import { eventually, getOnNewConnection, startTestServer, writePlugin, type TestServer } from '@brickyard/testing';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';

// WORKERS=2: a plugin disabled with the CLI, then SIGUSR1, leaves every worker.
let server: TestServer;
const root = path.resolve(import.meta.dirname, '..', '..');

beforeAll(async () => {
  const pluginsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-cluster-'));
  writePlugin(pluginsDir, 'alpha', {}, 'alpha');
  writePlugin(pluginsDir, 'beta', {}, 'beta');
  server = await startTestServer({ pluginsDir, workers: 2, env: { PLUGINS_WATCH: 'false' } });
});
afterAll(() => server?.stop());

function cli(...args: string[]) {
  return promisify(execFile)(process.execPath, [path.join(root, 'bin', 'brickyard.js'), ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: server.database.url, BRICKYARD_HOME: server.home, PORT: String(server.port), PLUGINS_DIR: server.pluginsDir },
  });
}

/** The pids that answered `times` requests on new connections: both workers, with round-robin. */
async function workerPids(times = 12): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < times; i++) pids.add((await getOnNewConnection(`${server.url}/api/health`)).body.pid);
  return pids;
}

const inspectorOpen = () =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(9229, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

test('two workers serve both plugins', async () => {
  const pids = await workerPids();
  expect(pids.size).toBe(2);
  for (let i = 0; i < 8; i++) {
    expect((await getOnNewConnection(`${server.url}/api/plugins/alpha`)).body).toEqual({ answer: 'alpha' });
  }
});

test('`brickyard plugin disable` then SIGUSR1 to the primary removes the routes from every worker', async () => {
  const { stdout } = await cli('plugin', 'disable', 'alpha');
  expect(stdout).toMatch(/alpha disabled; signalled the server \(pid \d+\)/);
  process.kill(server.pid, 'SIGUSR1');
  // 16 answers in a row on new connections: both workers have converged.
  await eventually(`${server.url}/api/plugins/alpha`, (a) => a.status === 404, 5000, 16);
  for (let i = 0; i < 8; i++) expect((await getOnNewConnection(`${server.url}/api/plugins/beta`)).status).toBe(200);
  const health = await getOnNewConnection(`${server.url}/api/health`);
  expect(health.body.plugins).toContainEqual({ name: 'alpha', version: '1.0.0', status: 'disabled' });
});

test('SIGUSR1 to one worker converges the whole cluster', async () => {
  const { stdout } = await cli('plugin', 'list');
  expect(stdout).toMatch(/alpha.*no.*disabled/);
  // Enable through the database only, then signal a single worker.
  const { createHostDataSource } = await import('@brickyard/db');
  const db = await createHostDataSource(server.database.url, 1);
  await db.query('UPDATE plugins SET enabled = 1 WHERE name = ?', ['alpha']);
  await db.destroy();
  const [worker] = await workerPids(1);
  process.kill(worker!, 'SIGUSR1');
  await eventually(`${server.url}/api/plugins/alpha`, (a) => a.status === 200, 5000, 16);
  expect((await workerPids()).size).toBe(2);
});

test('SIGHUP to the primary converges the cluster too', async () => {
  const { createHostDataSource } = await import('@brickyard/db');
  const db = await createHostDataSource(server.database.url, 1);
  await db.query('UPDATE plugins SET enabled = 0 WHERE name = ?', ['beta']);
  await db.destroy();
  process.kill(server.pid, 'SIGHUP');
  await eventually(`${server.url}/api/plugins/beta`, (a) => a.status === 404, 5000, 16);
  expect((await getOnNewConnection(`${server.url}/api/plugins/alpha`)).status).toBe(200);
});

test('SIGUSR1 never opens the inspector', async () => {
  expect(server.output()).not.toMatch(/Debugger listening/);
  expect(await inspectorOpen()).toBe(false);
  const health = (await getOnNewConnection(`${server.url}/api/health`)).body;
  expect(health.status).toBe('ok');
});

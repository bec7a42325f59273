import { Redis } from 'ioredis';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestDatabase, type TestDatabase } from './test-database';

const root = path.resolve(__dirname, '..', '..');

export interface TestServerOptions {
  /** PLUGINS_DIR for the server (one or more folders joined by ':'); a new empty folder by default. */
  pluginsDir?: string;
  workers?: number;
  env?: Record<string, string>;
  /** Reuse a database (e.g. to restart a server on the same data). */
  database?: TestDatabase;
  /** Reuse a BRICKYARD_HOME. */
  home?: string;
  /** Listen on this port (e.g. to restart a server where clients expect it); a free one by default. */
  port?: number;
}

export interface TestServer {
  url: string;
  /** `ws://…/ws` of this server. */
  wsUrl: string;
  port: number;
  pid: number;
  home: string;
  pluginsDir: string;
  database: TestDatabase;
  adminToken: string;
  /** Everything the server printed so far. */
  output(): string;
  /** `fetch` with the admin token. */
  admin(method: string, route: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Stops the server; with `keepData` the database and home survive for a restart. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a real `brickyard serve` (primary + workers) on a free port, a fresh
 * database and a temporary BRICKYARD_HOME, and waits until every worker listens.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase('srv'));
  const home = options.home ?? fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-home-'));
  const pluginsDir = options.pluginsDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-plugins-'));
  const port = options.port ?? (await freePort());
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'bin', 'brickyard.js'), 'serve'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: database.url,
      BRICKYARD_HOME: home,
      PLUGINS_DIR: pluginsDir,
      WORKERS: String(options.workers ?? 1),
      PLUGINS_WATCH_DEBOUNCE_MS: '100',
      JOB_WORKERS: '0', // tests of tasks ask for job workers; the others run lighter without
      PARTS_DEMO_DATA: 'false', // tests of parts ask for it
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const ready = await new Promise<boolean>((resolve) => {
    const deadline = Date.now() + 90_000;
    const poll = setInterval(() => {
      if (output.includes('"msg":"Brickyard is ready"')) finish(true);
      else if (child.exitCode !== null || Date.now() > deadline) finish(false);
    }, 50);
    const finish = (ok: boolean) => {
      clearInterval(poll);
      resolve(ok);
    };
  });
  if (!ready) {
    child.kill('SIGKILL');
    throw new Error(`the test server did not start:\n${output}`);
  }
  const adminToken = fs.readFileSync(path.join(home, 'admin-token'), 'utf8').trim();
  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    port,
    pid: child.pid!,
    home,
    pluginsDir,
    database,
    adminToken,
    output: () => output,
    async admin(method, route, body) {
      const response = await fetch(url + route, {
        method,
        headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json().catch(() => null) };
    },
    async stop({ keepData = false } = {}) {
      if (!stopped) {
        stopped = true;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      if (keepData) return;
      await database.drop();
      const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
      const keys = await redis.keys(`brickyard:${database.name}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      if (!options.home) fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * Serves one plugin folder alone (through a temporary PLUGINS_DIR that links to
 * it): what a plugin's own tests use.
 */
export async function startPluginTestServer(pluginDir: string, options: Omit<TestServerOptions, 'pluginsDir'> = {}): Promise<TestServer> {
  const pluginsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-plugin-'));
  fs.symlinkSync(path.resolve(pluginDir), path.join(pluginsDir, path.basename(pluginDir)), 'dir');
  return startTestServer({ ...options, pluginsDir, env: { PLUGINS_WATCH: 'false', ...options.env } });
}

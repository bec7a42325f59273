import { startTestServer, writePlugin, type TestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';

// 16 keep-alive clients keep requesting a plugin route while it is reloaded 100
// times with new code: no request may fail.
let server: TestServer;
let pluginsDir: string;

beforeAll(async () => {
  pluginsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'brickyard-zero-drop-'));
  writePlugin(pluginsDir, 'steady', {}, 'v0');
  server = await startTestServer({ pluginsDir, workers: 2, env: { PLUGINS_WATCH: 'false' } });
});
afterAll(() => server?.stop());

function get(agent: http.Agent, url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

test('100 code-changing reloads under 16 concurrent keep-alive clients drop no request', { timeout: 300_000 }, async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const url = `${server.url}/api/plugins/steady/`;
  const failures: string[] = [];
  const answers = new Map<string, number>();
  let total = 0;
  let running = true;
  const client = async () => {
    while (running) {
      try {
        const { status, body } = await get(agent, url);
        total++;
        if (status !== 200) failures.push(`${status} ${body}`);
        else answers.set(body, (answers.get(body) ?? 0) + 1);
      } catch (error) {
        failures.push(String(error));
      }
    }
  };
  const clients = Array.from({ length: 16 }, client);

  const entry = path.join(pluginsDir, 'steady', 'server', 'index.ts');
  const source = fs.readFileSync(entry, 'utf8');
  const reloadFailures: unknown[] = [];
  for (let version = 1; version <= 100; version++) {
    fs.writeFileSync(entry, source.replace('"v0"', `"v${version}"`));
    const reply = await server.admin('POST', '/api/admin/reload');
    if (reply.status !== 200 || !reply.body.ok || reply.body.converged.length !== 2) reloadFailures.push(reply.body);
  }
  // After the last reload, every worker serves the last version.
  const last = await get(agent, url);
  running = false;
  await Promise.all(clients);
  agent.destroy();

  expect(reloadFailures).toEqual([]);
  expect(failures).toEqual([]);
  expect(JSON.parse(last.body)).toEqual({ answer: 'v100' });
  const versions = [...answers.keys()].map((body) => JSON.parse(body).answer as string);
  expect(versions.every((v) => /^v\d+$/.test(v))).toBe(true);
  expect(versions.length).toBeGreaterThan(50); // the clients saw the code change again and again
  expect(total).toBeGreaterThan(1000);
});

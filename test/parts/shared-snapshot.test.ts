import { createTestDatabase, startTestServer, type TestServer } from '@brickyard/testing';
import { afterAll, beforeAll, expect, test } from 'vitest';

// Several instances, one copy of the parts data: a second instance on a new app
// database whose SNAPSHOT_DATABASE names an existing snapshot serves every part
// from its first request (its weights are computed before the parts routes mount).
let first: TestServer;
let second: TestServer;

beforeAll(async () => {
  first = await startTestServer({ env: { PLUGINS_WATCH: 'false', PARTS_DEMO_DATA: 'true' } });
  second = await startTestServer({
    database: await createTestDatabase('second'),
    env: { PLUGINS_WATCH: 'false', SNAPSHOT_DATABASE: `${first.database.name}_igem` },
  });
});
afterAll(async () => {
  await second?.stop();
  await first?.stop();
});

test('a second instance sharing an existing snapshot serves every part at once', async () => {
  const list = async (server: TestServer, page: number) => (await (await fetch(`${server.url}/api/parts?max_results=100&sort=name&page=${page}`)).json()) as any;
  const all = async (server: TestServer) => {
    const first = await list(server, 1);
    const items = [...first.items];
    for (let page = 2; items.length < first.total; page++) items.push(...(await list(server, page)).items);
    return { total: first.total, items };
  };
  const [a, b] = [await all(first), await all(second)];
  expect(a.total).toBeGreaterThan(50);
  expect(b.total).toBe(a.total);
  expect(b.items.map((p: { part_name: string }) => p.part_name)).toEqual(a.items.map((p: { part_name: string }) => p.part_name));
  for (const part of a.items) {
    const detail = await fetch(`${second.url}/api/parts/${part.part_name}`);
    expect(detail.status).toBe(200);
    expect(((await detail.json()) as any).weight.value).toEqual(expect.any(Number));
  }
  // It did not import: one snapshot, the first instance's.
  const imports = (await second.admin('GET', '/api/admin/parts/imports')).body;
  expect(imports).toEqual([]);
});

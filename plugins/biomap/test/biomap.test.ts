import { startPluginTestServer, type TestServer } from '@brickyard/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// BioMap against a real server over the demo snapshot: its graphs are checked
// against the part pages' own "subparts" and "used in" data, read through the
// parts API, and then against a new import that adds a composite part.
let server: TestServer;

const api = async (route: string) => {
  const response = await fetch(server.url + route);
  return { status: response.status, body: (await response.json()) as any };
};
const graph = async (route: string) => {
  const { status, body } = await api(`/api/plugins/biomap/${route}`);
  expect(status, JSON.stringify(body)).toBe(200);
  return body as { nodes: { id: string; group: number }[]; edges: { source: string; target: string; value: number }[]; too_large: boolean };
};
/** A graph as comparable sets: node → group, and edges. */
const shape = (g: { nodes: { id: string; group: number }[]; edges: { source: string; target: string; value: number }[] }) => ({
  nodes: Object.fromEntries(g.nodes.map((n) => [n.id, n.group])),
  edges: g.edges.map((e) => `${e.source} > ${e.target} (${e.value})`).sort(),
});

/** What the part pages say, walked breadth first: specified subparts going down, "used in" going up. */
async function fromPartPages(root: string, depth: number, direction: 'down' | 'up') {
  const nodes: Record<string, number> = { [root]: depth };
  const edges = new Set<string>();
  let frontier = [root];
  for (let level = 1; level <= depth; level++) {
    const next: string[] = [];
    for (const name of frontier) {
      const { body } = await api(`/api/parts/${name}`);
      const neighbours: string[] = direction === 'down' ? body.subparts.specified.map((s: any) => s.part_name) : body.used_in.map((p: any) => p.part_name);
      for (const other of neighbours.filter(Boolean)) {
        if (!(other in nodes)) {
          nodes[other] = depth - level;
          next.push(other);
        }
        edges.add(direction === 'down' ? `${name} > ${other} (1)` : `${other} > ${name} (1)`);
      }
    }
    frontier = next;
  }
  return { nodes, edges: [...edges].sort() };
}

beforeAll(async () => {
  server = await startPluginTestServer(path.resolve(import.meta.dirname, '..'), { env: { PARTS_DEMO_DATA: 'true', JOB_WORKERS: '1' } });
});
afterAll(() => server?.stop());

test('it asks for no capability: the platform\'s parts reader is all it reads, so it mounts with nothing granted', async () => {
  const plugins = (await server.admin('GET', '/api/admin/plugins')).body as any[];
  expect(plugins.find((p) => p.name === 'biomap')).toMatchObject({ status: 'active', capabilities: { requested: [], granted: [] } });
});

describe('over the demo snapshot', () => {
  test('the subparts graph of a composite part is what its part page says, level by level', async () => {
    for (const part of ['BBa_I20270', 'BBa_B0015']) {
      const g = await graph(`${part}/analyze`);
      expect(g.too_large).toBe(false);
      expect(shape(g)).toEqual(await fromPartPages(part, 100, 'down'));
    }
    const g = await graph('BBa_I20270/analyze');
    expect(g.nodes[0]).toMatchObject({ id: 'BBa_I20270', group: 100, type: 'Measurement' });
    expect(g.nodes.map((n) => n.id)).toEqual(['BBa_I20270', 'BBa_J23151', 'BBa_B0032', 'BBa_E0040', 'BBa_B0010', 'BBa_B0012']); // in the part's order
  });

  test('the "used in" graph is what the part pages say, two levels up', async () => {
    for (const part of ['BBa_B0010', 'BBa_J23151']) {
      const g = await graph(`${part}/analyze_reverse`);
      expect(g.too_large).toBe(false);
      expect(shape(g)).toEqual(await fromPartPages(part, 2, 'up'));
    }
    expect(shape(await graph('BBa_B0010/analyze_reverse')).nodes).toEqual({ BBa_B0010: 2, BBa_B0015: 1, BBa_I20270: 1 });
  });

  test('a basic part is a graph of one node', async () => {
    expect(await graph('BBa_B0034/analyze')).toEqual({ nodes: [{ id: 'BBa_B0034', group: 100, type: 'RBS', desc: expect.any(String) }], edges: [], too_large: false });
  });

  test('depth limits what is walked; group is the depth left below a node', async () => {
    expect(shape(await graph('BBa_I20270/analyze?depth=1')).nodes).toEqual({
      BBa_I20270: 1, BBa_J23151: 0, BBa_B0032: 0, BBa_E0040: 0, BBa_B0010: 0, BBa_B0012: 0,
    });
    expect(shape(await graph('BBa_B0010/analyze_reverse?depth=1')).nodes).toEqual({ BBa_B0010: 1, BBa_B0015: 0, BBa_I20270: 0 });
  });

  test('a part used by more parts than BIOMAP_USED_IN_CAP keeps the first ones and says too_large', async () => {
    const anonymous = await fetch(`${server.url}/api/admin/config/BIOMAP_USED_IN_CAP`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"value":1}' });
    expect(anonymous.status).toBe(401);
    expect((await server.admin('PUT', '/api/admin/config/BIOMAP_USED_IN_CAP', { value: 0 })).status).toBe(400);
    expect((await server.admin('PUT', '/api/admin/config/BIOMAP_USED_IN_CAP', { value: 1 })).body.reload.ok).toBe(true);
    try {
      const started = Date.now();
      const capped = await graph('BBa_B0010/analyze_reverse');
      expect(Date.now() - started).toBeLessThan(2000);
      expect(capped.too_large).toBe(true);
      expect(shape(capped)).toEqual({ nodes: { BBa_B0010: 2, BBa_B0015: 1 }, edges: ['BBa_B0015 > BBa_B0010 (1)'] }); // the first by name
      expect((await graph('BBa_J23151/analyze_reverse')).too_large).toBe(false); // used once: within the cap
    } finally {
      await server.admin('DELETE', '/api/admin/config/BIOMAP_USED_IN_CAP');
    }
    expect((await graph('BBa_B0010/analyze_reverse')).too_large).toBe(false);
  });

  test('a graph stops at BIOMAP_MAX_NODES and says too_large', async () => {
    expect((await server.admin('PUT', '/api/admin/config/BIOMAP_MAX_NODES', { value: 3 })).body.reload.ok).toBe(true);
    try {
      const g = await graph('BBa_I20270/analyze');
      expect(g.too_large).toBe(true);
      expect(g.nodes.map((n) => n.id)).toEqual(['BBa_I20270', 'BBa_J23151', 'BBa_B0032']);
      expect(g.edges.every((e) => g.nodes.some((n) => n.id === e.target))).toBe(true);
    } finally {
      await server.admin('DELETE', '/api/admin/config/BIOMAP_MAX_NODES');
    }
  });
});

describe('refusals', () => {
  test('an unknown part is a 404 naming it', async () => {
    for (const route of ['BBa_NOPE1/analyze', 'BBa_NOPE1/analyze_reverse']) {
      const { status, body } = await api(`/api/plugins/biomap/${route}`);
      expect(status).toBe(404);
      expect(body).toMatchObject({ code: 'not_found', message: 'no part BBa_NOPE1 in the snapshot' });
    }
  });

  test('a name that cannot be a part, or a depth out of range, is a 400 saying what to send', async () => {
    const cases: [string, RegExp][] = [
      [`${encodeURIComponent('BBa B0015')}/analyze`, /is not a part name: use letters, digits/],
      [`${encodeURIComponent('<b>x')}/analyze_reverse`, /is not a part name/],
      ['BBa_B0015/analyze?depth=0', /depth: at least 1 \(send \?depth=1 to 100, or nothing\)/],
      ['BBa_B0015/analyze?depth=101', /depth: at most 100/],
      ['BBa_B0015/analyze?depth=two', /depth: a whole number from 1 to 100/],
      ['BBa_B0015/analyze?depth=1.5', /depth: a whole number from 1 to 100/],
      ['BBa_B0010/analyze_reverse?depth=3', /depth: at most 2 \(send \?depth=1 or 2, or nothing\)/],
      ['BBa_B0015/analyze?deep=1', /unrecognized key/i],
    ];
    for (const [route, message] of cases) {
      const { status, body } = await api(`/api/plugins/biomap/${route}`);
      expect(status, route).toBe(400);
      expect(body.code).toBe('invalid_params');
      expect(body.message, route).toMatch(message);
    }
  });
});

describe('after a new import', () => {
  test('the graphs follow the snapshot: a new composite part and its place in the "used in" graph', async () => {
    expect((await api('/api/plugins/biomap/BBa_K9990001/analyze')).status).toBe(404);
    // The demo dump plus one composite part built from BBa_B0015 and BBa_I20270 (by their ids in the dump).
    const demo = zlib.gunzipSync(fs.readFileSync(path.resolve(import.meta.dirname, '..', '..', '..', 'data', 'demo', 'parts-demo.sql.gz'))).toString('latin1');
    const id = (name: string) => /\((\d+),1,'([^']+)'/g.exec(demo.slice(demo.indexOf(`,1,'${name}'`) - 12))![1];
    const children = `_${id('BBa_B0015')}_${id('BBa_I20270')}_`;
    const added = `INSERT INTO \`parts\` (part_id, ok, part_name, short_desc, description, part_type, status, specified_u_list, deep_u_list, source, sequence, sequence_length)
      VALUES (9990001, 1, 'BBa_K9990001', 'terminated measurement device', '', 'Composite', 'Available', '${children}', '${children}', '', '${'acgt'.repeat(20)}', 80);\n`;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'biomap-')), 'parts.sql.gz');
    fs.writeFileSync(file, zlib.gzipSync(Buffer.from(demo + added, 'latin1')));
    const submitted = await server.admin('POST', '/api/admin/parts/import', { source: file });
    expect(submitted.status).toBe(202);
    for (let i = 0; ; i++) {
      const task: any = (await server.admin('GET', `/api/tasks/${submitted.body.id}`)).body;
      if (task.state === 'succeeded') break;
      if ((task.state !== 'queued' && task.state !== 'running') || i > 300) throw new Error(JSON.stringify(task));
      await new Promise((r) => setTimeout(r, 200));
    }

    const down = await graph('BBa_K9990001/analyze');
    expect(shape(down)).toEqual(await fromPartPages('BBa_K9990001', 100, 'down'));
    expect(shape(down).nodes).toEqual({
      BBa_K9990001: 100, BBa_B0015: 99, BBa_I20270: 99, BBa_B0010: 98, BBa_B0012: 98, BBa_J23151: 98, BBa_B0032: 98, BBa_E0040: 98,
    });
    expect(shape(await graph('BBa_K9990001/analyze?depth=1')).nodes).toEqual({ BBa_K9990001: 1, BBa_B0015: 0, BBa_I20270: 0 });

    const up = await graph('BBa_B0010/analyze_reverse');
    expect(shape(up)).toEqual(await fromPartPages('BBa_B0010', 2, 'up'));
    expect(shape(up).nodes).toEqual({ BBa_B0010: 2, BBa_B0015: 1, BBa_I20270: 1, BBa_K9990001: 0 });
    expect(shape(up).edges).toEqual(['BBa_B0015 > BBa_B0010 (1)', 'BBa_I20270 > BBa_B0010 (1)', 'BBa_K9990001 > BBa_B0015 (1)', 'BBa_K9990001 > BBa_I20270 (1)']);
  });
});

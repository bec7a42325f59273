import { startPluginTestServer, type TestServer } from '@brickyard/testing';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';

// BioCircuit's API against a real server.
let server: TestServer;
beforeAll(async () => {
  server = await startPluginTestServer(path.resolve(import.meta.dirname, '..'));
});
afterAll(() => server?.stop());

/** A response whose JSON body the tests read freely. */
type Reply = Omit<Response, 'json'> & { json(): Promise<any> };
const api = (route: string, init?: RequestInit) => fetch(`${server.url}/api/plugins/biocircuit/${route}`, init) as Promise<Reply>;
const post = (route: string, body: unknown) => api(route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

test('designs circuits of measured gates for a table, best ON/OFF first, in Biohub’s shape', async () => {
  const started = performance.now();
  const response = await api('biocircuit/00010111'); // majority of three
  const elapsed = performance.now() - started;
  expect(response.status).toBe(200);
  expect(response.headers.get('server-timing')).toMatch(/^design;dur=\d+/);
  const circuits: any[] = await response.json();
  expect(circuits.length).toBeGreaterThanOrEqual(2);
  expect(circuits.length).toBeLessThanOrEqual(5);
  for (const c of circuits) {
    expect(c.nodes.slice(0, 3)).toEqual(['INPUT', 'INPUT', 'INPUT']);
    expect(c.nodes.slice(3).every((id: string) => /^[A-Z]\d_\w+$/.test(id))).toBe(true);
    for (const arc of c.arcs) expect(arc.to).toBeGreaterThan(arc.from);
    expect(c.output).toBe(c.nodes.length - 1);
    expect(c.rows.map((r: any) => r.logic).join('')).toBe('00010111');
    expect(c.onOff).toBeGreaterThan(1);
    expect(c.score).toBe(c.onOff);
    expect(c.sensors).toEqual(['pTac', 'pTet', 'pBAD']);
    expect(c.dna.sequence.length).toBeGreaterThan(1000);
    expect(c.dna.features.some((f: any) => f.feature_type === 'cds')).toBe(true);
  }
  const scores = circuits.map((c) => c.score);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
  expect(elapsed).toBeLessThan(3000); // interactive even on a loaded machine; the design's own time is in server-timing
});

test('exports a circuit as GenBank', async () => {
  const circuits: any[] = await (await api('biocircuit/0001')).json();
  const response = await api('biocircuit/0001/genbank?circuit=0');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="circuit_\w+\.gb"/);
  const text = await response.text();
  expect(text).toMatch(/^LOCUS {7}\S+\s+\d+ bp {4}DNA {5}linear/);
  expect(text).toContain(`${circuits[0].dna.sequence.length} bp`);
  expect(text).toMatch(/\n {5}CDS {13}\d+\.\.\d+\n {21}\/label="/);
  expect(text.split('ORIGIN\n')[1].replace(/[\s\d/]/g, '')).toBe(circuits[0].dna.sequence.toLowerCase());
  expect(text.trimEnd().endsWith('//')).toBe(true);
  // The table 01 is input v0 itself: offered through two NOTs (a wider ON/OFF), and as the bare sensor, which has no DNA.
  const buffered: any[] = await (await api('biocircuit/01')).json();
  expect(buffered[0].nodes).toHaveLength(3);
  const bare = buffered.findIndex((c) => c.nodes.length === 1);
  expect(buffered[bare].onOff).toBeCloseTo(2.8 / 0.0034, 0); // pTac's high ÷ low
  const sensor = await api(`biocircuit/01/genbank?circuit=${bare}`);
  expect(sensor.status).toBe(404);
  expect((await sensor.json()).message).toMatch(/sensor itself: it has no DNA/);
  const missing = await api('biocircuit/0001/genbank?circuit=50');
  expect(missing.status).toBe(404);
  expect((await missing.json()).message).toMatch(/ask for circuit 0 to/);
});

test('parity mode gives Biohub’s documented scores for 11--', async () => {
  const circuits: any[] = await (await api('biocircuit/11--?mode=parity')).json();
  expect(circuits.map((c) => c.score)).toEqual([10, 10, 16.5, 16.5, 17.5]);
  expect(circuits[0]).toMatchObject({ nodes: ['INPUT', 'INPUT', 'NOT3', 'OR0'] });
  expect(circuits[0].arcs).toEqual(expect.arrayContaining([{ from: 0, to: 2 }, { from: 2, to: 3 }, { from: 0, to: 3 }]));
});

test('refuses invalid tables with the reason', async () => {
  for (const [truth, reason] of [
    ['101', /3 rows: it needs a power of two/],
    ['1---', /defines 1 row: it needs at least two/],
    ['10101010101010101010101010101010', /5 inputs/],
    ['10z1', /only hold 1, 0 and -/],
  ] as const) {
    for (const mode of ['', '?mode=parity']) {
      const response = await api(`biocircuit/${truth}${mode}`);
      expect(response.status, truth).toBe(400);
      expect((await response.json()).message).toMatch(reason);
    }
  }
  expect((await api('biocircuit/0001?mode=fast')).status).toBe(400);
});

test('turns expressions into tables, and refuses bad ones', async () => {
  expect(await (await api(`table?expression=${encodeURIComponent('a & !b')}`)).json()).toEqual({ table: '0010', n: 2 });
  const refused = await api(`table?expression=${encodeURIComponent('a & e')}`);
  expect(refused.status).toBe(400);
  expect((await refused.json()).message).toMatch(/4 inputs at most/);
});

test('lists the gate library with its groups and sensors', async () => {
  const library: any = await (await api('gates')).json();
  expect(library.gates).toHaveLength(21);
  expect(library.gates[0]).toMatchObject({ name: 'P3_PhlF', group: 'PhlF', promoter: 'pPhlF', K: expect.any(Number), n: expect.any(Number) });
  expect(library.sensors).toHaveLength(4);
  expect(library.citation).toMatch(/Science 352/);
});

test('scores: Biohub’s gate ids, or a circuit of Cello gates with its arcs', async () => {
  expect(await (await post('score', { nodes: ['INPUT', 'OR0', 'NOT6'] })).json()).toEqual({ status: 'SUCCESS', score: 16.5 });
  const unknown = await post('score', { nodes: ['INPUT', 'XOR9'] });
  expect(unknown.status).toBe(400);
  expect((await unknown.json()).message).toMatch(/"XOR9" is not a gate of the parity library/);

  // NOT(NOT a NOR NOT b) = a AND b, built by hand.
  const and = { nodes: ['INPUT', 'INPUT', 'A1_AmtR', 'P3_PhlF', 'S2_SrpR'], arcs: [{ from: 0, to: 2 }, { from: 1, to: 3 }, { from: 2, to: 4 }, { from: 3, to: 4 }] };
  const scored: any = await (await post('score', and)).json();
  expect(scored).toMatchObject({ status: 'SUCCESS', table: '0001' });
  expect(scored.onOff).toBeGreaterThan(1);
  const sameGroup = await post('score', { ...and, nodes: ['INPUT', 'INPUT', 'P1_PhlF', 'P3_PhlF', 'S2_SrpR'] });
  expect(sameGroup.status).toBe(400);
  expect((await sameGroup.json()).message).toMatch(/one repressor group/);
  const backwards = await post('score', { ...and, arcs: [{ from: 4, to: 2 }] });
  expect(backwards.status).toBe(400);
});

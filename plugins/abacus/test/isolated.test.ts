import { compilePlugin } from '@brickyard/kernel';
import type { PluginContext } from '@brickyard/sdk';
import { runIsolated, type TaskKind } from '@brickyard/tasks';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { designTask, inputKey, outputKey, type DesignResult } from '../server/design.task';
import { deriveTask, type DeriveResult } from '../server/derive.task';
import { parsePdb, sequenceOf } from '../server/designer/pdb';
import { abacusSettings } from '../server/settings';
import { CRAMBIN_PDB, GFP_PDB } from './helpers';

// The design task as the job worker runs it: `isolated`, in a worker thread that loads the
// plugin's compiled code and reaches the plugin's store, settings and notices through this
// thread (a store kept in a Map here; the API tests run it against Redis).
const pluginDir = path.resolve(import.meta.dirname, '..');
const store = new Map<string, string>();
const notices: { users: unknown; message: string }[] = [];
let kind: TaskKind;

beforeAll(async () => {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'abacus-isolated-'));
  const buildDir = await compilePlugin(pluginDir, 'abacus', 'test', cacheDir);
  const plugin = {
    name: 'abacus',
    settings: { get: (key: keyof typeof abacusSettings) => abacusSettings[key].default },
    store: {
      get: async (key: string) => store.get(key) ?? null,
      set: async (key: string, value: string) => (store.set(key, value), true),
      delete: async (key: string) => void store.delete(key),
      increment: async () => 1,
    },
    notices: { send: async (users: unknown, notice: { message: string }) => (notices.push({ users, message: notice.message }), 1), remove: async () => 0 },
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  } as unknown as PluginContext;
  kind = { kind: 'abacus.design', definition: designTask, plugin, source: { buildDir, sourceDir: pluginDir, entry: 'server/index.js', name: 'design', platformLibraries: true } };
}, 60_000);

function upload(pdb: Buffer): string {
  const id = randomUUID();
  store.set(inputKey(id), pdb.toString());
  return id;
}

test('a design runs in its thread: the structure comes from the store, the output goes to it, the owner gets a notice', async () => {
  expect(designTask.isolated).toBe(true); // so the job worker runs it this way
  const taskId = randomUUID();
  const messages: string[] = [];
  const result = (await runIsolated(kind, { input: upload(CRAMBIN_PDB), name: '1crn.pdb', seed: 1, sweeps: 20 }, { id: taskId, attempt: 1, owner: 'user-1' }, new AbortController().signal, (_p, m) => messages.push(m!))) as DesignResult;
  expect(result).toMatchObject({ engine: 'built-in', native: sequenceOf(parsePdb(CRAMBIN_PDB.toString())) });
  expect(result.designed).toMatch(/^[ACDEFGHIKLMNPQRSTVWY]{46}$/);
  expect(sequenceOf(parsePdb(store.get(outputKey(taskId))!))).toBe(result.designed);
  expect(messages.at(-1)).toMatch(/^annealing step 920 of 920, energy -?\d+\.\d$/);
  expect(notices).toEqual([{ users: ['user-1'], message: expect.stringMatching(/^ABACUS designed 1crn.pdb: 46 residues/) }]);
}, 60_000);

test('a long design leaves this event loop free; cancel ends it at once and its thread stops', async () => {
  // Inline, 50,000 sweeps of GFP (460 residues) would hold the loop for about a second between two reports.
  let last = performance.now();
  let longestGap = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
  }, 5);
  const controller = new AbortController();
  const messages: string[] = [];
  const running = runIsolated(kind, { input: upload(GFP_PDB), name: '1gfl.pdb', seed: 1, sweeps: 50_000 }, { id: randomUUID(), attempt: 1, owner: 'user-1' }, controller.signal, (_p, m) => messages.push(m!));
  running.catch(() => {});
  while (messages.length < 3) await new Promise((r) => setTimeout(r, 20));
  clearInterval(ticker);
  expect(messages[2]).toMatch(/^annealing step [\d,]+ of [\d,]+, energy -?\d+\.\d$/);
  expect(longestGap).toBeLessThan(150);
  const cancelledAt = performance.now();
  controller.abort(new Error('cancelled'));
  await expect(running).rejects.toThrow('cancelled');
  expect(performance.now() - cancelledAt).toBeLessThan(50);
  // The thread is gone within its grace: this process stops using a core for it.
  await new Promise((r) => setTimeout(r, 1000));
  const cpu = process.cpuUsage();
  await new Promise((r) => setTimeout(r, 500));
  const used = process.cpuUsage(cpu);
  expect((used.user + used.system) / 1000 / 500).toBeLessThan(0.3);
  expect(messages.length).toBeLessThan(6); // no progress after the cancel
}, 60_000);

test('abacus.derive-tables derives the statistics again in its thread: they are the shipped tables', async () => {
  const derive: TaskKind = { ...kind, kind: 'abacus.derive-tables', definition: deriveTask, source: { ...kind.source!, name: 'derive-tables' } };
  const messages: string[] = [];
  const result = (await runIsolated(derive, {}, { id: randomUUID(), attempt: 1, owner: 'admin' }, new AbortController().signal, (_p, m) => messages.push(m!))) as DeriveResult;
  expect(result).toEqual({ structures: 35, residues: 19_494, sameAsShipped: true, differ: [] });
  expect(messages.at(-1)).toBe('structure 35 of 35');
  expect(deriveTask).toMatchObject({ access: 'admin', isolated: true });
}, 120_000);

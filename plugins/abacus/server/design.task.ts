import { defineTask, noticeLink, type PluginContext, type TaskContext } from '@brickyard/sdk';
import { z } from 'zod';
import { design } from './designer/anneal';
import { features as backboneFeatures } from './designer/features';
import { parsePdb, sequenceOf, writePdb } from './designer/pdb';
import { externalAvailable, runExternal } from './external';

export const constraintsSchema = z
  .object({
    keepNative: z.array(z.string().regex(/^[A-Za-z0-9]?-?\d+[A-Za-z]?$/)).max(3000).optional(),
    forbid: z.string().regex(/^[ACDEFGHIKLMNPQRSTVWY]{0,19}$/, 'one-letter amino acids').optional(),
    forbidAt: z.record(z.string().regex(/^[A-Za-z0-9]?-?\d+[A-Za-z]?$/), z.string().regex(/^[ACDEFGHIKLMNPQRSTVWY]{1,20}$/)).optional(),
  })
  .strict();

export const designParams = z
  .object({
    /** Key of the uploaded structure in the plugin's store. */
    input: z.string().uuid(),
    /** The uploaded file's name, for notices. */
    name: z.string().min(1).max(200),
    seed: z.number().int().min(0).max(2 ** 31).default(1),
    sweeps: z.number().int().min(1).max(50_000).optional(),
    constraints: constraintsSchema.optional(),
  })
  .strict();
export type DesignParams = z.infer<typeof designParams>;

export interface DesignResult {
  name: string;
  engine: 'built-in' | 'abacus';
  native: string;
  designed: string;
  energy: number | null;
  /** Per residue: H, E, C or L (from the dihedrals). */
  ss: string;
  /** Per residue: burial 0 (exposed) … 9 (buried). */
  burial: string;
  /** Share of residues where the design kept the native amino acid, 0–1. */
  recovery: number;
}

/** 23000000 as 23,000,000: step counts of large designs are read by people. */
const count = (n: number) => n.toLocaleString('en-US');

export const inputKey = (id: string) => `input:${id}`;
export const outputKey = (taskId: string) => `output:${taskId}`;
const KEEP_MS = 7 * 24 * 3600_000;

/**
 * Task "abacus.design" on the queue `abacus`: any job worker serving that queue runs it
 * (`npx brickyard worker --queues abacus` on another machine sharing MySQL and Redis).
 * Isolated: the annealing is CPU-bound, so it runs in a worker thread that cancel terminates.
 * The structure and the designed PDB are too large for task params and results
 * (TASKS_MAX_PAYLOAD_BYTES), so they pass through the plugin's store, which an isolated
 * thread reaches through its parent (`task.plugin`: store, settings, notices, logger).
 */
export const designTask = defineTask({
  access: 'user',
  queue: 'abacus',
  params: designParams,
  timeoutMs: 6 * 3600_000, // the real limit is ABACUS_TIMEOUT_MS, applied in run
  onWorkerLoss: 'retry',
  isolated: true,
  async run(params, task): Promise<DesignResult> {
    const plugin = task.plugin!;
    const user = task.identity.userId;
    const notify = (message: string) =>
      user && task.identity.role !== 'anonymous' && !user.startsWith('plugin:') && user !== 'admin'
        ? plugin.notices.send([user], { category: 'ABACUS', message, target: { type: 'abacus', id: task.taskId } }).catch(() => 0)
        : Promise.resolve(0);
    try {
      const result = await runDesign(params, task, plugin);
      const percent = Math.round(result.recovery * 100);
      await notify(`ABACUS designed ${params.name}: ${result.designed.length} residues, ${percent} % kept native. ${noticeLink('See the design', 'abacus', task.taskId)}`);
      return result;
    } catch (error) {
      const message = (error as Error).message;
      if (message !== 'cancelled') await notify(`ABACUS could not design ${params.name}: ${message}`);
      throw error;
    }
  },
});

async function runDesign(params: DesignParams, task: TaskContext, plugin: PluginContext): Promise<DesignResult> {
  const pdb = await plugin.store.get(inputKey(params.input));
  if (pdb === null) throw new Error('the uploaded structure is no longer stored: upload it again');
  const residues = parsePdb(pdb);
  const settings = plugin.settings;
  const external = { java: settings.get('ABACUS_JAVA'), jar: settings.get('ABACUS_JAR_PATH'), database: settings.get('ABACUS_DATABASE_PATH') };
  const timeoutMs = settings.get('ABACUS_TIMEOUT_MS');
  let designed: string;
  let energy: number | null;
  let features: { ss: string; neighbours: number[] };
  let output: string;
  let engine: DesignResult['engine'];
  const signal = AbortSignal.any([task.signal, AbortSignal.timeout(timeoutMs)]);
  if (externalAvailable(external)) {
    engine = 'abacus';
    await task.progress(1, 'ABACUS started');
    const ran = await runExternal(pdb, { ...external, timeoutMs }, task.signal, (s) => void task.progress(Math.min(95, s / 6), `ABACUS running for ${s} s`).catch(() => {}));
    const out = parsePdb(ran.pdb);
    if (out.length !== residues.length) throw new Error(`ABACUS's output has ${out.length} residues, the input ${residues.length}`);
    designed = sequenceOf(out);
    energy = ran.energy;
    output = ran.pdb;
    features = backboneFeatures(residues);
  } else {
    engine = 'built-in';
    const result = await design(residues, {
      seed: params.seed,
      sweeps: params.sweeps ?? settings.get('ABACUS_SWEEPS'),
      constraints: params.constraints,
      signal,
      onProgress: async ({ step, steps, energy }) => {
        await task.progress((step / steps) * 99, `annealing step ${count(step)} of ${count(steps)}, energy ${energy.toFixed(1)}`);
        await new Promise((resolve) => setImmediate(resolve)); // lets the thread hear its parent abort it
      },
    }).catch((error) => {
      if (task.signal.aborted) throw new Error('cancelled');
      if (signal.aborted) throw new Error(`the design did not finish within ${Math.round(timeoutMs / 1000)} s`);
      throw error;
    });
    designed = result.designed;
    energy = +result.energy.toFixed(2);
    features = result;
    output = writePdb(residues, designed, `designed by the Brickyard ABACUS plugin from ${params.name}`);
  }
  await plugin.store.set(outputKey(task.taskId), output, { ttlMs: KEEP_MS });
  const native = sequenceOf(residues);
  const max = Math.max(1, ...features.neighbours);
  return {
    name: params.name,
    engine,
    native,
    designed,
    energy,
    ss: features.ss,
    burial: features.neighbours.map((n) => Math.min(9, Math.floor((n / max) * 10))).join(''),
    recovery: [...designed].filter((a, i) => a === native[i]).length / native.length,
  };
}

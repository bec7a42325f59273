import { defineTask } from '@brickyard/sdk';
import { z } from 'zod';
import { deriveTables } from '../tools/structures';
import { tables } from './designer/tables';

export interface DeriveResult {
  structures: number;
  residues: number;
  /** The tables derived now equal the shipped ones (server/designer/tables.ts). */
  sameAsShipped: boolean;
  /** The tables that differ, if any. */
  differ: string[];
}

/**
 * Task "abacus.derive-tables" (admins): derives the designer's statistics again from the
 * structures shipped with the plugin (data/structures/, licences in its SOURCE.md) and
 * says whether they are the shipped tables. `tools/derive-tables.ts` runs the same
 * derivation to write them. Isolated: reading 35 structures is a few seconds of CPU.
 */
export const deriveTask = defineTask({
  access: 'admin',
  queue: 'abacus',
  params: z.object({}).strict().default({}),
  isolated: true,
  timeoutMs: 10 * 60_000,
  async run(_params, task): Promise<DeriveResult> {
    const derived = deriveTables((done, total) => void task.progress((done / total) * 100, `structure ${done + 1} of ${total}`).catch(() => {}));
    const shipped = tables as Record<string, unknown>;
    const differ = Object.entries(derived)
      .filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(shipped[key]))
      .map(([key]) => key);
    return { structures: derived.provenance.from.length, residues: derived.provenance.residues, sameAsShipped: differ.length === 0, differ };
  },
});

import { defineSetting } from '@brickyard/sdk';
import { z } from 'zod';

/** The ABACUS plugin's settings (environment variables; section "abacus" of GET /api/admin/config). */
export const abacusSettings = {
  ABACUS_JAR_PATH: defineSetting({
    default: '',
    schema: z.string().max(1000),
    description: 'The ABACUS program (a .jar). With ABACUS_DATABASE_PATH set and `java` working, designs run it instead of the built-in designer.',
  }),
  ABACUS_DATABASE_PATH: defineSetting({
    default: '',
    schema: z.string().max(1000),
    description: "ABACUS's database folder (its -dir argument).",
  }),
  ABACUS_JAVA: defineSetting({ default: 'java', schema: z.string().min(1).max(1000), description: 'The java command that runs ABACUS.' }),
  ABACUS_TIMEOUT_MS: defineSetting({
    default: 20 * 60_000,
    schema: z.coerce.number().int().min(1000).max(6 * 3600_000),
    description: 'How long one design may take; the ABACUS process is killed past it.',
  }),
  ABACUS_MAX_UPLOAD_BYTES: defineSetting({ default: 5 * 1024 * 1024, schema: z.coerce.number().int().min(1024).max(100 * 1024 * 1024), description: 'Largest PDB file accepted.' }),
  ABACUS_MAX_RESIDUES: defineSetting({ default: 2000, schema: z.coerce.number().int().min(10).max(3000), description: 'Most residues a structure to design may have.' }),
  ABACUS_SWEEPS: defineSetting({
    default: 200,
    schema: z.coerce.number().int().min(1).max(5000),
    description: 'Annealing sweeps of the built-in designer (one sweep = one move per residue) when a request does not say.',
  }),
};
export type AbacusSettings = typeof abacusSettings;

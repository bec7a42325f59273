import * as fs from 'node:fs';
import * as path from 'node:path';
import { satisfies, validRange } from 'semver';
import { z } from 'zod';
import { CAPABILITY_HELP, isCapability } from './capabilities';

export const PLUGIN_NAME = /^[a-z][a-z0-9-]{1,40}$/;
/**
 * The version of the plugin API (the SDK and the plugin contract) this Brickyard
 * provides, as a semantic version: a plugin's `brickyard` range must include it.
 */
export const PLATFORM_API_VERSION = '1.0.0';

/** True for an npm semver range (`^1`, `1.x`, `>=1 <2`, `*`, `1.0.0`); an empty range is refused. */
const isBrickyardRange = (range: string) => range.trim() !== '' && validRange(range) !== null;

const relativeFile = (what: string) =>
  z
    .string()
    .min(1)
    .refine((p) => !path.isAbsolute(p) && !p.split(/[\\/]/).includes('..'), `${what} must be a path inside the plugin folder`);

export const manifestSchema = z
  .object({
    name: z.string().regex(PLUGIN_NAME, 'must match [a-z][a-z0-9-]{1,40}'),
    version: z.string().regex(/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/, 'must be a semantic version like 1.0.0'),
    title: z.string().min(1).max(80),
    description: z.string().max(500).optional(),
    author: z.string().max(200).optional(),
    brickyard: z.string().refine(isBrickyardRange, 'must be an npm semver range such as "^1", "1.x" or ">=1 <2"'),
    /** Its server code (definePlugin): compiled with swc, run in every process. */
    server: relativeFile('server').optional(),
    /** Its browser code (defineClientPlugin): compiled with esbuild by the server, imported by every open page. */
    client: relativeFile('client').optional(),
    /** The CLI group its commands live under (`npx brickyard <cli> <command>`); its name by default. */
    cli: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, 'must be a command name like "user"').optional(),
    /** What it needs beyond its own scope (capabilities.ts); an operator grants each. */
    capabilities: z
      .array(z.string().refine(isCapability, { message: `is not a capability: use one of ${CAPABILITY_HELP}` }))
      .max(50)
      .optional(),
  })
  .strict();

export type PluginManifest = z.infer<typeof manifestSchema>;

export class ManifestError extends Error {}

/**
 * Reads and validates `<dir>/plugin.json`. Every problem is reported with the
 * field it concerns, in one message, so a developer can fix them in one go.
 */
export function readManifest(dir: string): PluginManifest {
  const file = path.join(dir, 'plugin.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ManifestError(`plugin.json is missing in ${dir}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`plugin.json is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      if (issue.code === 'unrecognized_keys') return `unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
      const field = issue.path.join('.') || '(root)';
      return `"${field}" ${issue.message === 'Invalid input: expected string, received undefined' ? 'is required' : issue.message}`;
    });
    throw new ManifestError(`plugin.json is invalid: ${problems.join('; ')}`);
  }
  const manifest = parsed.data;
  if (!manifest.server && !manifest.client) {
    throw new ManifestError('plugin.json names neither "server" nor "client": a plugin has server code, client code, or both');
  }
  if (!satisfies(PLATFORM_API_VERSION, manifest.brickyard)) {
    throw new ManifestError(
      `plugin.json asks for platform API ${manifest.brickyard}, but this Brickyard provides ${PLATFORM_API_VERSION}`,
    );
  }
  for (const field of ['server', 'client'] as const) {
    const entry = manifest[field];
    if (entry && !fs.existsSync(path.join(dir, entry))) {
      throw new ManifestError(`plugin.json "${field}" points to ${entry}, which does not exist`);
    }
  }
  return manifest;
}

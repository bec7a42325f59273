import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { ensurePrivateDir } from '@brickyard/config';
import { PluginClientCompileError, PluginClientCompiler } from './plugin-client-compiler';
import { pruneBuildCache } from './plugin-module-loader';

/** A plugin's compiled client, served at a URL that names its content. */
export interface ClientBundle {
  /** `/assets/plugins/<name>/<hash>.js`: never changes content, cached for a year. */
  url: string;
  /** The bundle's file in the cache. */
  file: string;
}

/** Folders of a plugin that never affect its client. */
const SKIPPED = new Set(['node_modules', 'test', 'dist']);
export const BUNDLE_FILE = /^[A-Za-z0-9_-]{16}\.js$/;
export const pluginClientUrl = (name: string, file: string) => `/assets/plugins/${name}/${file}`;

/**
 * Identifies the compiler: its own code and the versions of esbuild and
 * compiler-sfc. A new compiler compiles again, whatever the cache holds.
 */
const COMPILER_KEY = (() => {
  const hash = crypto.createHash('sha256');
  for (const file of ['plugin-client-compiler', 'plugin-client-sfc']) {
    const source = ['.ts', '.js'].map((ext) => path.join(__dirname, file + ext)).find((f) => fs.existsSync(f));
    if (source) hash.update(fs.readFileSync(source));
  }
  for (const pkg of ['esbuild', '@vue/compiler-sfc']) hash.update(String(require(`${pkg}/package.json`).version));
  return hash.digest('hex');
})();

/**
 * Everything the client build could read: the plugin's files but its tests
 * and installed packages (its package files count, so an install is seen).
 * Server files count too (a client may import a shared type): a server edit
 * compiles the client again, but gives the same bundle, URL and page.
 */
function sourceKey(dir: string, entry: string, allowPlatformModules: boolean): string {
  const hash = crypto.createHash('sha256').update(COMPILER_KEY).update(`\0${entry}\0${allowPlatformModules}\0`);
  const walk = (relative: string) => {
    for (const item of fs.readdirSync(path.join(dir, relative), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (item.name.startsWith('.')) continue;
      const rel = relative ? `${relative}/${item.name}` : item.name;
      if (item.isDirectory()) {
        if (!(relative === '' && SKIPPED.has(item.name))) walk(rel);
      } else if (item.isFile()) {
        hash.update(rel).update('\0').update(fs.readFileSync(path.join(dir, rel))).update('\0');
      }
    }
  };
  walk('');
  return hash.digest('hex');
}

/** What a compile of a given source gave: a bundle file, or the error every process reports alike. */
type Outcome = { file: string } | { error: string };

/** Writes atomically: a reader in another process sees the whole file or none. */
async function writeAtomically(file: string, body: string | Buffer): Promise<void> {
  const temporary = `${file}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  await fs.promises.writeFile(temporary, body);
  await fs.promises.rename(temporary, file);
}

/**
 * Plugins' client bundles, compiled by the server and cached in
 * `<cacheDir>/<name>/`: `<hash>.js` (and its gzip) named by content, and
 * `sources/<key>.json` saying what a given set of sources compiled to — a
 * bundle, or an error — so the other processes of the host take the first
 * one's result instead of compiling again.
 */
export class PluginClientBundles {
  private readonly compiler = new PluginClientCompiler();
  /** How many compiles this process ran (the others were found in the cache). */
  compiles = 0;

  constructor(readonly cacheDir: string) {}

  /** The bundle of a plugin's client; throws a PluginClientCompileError (file:line) when it does not compile. */
  async build(name: string, dir: string, entry: string, options: { builtin: boolean }): Promise<ClientBundle> {
    const pluginDir = path.join(this.cacheDir, name);
    const sourcesDir = path.join(pluginDir, 'sources');
    ensurePrivateDir(this.cacheDir);
    ensurePrivateDir(pluginDir);
    ensurePrivateDir(sourcesDir);
    const key = sourceKey(dir, entry, options.builtin);
    const record = path.join(sourcesDir, `${key}.json`);
    let outcome = await readOutcome(record, pluginDir);
    if (!outcome) {
      outcome = await this.compile(name, dir, entry, options.builtin, pluginDir);
      await writeAtomically(record, JSON.stringify(outcome));
    }
    if ('error' in outcome) throw new PluginClientCompileError(outcome.error);
    return { url: pluginClientUrl(name, outcome.file), file: path.join(pluginDir, outcome.file) };
  }

  private async compile(name: string, dir: string, entry: string, allowPlatformModules: boolean, pluginDir: string): Promise<Outcome> {
    let code: string;
    this.compiles++;
    try {
      code = await this.compiler.compile(name, dir, entry, { allowPlatformModules });
    } catch (error) {
      if (error instanceof PluginClientCompileError) return { error: error.message };
      throw error;
    }
    const file = `${crypto.createHash('sha256').update(code).digest('base64url').slice(0, 16)}.js`;
    const target = path.join(pluginDir, file);
    if (!fs.existsSync(target)) {
      await writeAtomically(`${target}.gz`, zlib.gzipSync(code, { level: 9 }));
      await writeAtomically(target, code);
    }
    return { file };
  }

  /** The cached bundle file of `/assets/plugins/<name>/<file>`, if there is one. */
  file(name: string, file: string): string | undefined {
    if (!/^[a-z][a-z0-9-]{1,40}$/.test(name) || !BUNDLE_FILE.test(file)) return undefined;
    const full = path.join(this.cacheDir, name, file);
    return fs.existsSync(full) ? full : undefined;
  }

  /**
   * Forgets plugins no longer found (their esbuild contexts) and prunes the
   * cache of bundles no process uses, past an age at which no open page
   * still waits to import them.
   */
  async tidy(found: ReadonlySet<string>, inUse: ReadonlyMap<string, ClientBundle>): Promise<void> {
    for (const name of this.compiler.names()) if (!found.has(name)) await this.compiler.forget(name);
    for (const [name, bundle] of inUse) {
      const keep = new Set([bundle.file, `${bundle.file}.gz`, path.join(this.cacheDir, name, 'sources')]);
      await pruneBuildCache(this.cacheDir, name, keep, 60 * 60_000);
    }
  }

  close(): Promise<void> {
    return this.compiler.close();
  }
}

async function readOutcome(record: string, pluginDir: string): Promise<Outcome | undefined> {
  try {
    const outcome = JSON.parse(await fs.promises.readFile(record, 'utf8')) as Outcome;
    // A bundle pruned since is compiled again.
    if ('file' in outcome && !fs.existsSync(path.join(pluginDir, outcome.file))) return undefined;
    return outcome;
  } catch {
    return undefined;
  }
}

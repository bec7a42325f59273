import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { getMetadataArgsStorage } from 'typeorm';

/** Packages a plugin always gets from the host: one instance each, shared with the platform. */
const HOST_SHARED = /^(@brickyard\/[a-z-]+|@nestjs\/[a-z-]+(\/.*)?|typeorm(\/.*)?|reflect-metadata|rxjs(\/.*)?)$/;

const hostRoot = path.resolve(__dirname, '..', '..');

interface LoadedBuild {
  buildDir: string;
  sourceDir: string;
  /** Files of the build that were resolved (their require.cache keys), so unloading needs no scan. */
  files: Set<string>;
  /** Keys of Node's resolution cache (`Module._pathCache`) that point into the build. */
  pathKeys: Set<string>;
  /** Built-in plugins may import the platform's feature libraries; others only `@brickyard/sdk`. */
  platformLibraries: boolean;
}

/**
 * The key under which Node's `Module._findPath` caches the resolution of a
 * relative or absolute request (Node 20: request, NUL, the looked-up folder).
 * Bare requests are cached under the host's lookup paths and resolve outside builds.
 */
function pathCacheKey(request: string, parent: Module | undefined): string | undefined {
  if (path.isAbsolute(request)) return `${request}\0`;
  if (request.startsWith('.') && parent?.filename) return `${request}\0${path.dirname(parent.filename)}`;
  return undefined;
}

type ResolveFilename = (request: string, parent: Module | undefined, isMain: boolean, options?: { paths?: string[] }) => string;

const internals = Module as unknown as { _resolveFilename: ResolveFilename; _pathCache: Record<string, string> };

/** Build folders currently loaded, to map a requiring file back to its plugin. */
const builds = new Map<string, LoadedBuild>();

function buildOf(filename: string | undefined | null): LoadedBuild | undefined {
  if (!filename) return undefined;
  for (const build of builds.values()) if (filename.startsWith(build.buildDir + path.sep)) return build;
  return undefined;
}

let installed = false;

/**
 * Makes compiled plugin code resolve its imports: platform packages from the host
 * (so a plugin folder anywhere on disk needs no install step, and shares Nest's
 * and TypeORM's single instances), other packages from the plugin's own folder
 * first, then from the host.
 */
function installResolver(): void {
  if (installed) return;
  installed = true;
  const original = internals._resolveFilename;
  internals._resolveFilename = function resolvePluginImport(request, parent, isMain, options) {
    const build = buildOf(parent?.filename);
    const bare = build && !request.startsWith('.') && !path.isAbsolute(request) && !request.startsWith('node:');
    if (!bare) {
      const filename = original.call(this, request, parent, isMain, options);
      const owner = build ?? buildOf(filename);
      if (owner) {
        owner.files.add(filename);
        const key = pathCacheKey(request, parent);
        if (key && internals._pathCache[key] === filename) owner.pathKeys.add(key);
      }
      return filename;
    }
    if (HOST_SHARED.test(request)) {
      const library = /^@brickyard\/([a-z-]+)$/.exec(request)?.[1];
      if (library && library !== 'sdk' && !build.platformLibraries) {
        throw new Error(`a plugin imports the platform only through @brickyard/sdk, not ${request} (the platform's own library)`);
      }
      return original.call(this, request, parent, isMain, { paths: [hostRoot] });
    }
    try {
      return original.call(this, request, parent, isMain, { paths: [build.sourceDir] });
    } catch {
      return original.call(this, request, parent, isMain, { paths: [hostRoot] });
    }
  };
}

type MetadataArrays = Record<string, unknown[]>;

function metadataArrays(): MetadataArrays {
  const storage = getMetadataArgsStorage() as unknown as Record<string, unknown>;
  const arrays: MetadataArrays = {};
  for (const [key, value] of Object.entries(storage)) if (Array.isArray(value)) arrays[key] = value;
  return arrays;
}

/** A plugin's code, required from its build folder, with what it added to global registries. */
export interface LoadedModule {
  exports: unknown;
  buildDir: string;
  /** TypeORM metadata entries (entities, columns, …) registered while the code loaded. */
  ormEntries: Set<unknown>;
}

/** Requires a compiled plugin entry; on failure, everything it loaded is unloaded again. */
export function loadPluginModule(buildDir: string, sourceDir: string, entry: string, options: { platformLibraries?: boolean } = {}): LoadedModule {
  installResolver();
  builds.set(buildDir, { buildDir, sourceDir, files: new Set(), pathKeys: new Set(), platformLibraries: options.platformLibraries ?? false });
  const before = new Map(Object.entries(metadataArrays()).map(([key, list]) => [key, list.length]));
  const ormEntries = new Set<unknown>();
  const loaded: LoadedModule = { exports: undefined, buildDir, ormEntries };
  try {
    loaded.exports = require(path.join(buildDir, entry));
  } catch (error) {
    collectNewEntries(before, ormEntries);
    unloadPluginModule(loaded);
    throw error;
  }
  collectNewEntries(before, ormEntries);
  return loaded;
}

function collectNewEntries(before: Map<string, number>, into: Set<unknown>): void {
  for (const [key, list] of Object.entries(metadataArrays())) {
    for (const entry of list.slice(before.get(key) ?? 0)) into.add(entry);
  }
}

/**
 * Forgets a plugin build: its modules leave require.cache, Node's resolution
 * cache and their parents' `children`, and its TypeORM metadata entries are
 * pruned, so nothing global keeps its classes alive. The keys were recorded
 * while the build loaded: scanning those caches instead blocked the event loop
 * for milliseconds per reload.
 */
export function unloadPluginModule(loaded: LoadedModule): void {
  const prefix = loaded.buildDir + path.sep;
  const inBuild = (filename: string) => filename.startsWith(prefix);
  const build = builds.get(loaded.buildDir);
  for (const filename of build?.files ?? []) delete require.cache[filename];
  for (const key of build?.pathKeys ?? []) if (inBuild(internals._pathCache[key] ?? '')) delete internals._pathCache[key];
  // Only this loader requires plugin entries, so only its module (and the main module) lists them as children:
  // host modules never `require` plugin files.
  if (module.children.some((child) => inBuild(child.filename))) {
    module.children = module.children.filter((child) => !inBuild(child.filename));
  }
  if (require.main?.children.some((child) => inBuild(child.filename))) {
    require.main.children = require.main.children.filter((child) => !inBuild(child.filename));
  }
  if (loaded.ormEntries.size) {
    for (const list of Object.values(metadataArrays())) {
      for (let i = list.length - 1; i >= 0; i--) if (loaded.ormEntries.has(list[i])) list.splice(i, 1);
    }
    loaded.ormEntries.clear();
  }
  builds.delete(loaded.buildDir);
}

/**
 * Removes a plugin's build folders that this process does not use and that are
 * older than `minAgeMs` (another process of the cluster may still be loading a
 * recent one); without this the cache would only grow.
 */
export async function pruneBuildCache(cacheDir: string, name: string, keep: Set<string>, minAgeMs = 10 * 60_000): Promise<void> {
  const dir = path.join(cacheDir, name);
  let entries: string[];
  try {
    entries = await fs.promises.readdir(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry);
    if (keep.has(full)) continue;
    try {
      if (Date.now() - (await fs.promises.stat(full)).mtimeMs > minAgeMs) await fs.promises.rm(full, { recursive: true, force: true });
    } catch {
      // already removed by another process
    }
  }
}

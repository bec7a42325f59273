import * as path from 'node:path';
import type { BuildContext, BuildFailure, Message, Plugin } from 'esbuild';
import { sfcPlugin } from './plugin-client-sfc';

/** What every page shares through its import map: never bundled into a plugin, so it gets the host's one instance. */
export const SHARED_MODULES: readonly string[] = ['vue', 'vue-router', '@brickyard/client', 'd3'];

/** The platform's own packages: a plugin's client must not bundle them by accident (esbuild looks up parent folders). */
const PLATFORM_MODULES = path.resolve(__dirname, '..', '..', 'node_modules') + path.sep;

export class PluginClientCompileError extends Error {}

/** esbuild resolves again through this plugin; this marks the inner call so it is not intercepted twice. */
const INNER = Symbol('inner resolve');

/**
 * Leaves the shared modules to the page's import map, and refuses packages
 * that resolve into the platform's own node_modules: esbuild's lookup walks
 * up parent folders, so a plugin inside the platform's tree would otherwise
 * bundle the platform's copy silently, and break once moved. Built-in
 * plugins ship with the platform and may use its packages.
 */
function modulesPlugin(allowPlatformModules: boolean): Plugin {
  return {
    name: 'brickyard-modules',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === INNER) return undefined;
        if (SHARED_MODULES.includes(args.path)) return { path: args.path, external: true };
        const shared = SHARED_MODULES.find((name) => args.path.startsWith(`${name}/`));
        if (shared) return { errors: [{ text: `import "${shared}" itself, not "${args.path}": the page shares one ${shared} with every plugin` }] };
        if (args.path.startsWith('@brickyard/')) return { errors: [{ text: `a plugin's client imports the platform only through @brickyard/client, not ${args.path}` }] };
        const resolved = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: INNER });
        if (resolved.errors.length) return { errors: resolved.errors };
        if (!allowPlatformModules && resolved.path.startsWith(PLATFORM_MODULES)) {
          return {
            errors: [{ text: `"${args.path}" is not in the plugin's own node_modules (it resolved to the platform's): add it to the plugin's package.json and install it there` }],
          };
        }
        return { path: resolved.path, external: resolved.external, namespace: resolved.namespace, sideEffects: resolved.sideEffects };
      });
    },
  };
}

/** `client/Hello.vue:3:5: Unexpected token`, like a server compile error; more errors are counted. */
export function describeBuildErrors(errors: Message[]): string {
  const first = errors[0];
  if (!first) return 'the client did not compile';
  const where = first.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : '';
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
  return `cannot compile ${where}${first.text}${more}`;
}

interface PluginContext {
  /** What the context was made for: a change of folder, entry or permissions makes a new one. */
  key: string;
  context: BuildContext;
}

/**
 * Bundles a plugin's client (TypeScript and Vue single-file components) into
 * one ES module, with one incremental esbuild context per plugin: a rebuild
 * after an edit re-reads only what changed (about 10 ms here, docs/benchmarks.md).
 * esbuild is loaded on the first compile, so a process that only ever finds
 * bundles in the cache never starts it.
 */
export class PluginClientCompiler {
  private readonly contexts = new Map<string, PluginContext>();

  async compile(name: string, dir: string, entry: string, options: { allowPlatformModules: boolean }): Promise<string> {
    const context = await this.contextFor(name, dir, entry, options.allowPlatformModules);
    try {
      const result = await context.rebuild();
      const output = result.outputFiles?.[0];
      if (!output) throw new PluginClientCompileError('cannot compile: esbuild wrote nothing');
      return output.text;
    } catch (error) {
      const failure = error as BuildFailure;
      if (Array.isArray(failure.errors)) throw new PluginClientCompileError(describeBuildErrors(failure.errors));
      throw error;
    }
  }

  private async contextFor(name: string, dir: string, entry: string, allowPlatformModules: boolean): Promise<BuildContext> {
    const key = `${dir}\0${entry}\0${allowPlatformModules}`;
    const existing = this.contexts.get(name);
    if (existing?.key === key) return existing.context;
    await this.forget(name);
    const esbuild = await import('esbuild');
    const context = await esbuild.context({
      absWorkingDir: dir,
      entryPoints: [path.join(dir, entry)],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      outfile: 'bundle.js',
      // Smaller without renaming: a plugin's stack traces keep its own names.
      minifyWhitespace: true,
      minifySyntax: true,
      legalComments: 'none',
      charset: 'utf8',
      logLevel: 'silent',
      define: { 'process.env.NODE_ENV': '"production"', __VUE_OPTIONS_API__: 'true', __VUE_PROD_DEVTOOLS__: 'false' },
      plugins: [modulesPlugin(allowPlatformModules), sfcPlugin(name, dir)],
    });
    this.contexts.set(name, { key, context });
    return context;
  }

  /** Disposes a plugin's context (it was removed, or moved). */
  async forget(name: string): Promise<void> {
    const existing = this.contexts.get(name);
    this.contexts.delete(name);
    await existing?.context.dispose().catch(() => {});
  }

  names(): string[] {
    return [...this.contexts.keys()];
  }

  async close(): Promise<void> {
    for (const name of this.names()) await this.forget(name);
  }
}

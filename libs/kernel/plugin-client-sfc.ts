import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
// Imported from @vue/compiler-sfc itself, not `vue/compiler-sfc`: the latter registers TypeScript and then insists
// on loading it for `defineProps<ImportedType>()` (docs/plugins.md, "Client").
import { compileScript, compileStyle, compileTemplate, parse, type SFCDescriptor } from '@vue/compiler-sfc';
import type { Loader, PartialMessage, Plugin } from 'esbuild';

/** The helper of `@brickyard/client` that gives a compiled component its reference-counted <style>. */
const STYLE_HELPER = 'withPluginStyle';

interface SfcError {
  message: string;
  line: number;
  column: number;
}

/** What compiling one `.vue` file gives esbuild: code, or errors at file:line. */
type SfcResult = { code: string; loader: Loader } | { errors: SfcError[] };

const hash = (text: string, length: number) => crypto.createHash('sha256').update(text).digest('hex').slice(0, length);

/** Errors of compiler-sfc carry `loc` as `{start: {line, column}}` (template) or `{line, column}` (Babel). */
function locationOf(error: unknown): { line: number; column: number } {
  const loc = (error as { loc?: { start?: { line: number; column: number }; line?: number; column?: number } }).loc;
  if (loc?.start) return { line: loc.start.line, column: loc.start.column };
  if (loc?.line) return { line: loc.line, column: loc.column ?? 0 };
  return { line: 1, column: 0 };
}

/** The first line of a compiler message (Babel appends a code frame: esbuild shows its own). */
const firstLine = (error: unknown) => String((error as Error)?.message ?? error).replace(/^\[@?vue\/compiler-sfc\]\s*/, '').split('\n')[0]!.replace(/\s*\(\d+:\d+\)$/, '');

/**
 * Compiles one single-file component into a module: script (TypeScript kept,
 * esbuild strips it) with the template inlined, scoped CSS, and the scope id
 * set on the component. `scopeKey` makes the scope id unique per plugin and
 * file; the same id goes to the script and the style, or CSS `v-bind()`
 * variables come out broken.
 */
export function compileSfc(source: string, filename: string, scopeKey: string): SfcResult {
  const { descriptor, errors } = parse(source, { filename, sourceMap: false });
  if (errors.length) return { errors: errors.map((e) => ({ message: firstLine(e), ...locationOf(e) })) };
  const id = hash(scopeKey, 8);
  const scopeId = `data-v-${id}`;
  const scoped = descriptor.styles.some((style) => style.scoped);
  const lines: string[] = [];
  try {
    lines.push(...scriptOf(descriptor, id, scopeId, scoped, filename));
  } catch (error) {
    return { errors: [{ message: firstLine(error), ...locationOf(error) }] };
  }
  const styles: string[] = [];
  for (const style of descriptor.styles) {
    if (style.lang && style.lang !== 'css') {
      return { errors: [{ message: `<style lang="${style.lang}"> is not supported: write plain CSS`, line: style.loc.start.line, column: 0 }] };
    }
    const compiled = compileStyle({ source: style.content, filename, id: scopeId, scoped: style.scoped, isProd: true });
    if (compiled.errors.length) {
      // PostCSS says `reason` alone in its own field; its message repeats the file's path.
      const error = compiled.errors[0] as Error & { line?: number; column?: number; reason?: string };
      return { errors: [{ message: error.reason ?? firstLine(error), line: style.loc.start.line + Math.max(0, (error.line ?? 1) - 1), column: error.column ?? 0 }] };
    }
    styles.push(compiled.code);
  }
  if (scoped) lines.push(`__sfc__.__scopeId = ${JSON.stringify(scopeId)};`);
  if (styles.length) {
    const css = styles.join('\n');
    lines.push(`import { ${STYLE_HELPER} as __withStyle } from '@brickyard/client';`);
    lines.push(`__withStyle(__sfc__, ${JSON.stringify(`${scopeId}:${hash(css, 8)}`)}, ${JSON.stringify(css)});`);
  }
  lines.push('export default __sfc__;');
  return { code: lines.join('\n'), loader: 'ts' };
}

/** The component's script, ending in `const __sfc__ = …` with its render function. */
function scriptOf(descriptor: SFCDescriptor, id: string, scopeId: string, scoped: boolean, filename: string): string[] {
  const templateOptions = { compilerOptions: { scopeId: scoped ? scopeId : undefined } };
  // `fs` lets `defineProps<Type>()` read types imported from the plugin's own files.
  const files = { fileExists: (file: string) => fs.existsSync(file), readFile: (file: string) => fs.readFileSync(file, 'utf8') };
  if (descriptor.scriptSetup) {
    return [compileScript(descriptor, { id, isProd: true, inlineTemplate: true, genDefaultAs: '__sfc__', fs: files, templateOptions }).content];
  }
  const lines = descriptor.script
    ? [compileScript(descriptor, { id, isProd: true, genDefaultAs: '__sfc__', fs: files }).content]
    : ['const __sfc__ = {};'];
  if (descriptor.template) {
    const template = compileTemplate({ source: descriptor.template.content, filename, id, scoped, isProd: true, compilerOptions: templateOptions.compilerOptions });
    if (template.errors.length) {
      const error = template.errors[0]!;
      const { line, column } = locationOf(error);
      // Template locations count from the template's own first line.
      throw Object.assign(new Error(firstLine(error)), { loc: { line: descriptor.template.loc.start.line + line - 1, column } });
    }
    lines.push(template.code.replace(/^export function render/m, 'function __render'), '__sfc__.render = __render;');
  }
  return lines;
}

/** The esbuild plugin that compiles `.vue` files; compiled components are cached by their source text. */
export function sfcPlugin(pluginName: string, pluginDir: string): Plugin {
  const cache = new Map<string, { source: string; result: SfcResult }>();
  return {
    name: 'brickyard-vue-sfc',
    setup(build) {
      build.onLoad({ filter: /\.vue$/ }, async (args) => {
        const source = await fs.promises.readFile(args.path, 'utf8');
        const relative = path.relative(pluginDir, args.path).split(path.sep).join('/');
        let entry = cache.get(args.path);
        if (entry?.source !== source) {
          entry = { source, result: compileSfc(source, args.path, `${pluginName}/${relative}`) };
          cache.set(args.path, entry);
        }
        const result = entry.result;
        if ('errors' in result) {
          const lines = source.split('\n');
          const errors: PartialMessage[] = result.errors.map((e) => ({
            text: e.message,
            location: { file: args.path, line: e.line, column: Math.max(0, e.column - 1), lineText: lines[e.line - 1] ?? '' },
          }));
          return { errors };
        }
        return { contents: result.code, loader: result.loader, resolveDir: path.dirname(args.path) };
      });
    },
  };
}

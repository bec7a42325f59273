import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as swc from '@swc/core';
import { ensurePrivateDir } from '@brickyard/config';
import { pluginServerFiles } from './plugin-files';

const swcOptions: swc.Options = {
  sourceMaps: 'inline',
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
};

export class PluginCompileError extends Error {}

/**
 * Compiles a plugin's TypeScript to CommonJS into `<cacheDir>/<name>/<checksum>/`,
 * mirroring the plugin folder (other files are copied). A build is written to a
 * temporary folder and renamed into place, so processes compiling the same
 * plugin at once never see half a build. Returns the build folder.
 */
export async function compilePlugin(sourceDir: string, name: string, checksum: string, cacheDir: string): Promise<string> {
  ensurePrivateDir(cacheDir);
  ensurePrivateDir(path.join(cacheDir, name));
  const buildDir = path.join(cacheDir, name, checksum);
  if (fs.existsSync(buildDir)) {
    // A build is trusted by its path only if this process's user wrote it: its code will run here.
    const owner = fs.statSync(buildDir).uid;
    const uid = process.getuid?.();
    if (uid !== undefined && owner !== uid) throw new PluginCompileError(`the cached build ${buildDir} belongs to uid ${owner}, not to this process (uid ${uid}): remove it`);
    return buildDir;
  }
  const temporary = `${buildDir}.tmp-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  // Asynchronous file I/O and swc's asynchronous transform keep the serving event loop free during a build.
  try {
    for (const file of pluginServerFiles(sourceDir)) {
      const source = path.join(sourceDir, file);
      const isTypeScript = /\.(c|m)?ts$/.test(file) && !file.endsWith('.d.ts');
      const target = path.join(temporary, isTypeScript ? file.replace(/\.(c|m)?ts$/, '.js') : file);
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      if (!isTypeScript) {
        await fs.promises.copyFile(source, target);
        continue;
      }
      let output: swc.Output;
      try {
        // The source file name in the map points at the plugin's own file, so stack traces name it.
        output = await swc.transform(await fs.promises.readFile(source, 'utf8'), { ...swcOptions, filename: source, sourceFileName: source });
      } catch (error) {
        throw new PluginCompileError(`cannot compile ${file}:${cleanSwcMessage(String((error as Error).message ?? error))}`);
      }
      await fs.promises.writeFile(target, output.code);
    }
    try {
      await fs.promises.rename(temporary, buildDir);
    } catch (error) {
      // Another process finished the same build first: theirs is identical.
      if (!fs.existsSync(buildDir)) throw error;
    }
    return buildDir;
  } finally {
    await fs.promises.rm(temporary, { recursive: true, force: true });
  }
}

/**
 * swc's message is a terminal diagnostic (colours, source excerpt, a native
 * backtrace); keep what a developer needs: `<line>:<column>: <what is wrong>`.
 */
export function cleanSwcMessage(message: string): string {
  const plain = message.replace(/\u001b\[[0-9;]*m/g, '');
  const what = /(?:^|\n)\s*(?:x|×)\s+(.+)/.exec(plain)?.[1]?.trim();
  const where = /,-\[[^\]]*?:(\d+):(\d+)\]/.exec(plain);
  if (!what) return plain.split('\n')[0]!.trim();
  return where ? `${where[1]}:${where[2]}: ${what}` : what;
}

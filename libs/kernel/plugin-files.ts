import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Folders of a plugin that never affect its server code. */
const SKIPPED = new Set(['node_modules', 'test', 'client', 'dist']);

/** The files that make up a plugin's server side, relative to its folder, sorted. */
export function pluginServerFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!(relative === '' && SKIPPED.has(entry.name))) walk(rel);
      } else if (entry.isFile()) {
        files.push(rel);
      }
    }
  };
  walk('');
  return files.sort();
}

/** SHA-256 over the server files' paths and contents: the build cache key and the `checksum` column. */
export function pluginChecksum(dir: string): string {
  const hash = crypto.createHash('sha256');
  for (const file of pluginServerFiles(dir)) {
    hash.update(file).update('\0').update(fs.readFileSync(path.join(dir, file))).update('\0');
  }
  return hash.digest('hex');
}

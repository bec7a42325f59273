import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** One file of the built client, held in memory with its gzipped form (written by bin/build-client.js). */
export interface ClientAsset {
  body: Buffer;
  gzip?: Buffer;
  type: string;
  /** Content-hashed names never change content: cached for a year, never revalidated. */
  immutable: boolean;
  etag: string;
}

/** What a page of the app preloads (bin/build-client.js PAGE_PRELOADS): its chunks, their stylesheets, and its data's API path. */
export interface PagePreload {
  modules: string[];
  styles: string[];
  /** The API path the page's data comes from; the page's name (the rest of its path) is appended, encoded. */
  data?: string;
}

export interface ClientBuild {
  /** index.html as built, before the server fills in the title and the import map. */
  template: string;
  importMap: Record<string, string>;
  /** The shared modules every page names as modulepreload (the import map may hold more, loaded when imported). */
  preload: string[];
  /** By page path prefix, e.g. `/parts/`. */
  preloads: Record<string, PagePreload>;
  /** By URL path, e.g. `/assets/index-D9hdys4f.js`. */
  assets: ReadonlyMap<string, ClientAsset>;
}

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.pdb': 'chemical/x-pdb', // the structure viewer's example files (client/public/structures/)
};

/** Vite's `name-<8+ chars>.ext` and the build's `/shared/name.<12 chars>.js`. */
const HASHED = /^\/(assets\/.+-[A-Za-z0-9_-]{8,}|shared\/.+\.[A-Za-z0-9_-]{12})\.[a-z0-9]+$/;

export const clientDistDir = path.resolve(__dirname, '..', '..', '..', 'client', 'dist');

let cached: { key: string; build: ClientBuild } | undefined;

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(file, out);
    else if (!entry.name.endsWith('.gz')) out.push(file);
  }
  return out;
}

/**
 * The built client, read once per build (the core app is rebuilt on every
 * configuration change; the files are not): null when client/dist is missing,
 * i.e. `node bin/build-client.js` (run by npm start and npm test) has not run.
 */
export function loadClientBuild(dist = clientDistDir): ClientBuild | null {
  let manifest: { sourceHash: string; builtAt: string; importMap: Record<string, string>; preload?: string[]; preloads?: Record<string, PagePreload> };
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dist, 'manifest.json'), 'utf8'));
  } catch {
    return null;
  }
  const key = `${dist}:${manifest.sourceHash}:${manifest.builtAt}`;
  if (cached?.key === key) return cached.build;
  const appDir = path.join(dist, 'app');
  const assets = new Map<string, ClientAsset>();
  for (const file of walk(appDir)) {
    const url = '/' + path.relative(appDir, file).split(path.sep).join('/');
    if (url === '/index.html') continue;
    const body = fs.readFileSync(file);
    const gzip = fs.existsSync(`${file}.gz`) ? fs.readFileSync(`${file}.gz`) : undefined;
    const etag = `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`;
    assets.set(url, { body, gzip, type: TYPES[path.extname(file)] ?? 'application/octet-stream', immutable: HASHED.test(url), etag });
  }
  const build = { template: fs.readFileSync(path.join(appDir, 'index.html'), 'utf8'), importMap: manifest.importMap, preload: manifest.preload ?? Object.values(manifest.importMap), preloads: manifest.preloads ?? {}, assets };
  cached = { key, build };
  return build;
}

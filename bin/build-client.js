#!/usr/bin/env node
'use strict';
// Builds the browser app (client/) when its sources changed: `npm start` and
// `npm test` run it through bin/setup.js, and `node bin/build-client.js [--force]`
// runs it alone. Output: client/dist/app (served at /), client/dist/manifest.json
// (the import map of the shared modules, the files each page preloads, and the hash of the sources it was built from).
//
// What it does: @brickyard/client as its own ES module (Vite library mode), the
// host app with vue, vue-router and @brickyard/client external, then the shared
// modules copied under content-hashed names and every text file gzipped once
// (-9), so the server sends them compressed without compressing per request.
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const root = path.resolve(__dirname, '..');
const clientDir = path.join(root, 'client');
const distDir = path.join(clientDir, 'dist');
const manifestFile = path.join(distDir, 'manifest.json');

/** Everything the build reads: the client's sources, the realtime client it bundles, the lock (versions), this script. */
const INPUTS = [clientDir, path.join(root, 'libs', 'realtime', 'client'), path.join(root, 'package-lock.json'), __filename];
const SKIP = new Set([distDir, path.join(clientDir, 'node_modules')]);

/**
 * The browser builds of the shared modules (self-contained ES modules; `.esm-bundler` files would need a bundler).
 * `preload`: named in every page, as the shell needs them; d3 is only mapped, for plugins' clients that draw
 * (the app's own map carries the few d3 modules it uses), and loads with the first plugin that imports it.
 */
const SHARED = [
  { name: 'vue', file: path.join(root, 'node_modules', 'vue', 'dist', 'vue.runtime.esm-browser.prod.js'), base: 'vue', preload: true },
  { name: 'vue-router', file: path.join(root, 'node_modules', 'vue-router', 'dist', 'vue-router.esm-browser.prod.js'), base: 'vue-router', preload: true },
  { name: '@brickyard/client', file: null, base: 'brickyard-client', preload: true }, // built below
  { name: 'd3', file: null, base: 'd3', preload: false }, // bundled below: d3's own .mjs re-exports its packages
];

/** d3 as one ES module (its dist/d3.mjs imports the d3-* packages by name, which a browser cannot resolve). */
async function bundleD3(outfile) {
  const esbuild = require('esbuild');
  await esbuild.build({
    stdin: { contents: "export * from 'd3';", resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'esm',
    minify: true,
    target: 'es2022',
    legalComments: 'none',
    outfile,
    logLevel: 'silent',
  });
}

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|map|pdb)$/;

function listFiles(entry, out = []) {
  // Unit tests (*.spec.ts) are not part of what the browser gets.
  if (SKIP.has(entry) || path.basename(entry).startsWith('.dist-') || entry.endsWith('.spec.ts')) return out;
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return out;
  if (stat.isDirectory()) for (const name of fs.readdirSync(entry).sort()) listFiles(path.join(entry, name), out);
  else out.push(entry);
  return out;
}

/** One hash of every input's path and content: equal hashes, equal builds. */
function sourceHash() {
  const hash = crypto.createHash('sha256');
  for (const file of INPUTS.flatMap((entry) => listFiles(entry))) {
    hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function readManifest() {
  try {
    return JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  } catch {
    return null;
  }
}

const contentHash = (buffer) => crypto.createHash('sha256').update(buffer).digest('base64url').slice(0, 12);

/**
 * The library's lazily loaded chunks (the structure viewer and NGL), copied
 * beside it under /shared/ where its dynamic imports find them. A chunk that
 * imported the library itself would name `brickyard-client.js`, which is served
 * under a hashed name only, and would load a second copy: the build refuses it.
 */
function copyLibraryChunks(libDir, sharedDir) {
  for (const name of fs.readdirSync(libDir).filter((file) => file.endsWith('.js') && file !== 'brickyard-client.js')) {
    const body = fs.readFileSync(path.join(libDir, name));
    if (body.includes('brickyard-client.js')) {
      throw new Error(`client/lib: the lazy chunk ${name} imports the library itself; import only vue and its own files there`);
    }
    fs.writeFileSync(path.join(sharedDir, name), body);
  }
}

/**
 * Pages whose code and data the server names in the HTML, so the browser
 * fetches them while it parses the page instead of after the app's router has
 * run: by URL prefix, the page's source (a key of Vite's manifest) and the
 * library's lazy chunks it draws with (name prefixes under /shared/), and the
 * API path the page's data comes from (+ the rest of the page's path, encoded).
 */
const PAGE_PRELOADS = [{ prefix: '/parts/', page: 'src/pages/PartPage.vue', shared: ['SequenceMap.'], data: '/api/parts/' }];

/**
 * For each of PAGE_PRELOADS, the files to preload: the page's chunk and the
 * chunks it imports statically (never the entry, which the page loads anyway),
 * their stylesheets, and the library's chunks. Reads Vite's manifest and
 * removes it (the server has no use for it, and it is not a page's file).
 */
function pagePreloads(appDir) {
  const viteManifestFile = path.join(appDir, '.vite', 'manifest.json');
  const chunks = JSON.parse(fs.readFileSync(viteManifestFile, 'utf8'));
  fs.rmSync(path.join(appDir, '.vite'), { recursive: true, force: true });
  const sharedFiles = fs.readdirSync(path.join(appDir, 'shared'));
  const preloads = {};
  for (const { prefix, page, shared, data } of PAGE_PRELOADS) {
    const modules = [];
    const styles = [];
    const visit = (key) => {
      const chunk = chunks[key];
      if (!chunk) throw new Error(`client: ${key} is not in Vite's manifest; update PAGE_PRELOADS in bin/build-client.js`);
      if (chunk.isEntry || modules.includes(`/${chunk.file}`)) return;
      modules.push(`/${chunk.file}`);
      for (const css of chunk.css ?? []) styles.push(`/${css}`);
      for (const imported of chunk.imports ?? []) visit(imported);
    };
    visit(page);
    for (const name of shared) {
      const file = sharedFiles.find((candidate) => candidate.startsWith(name) && candidate.endsWith('.js'));
      if (!file) throw new Error(`client: no /shared/${name}*.js was built; update PAGE_PRELOADS in bin/build-client.js`);
      modules.push(`/shared/${file}`);
    }
    preloads[prefix] = { modules, styles, data };
  }
  return preloads;
}

/** Builds unless the sources are those of the last build; returns what it did. */
async function buildClient({ force = false, log = (m) => console.log(`[client] ${m}`) } = {}) {
  const hash = sourceHash();
  const previous = readManifest();
  if (!force && previous?.sourceHash === hash && fs.existsSync(path.join(distDir, 'app', 'index.html'))) {
    return { built: false, manifest: previous };
  }
  const started = Date.now();
  log('building the browser app (client/) …');
  const { build } = await import('vite');
  // Built beside the live folder and swapped in at the end: a server reading dist/ never sees half a build.
  const work = path.join(clientDir, `.dist-${process.pid}-${Date.now()}`);
  try {
    await build({ configFile: path.join(clientDir, 'vite.lib.config.mts'), build: { outDir: path.join(work, 'lib') } });
    await build({ configFile: path.join(clientDir, 'vite.config.mts'), build: { outDir: path.join(work, 'app') } });
    SHARED[2].file = path.join(work, 'lib', 'brickyard-client.js');
    SHARED[3].file = path.join(work, 'd3', 'd3.js');
    await bundleD3(SHARED[3].file);

    const importMap = {};
    const preload = [];
    fs.mkdirSync(path.join(work, 'app', 'shared'), { recursive: true });
    for (const shared of SHARED) {
      if (!fs.existsSync(shared.file)) throw new Error(`${path.relative(root, shared.file)} is missing: run npm ci`);
      const body = fs.readFileSync(shared.file);
      const file = `${shared.base}.${contentHash(body)}.js`;
      fs.writeFileSync(path.join(work, 'app', 'shared', file), body);
      importMap[shared.name] = `/shared/${file}`;
      if (shared.preload) preload.push(`/shared/${file}`);
    }
    copyLibraryChunks(path.join(work, 'lib'), path.join(work, 'app', 'shared'));
    const preloads = pagePreloads(path.join(work, 'app'));
    for (const file of listFiles(path.join(work, 'app'))) {
      if (COMPRESSIBLE.test(file)) fs.writeFileSync(`${file}.gz`, zlib.gzipSync(fs.readFileSync(file), { level: 9 }));
    }
    const manifest = { sourceHash: hash, builtAt: new Date().toISOString(), durationMs: Date.now() - started, importMap, preload, preloads };
    fs.writeFileSync(path.join(work, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    fs.rmSync(path.join(work, 'lib'), { recursive: true, force: true });
    fs.rmSync(path.join(work, 'd3'), { recursive: true, force: true });

    const old = `${distDir}.old-${process.pid}`;
    if (fs.existsSync(distDir)) fs.renameSync(distDir, old);
    fs.renameSync(work, distDir);
    fs.rmSync(old, { recursive: true, force: true });
    log(`built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { built: true, manifest };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

module.exports = { buildClient, sourceHash };

if (require.main === module) {
  buildClient({ force: process.argv.includes('--force') })
    .then(({ built }) => built || console.log('[client] up to date'))
    .catch((error) => {
      console.error(`[client] the build failed: ${error.stack || error}`);
      process.exit(1);
    });
}

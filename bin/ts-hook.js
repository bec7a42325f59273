'use strict';
// Lets Node run the project's TypeScript directly: `.ts` files are compiled by swc
// to CommonJS on require (decorator metadata included, which Nest and TypeORM
// need), and `@brickyard/<lib>` resolves to the entry file of the library project
// <lib> of nest-cli.json (its `sourceRoot`/`entryFile`.ts): that file is the one
// list of the libraries (vitest.config.mts reads it too, test/nest-cli.test.ts
// checks it against the folders and tsconfig.json's `paths`).
// Plugins are NOT compiled here: the kernel compiles them into its build cache.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '..');

/** `@brickyard/<name>` → absolute entry file, for each library project of nest-cli.json. */
function readLibraries() {
  const { projects = {} } = JSON.parse(fs.readFileSync(path.join(root, 'nest-cli.json'), 'utf8'));
  const libraries = new Map();
  for (const [name, project] of Object.entries(projects)) {
    if (project.type !== 'library') continue;
    const sourceRoot = project.sourceRoot ?? project.root;
    libraries.set(`@brickyard/${name}`, path.join(root, sourceRoot, `${project.entryFile ?? 'index'}.ts`));
  }
  return libraries;
}

const swcOptions = {
  sourceMaps: 'inline',
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
};

function compileTypeScript(source, filename) {
  return swc.transformSync(source, { ...swcOptions, filename }).code;
}

if (!require.extensions['.ts']) {
  require.extensions['.ts'] = function loadTypeScript(module, filename) {
    module._compile(compileTypeScript(fs.readFileSync(filename, 'utf8'), filename), filename);
  };
  Error.stackTraceLimit = 30;
  process.setSourceMapsEnabled(true);

  const libraries = readLibraries();
  const originalResolve = Module._resolveFilename;
  Module._resolveFilename = function resolveBrickyard(request, parent, ...rest) {
    const library = libraries.get(request);
    if (library) return library;
    try {
      return originalResolve.call(this, request, parent, ...rest);
    } catch (error) {
      if (request.startsWith('@brickyard/') && error?.code === 'MODULE_NOT_FOUND') {
        error.message += `\n@brickyard/<name> must be a library project of nest-cli.json, which has ${[...libraries.keys()].join(', ')}`;
      }
      throw error;
    }
  };
}

module.exports = { root, swcOptions, compileTypeScript };

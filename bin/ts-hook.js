'use strict';
// Lets Node run the project's TypeScript directly: `.ts` files are compiled by swc
// to CommonJS on require (decorator metadata included, which Nest and TypeORM
// need), and `@brickyard/<lib>` resolves to `libs/<lib>/index.ts`.
// Plugins are NOT compiled here: the kernel compiles them into its build cache.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '..');

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

  const originalResolve = Module._resolveFilename;
  Module._resolveFilename = function resolveBrickyard(request, parent, ...rest) {
    if (request.startsWith('@brickyard/')) {
      const lib = request.slice('@brickyard/'.length);
      const file = path.join(root, 'libs', lib, 'index.ts');
      if (/^[a-z-]+$/.test(lib) && fs.existsSync(file)) return file;
    }
    return originalResolve.call(this, request, parent, ...rest);
  };
}

module.exports = { root, swcOptions, compileTypeScript };

#!/usr/bin/env node
'use strict';
// Runs one TypeScript file of the project: `node bin/run-ts.js path/to/file.ts [args]`.
require('./ts-hook');
const path = require('node:path');
const file = process.argv[2];
if (!file) {
  console.error('usage: node bin/run-ts.js <file.ts> [args…]');
  process.exit(2);
}
process.argv.splice(2, 1);
require(path.resolve(file));

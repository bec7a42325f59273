#!/usr/bin/env node
'use strict';
// The `brickyard` command (`npx brickyard …`): see apps/cli.
require('./ts-hook');
require('../apps/cli/main.ts');

'use strict';
// Entry of the worker thread that runs one isolated task attempt (libs/tasks/isolated-thread.ts).
require('./ts-hook');
require('../libs/tasks/isolated-thread.ts');

/** Entry point of the load generator process: `node bin/run-ts.js bench/lib/loadgen-main.ts '<json LoadOptions>'`. */
import { generateLoad, type LoadOptions } from './loadgen';

const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
generateLoad(options).then(
  (result) => {
    process.stdout.write(JSON.stringify(result) + '\n');
    process.exit(0);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

import { buildDemoDump, demoDumpPath, writeSyntheticDumpFile } from '@brickyard/parts';
import { importAndRank, rankLive } from '@brickyard/ranking';
import { defineCommand, type PluginContext } from '@brickyard/sdk';
import { Presets, SingleBar } from 'cli-progress';
import { importSignal, snapshotServices } from './snapshot-services';
import type { PartsSettings } from './settings';

type Context = PluginContext<PartsSettings>;

/** `npx brickyard parts <command>`. */
export const partsCommands = {
  import: defineCommand({
    description: 'import a Registry dump (.sql, .sql.gz, .xml, .xml.gz; a file or an http(s) URL) and make it the live snapshot',
    arguments: '<source>',
    options: [{ flags: '--abort-on-malformed', description: 'stop at the first malformed row instead of skipping it' }],
    async run([source], options, context) {
      const bar = new SingleBar({ format: 'importing [{bar}] {percentage}% | {message}', hideCursor: true, noTTYOutput: !process.stdout.isTTY, notTTYSchedule: 5000 }, Presets.shades_classic);
      bar.start(100, 0, { message: 'opening' });
      // The same limits as the task: PARTS_IMPORT_* (dump and download limits, PARTS_IMPORT_TIMEOUT_MS).
      const { signal, done } = importSignal(context as Context);
      try {
        const result = await importAndRank(snapshotServices(context as Context), source!, {
          onMalformed: options.abortOnMalformed ? 'abort' : 'skip',
          onProgress: (fraction, message) => bar.update(Math.round(fraction * 100), { message }),
          signal,
        });
        bar.stop();
        console.log(
          `imported ${result.partsRead} parts and ${result.featuresRead} features in ${(result.durationMs / 1000).toFixed(1)} s: ` +
            `${result.partsLive} live parts (${result.added} added, ${result.removed} removed, ${result.changed} changed)`,
        );
        if (result.malformed) {
          console.log(`${result.malformed} malformed row(s) skipped, e.g.:`);
          for (const sample of result.malformedSamples.slice(0, 10)) console.log(`  ${sample}`);
        }
      } finally {
        done();
        bar.stop();
      }
    },
  }),
  rank: defineCommand({
    description: "recompute every part's weight now (PARTS_RANKING_STRATEGY)",
    async run(_args, _options, context) {
      const result = await rankLive(snapshotServices(context as Context));
      console.log(`ranked ${result.parts} parts with ${result.strategy}: ${result.written} weights written (${result.method === 'table' ? 'as a new table' : 'in place'}), ${result.removed} removed, in ${result.durationMs} ms`);
    },
  }),
  generate: defineCommand({
    description: 'write a synthetic Registry dump for tests and benchmarks',
    options: [
      { flags: '--parts <n>', description: 'number of parts' },
      { flags: '--out <file>', description: 'output file: .sql, .sql.gz, .xml or .xml.gz' },
      { flags: '--seed <n>', description: 'random seed (same seed, same dump)', default: '1' },
    ],
    async run(_args, options) {
      const parts = Number.parseInt(String(options.parts ?? ''), 10);
      const out = String(options.out ?? '');
      const seed = Number.parseInt(String(options.seed), 10);
      if (!Number.isInteger(parts) || parts < 1) throw new Error('--parts must be a positive whole number');
      const format = /\.xml(\.gz)?$/.test(out) ? 'xml' : /\.sql(\.gz)?$/.test(out) ? 'sql' : undefined;
      if (!format) throw new Error('--out must end in .sql, .sql.gz, .xml or .xml.gz');
      const result = await writeSyntheticDumpFile(out, { parts, format, seed: Number.isInteger(seed) ? seed : 1 });
      console.log(`wrote ${result.parts} parts and ${result.features} features to ${out}`);
    },
  }),
  'build-demo': defineCommand({
    description: `rebuild the shipped demo dump (${demoDumpPath}) from data/igem`,
    async run() {
      const result = await buildDemoDump();
      console.log(`wrote ${result.parts} parts and ${result.features} features to ${demoDumpPath}`);
    },
  }),
};

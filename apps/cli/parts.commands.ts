import { Config } from '@brickyard/config';
import { createHostDataSource, ensureDatabase, runCoreMigrations } from '@brickyard/db';
import { buildDemoDump, demoDumpPath, writeSyntheticDumpFile } from '@brickyard/parts';
import { importAndRank, rankLive } from '@brickyard/ranking';
import { coreMigrations } from '../../migrations';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';

export function registerPartsCommands(program: Command): void {
  const parts = program.command('parts').description('the iGEM parts snapshot');

  parts
    .command('import <source>')
    .description('import a Registry dump (.sql, .sql.gz, .xml, .xml.gz; a file or an http(s) URL) and make it the live snapshot')
    .option('--abort-on-malformed', 'stop at the first malformed row instead of skipping it')
    .action(async (source: string, options: { abortOnMalformed?: boolean }) => {
      const config = new Config();
      const bar = new SingleBar({ format: 'importing [{bar}] {percentage}% | {message}', hideCursor: true, noTTYOutput: !process.stdout.isTTY, notTTYSchedule: 5000 }, Presets.shades_classic);
      await ensureDatabase(config.get('DATABASE_URL'));
      const db = await createHostDataSource(config.get('DATABASE_URL'), 2);
      await runCoreMigrations(db, coreMigrations);
      bar.start(100, 0, { message: 'opening' });
      try {
        const result = await importAndRank({ db, config: () => config }, source, {
          onMalformed: options.abortOnMalformed ? 'abort' : 'skip',
          onProgress: (fraction, message) => bar.update(Math.round(fraction * 100), { message }),
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
      } catch (error) {
        bar.stop();
        throw error;
      } finally {
        await db.destroy();
      }
    });

  parts
    .command('rank')
    .description('recompute every part\'s weight now (RANKING_STRATEGY)')
    .action(async () => {
      const config = new Config();
      const db = await createHostDataSource(config.get('DATABASE_URL'), 2);
      try {
        await runCoreMigrations(db, coreMigrations);
        const result = await rankLive({ db, config: () => config });
        console.log(`ranked ${result.parts} parts with ${result.strategy}: ${result.written} weights written (${result.method === 'table' ? 'as a new table' : 'in place'}), ${result.removed} removed, in ${result.durationMs} ms`);
      } finally {
        await db.destroy();
      }
    });

  parts
    .command('generate')
    .description('write a synthetic Registry dump for tests and benchmarks')
    .requiredOption('--parts <n>', 'number of parts', (v) => Number.parseInt(v, 10))
    .requiredOption('--out <file>', 'output file: .sql, .sql.gz, .xml or .xml.gz')
    .option('--seed <n>', 'random seed (same seed, same dump)', (v) => Number.parseInt(v, 10), 1)
    .action(async (options: { parts: number; out: string; seed: number }) => {
      if (!Number.isInteger(options.parts) || options.parts < 1) throw new Error('--parts must be a positive whole number');
      const format = /\.xml(\.gz)?$/.test(options.out) ? 'xml' : /\.sql(\.gz)?$/.test(options.out) ? 'sql' : undefined;
      if (!format) throw new Error('--out must end in .sql, .sql.gz, .xml or .xml.gz');
      const result = await writeSyntheticDumpFile(options.out, { parts: options.parts, format, seed: options.seed });
      console.log(`wrote ${result.parts} parts and ${result.features} features to ${options.out}`);
    });

  parts
    .command('build-demo')
    .description(`rebuild the shipped demo dump (${demoDumpPath}) from data/igem`)
    .action(async () => {
      const result = await buildDemoDump();
      console.log(`wrote ${result.parts} parts and ${result.features} features to ${demoDumpPath}`);
    });
}

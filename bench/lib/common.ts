import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Shared helpers of the benchmarks: statistics, result lines, cleanup. */

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Nearest-rank percentile (`p` in 0..100) of unsorted numbers. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / (values.length || 1);

export const round = (value: number, digits = 1) => Number(value.toFixed(digits));

export function fmtMs(value: number): string {
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ms`;
}

export function machine(): string {
  const cpus = os.cpus();
  return `${os.availableParallelism()} cores (${cpus[0]?.model.trim() ?? 'unknown cpu'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

export function log(message: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

export interface BenchResult {
  bench: string;
  /** What was measured, human-readable. */
  summary: string;
  ratio: number;
  ratioLabel: string;
  goal: string;
  /** `null`: informational, no goal applies. */
  met: boolean | null;
}

/** The line run-all collects: `RESULT <bench>: … | ratio … | goal … | MET/NOT MET`. */
export function printResult(result: BenchResult): void {
  console.log(
    `RESULT ${result.bench}: ${result.summary} | ratio ${result.ratioLabel} = ${result.ratio.toFixed(2)} | goal ${result.goal} | ${result.met === null ? 'informational' : result.met ? 'MET' : 'NOT MET'}`,
  );
}

export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  onCleanup(async () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const cleanups: (() => Promise<void>)[] = [];

/** Registers something to undo when the benchmark ends, fails or is interrupted (last registered runs first). */
export function onCleanup(fn: () => Promise<void>): void {
  cleanups.push(fn);
}

let cleaning: Promise<void> | undefined;
export function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length) {
      const fn = cleanups.pop()!;
      await fn().catch((error) => console.error(`cleanup failed: ${error instanceof Error ? error.message : error}`));
    }
  })();
  return cleaning;
}

/** Runs a benchmark's main function, always cleaning up (also on SIGINT/SIGTERM). */
export function runBench(main: () => Promise<void>): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping what the benchmark started…`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  main()
    .catch((error) => {
      console.error(error instanceof Error ? error.stack : error);
      process.exitCode = 1;
    })
    .finally(async () => {
      await cleanup();
      // Libraries (ioredis, mysql2, undici) may keep handles; the benchmark is over.
      setTimeout(() => process.exit(), 100).unref();
    });
}

/** The value after `--<name>` on the command line, or `fallback`. */
export function arg(name: string, fallback: string): string {
  const args = process.argv.slice(2);
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

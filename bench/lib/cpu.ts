import * as fs from 'node:fs';
import * as os from 'node:os';
import { log, sleep } from './common';

/**
 * Other people's processes on the machine (test suites, builds) skew results on a
 * 2-core box. These helpers (Linux /proc only) measure how much CPU went to
 * processes that are NOT this benchmark or its descendants, so a result can say
 * whether it was disturbed.
 */

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function readMachineTicks(): { busy: number; total: number } | undefined {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0); // without guest time (already in user)
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** CPU ticks of this process and all its descendants, including children they reaped. */
function readOwnTicks(): number {
  return readTreeTicks(process.pid);
}

/** CPU seconds used so far by process `pid` and its descendants (including children they reaped). */
export function treeCpuSeconds(pid: number): number {
  return readTreeTicks(pid) / TICKS_PER_SECOND;
}

function readTreeTicks(root: number): number {
  const parents = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields[0] is state (field 3); ppid is field 4, utime..cstime are fields 14..17.
      parents.set(Number(entry), Number(fields[1]));
      ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]));
    } catch {
      // the process ended meanwhile
    }
  }
  let sum = 0;
  for (const [pid, t] of ticks) {
    for (let p: number | undefined = pid, depth = 0; p && depth < 64; p = parents.get(p), depth++) {
      if (p === root) {
        sum += t;
        break;
      }
    }
  }
  return sum;
}

export interface CpuUsage {
  /** Cores used on average by processes outside this benchmark. */
  foreignCores: number;
  /** Cores used on average by this benchmark and what it started. */
  ownCores: number;
  seconds: number;
}

/** Starts measuring; call the returned function at the end of the period. */
export function watchCpu(): () => CpuUsage {
  const startMachine = readMachineTicks();
  const startOwn = readOwnTicks();
  const t0 = performance.now();
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    const endMachine = readMachineTicks();
    const own = (readOwnTicks() - startOwn) / TICKS_PER_SECOND / seconds;
    if (!startMachine || !endMachine) return { foreignCores: NaN, ownCores: own, seconds };
    const busy = (endMachine.busy - startMachine.busy) / TICKS_PER_SECOND / seconds;
    return { foreignCores: Math.max(0, busy - own), ownCores: own, seconds };
  };
}

export const describeCpu = (usage: CpuUsage) => `other processes used ${usage.foreignCores.toFixed(2)} of ${os.availableParallelism()} cores`;

/**
 * Waits (at most `maxMs`) until processes outside this benchmark use less than
 * `threshold` cores over a 2 s window, so a measurement does not start in the
 * middle of someone's test suite. Returns the last window's foreign load.
 */
export async function waitForQuiet(maxMs = 120_000, threshold = 0.3): Promise<number> {
  const deadline = Date.now() + maxMs;
  let announced = false;
  for (;;) {
    const stop = watchCpu();
    await sleep(2000);
    const { foreignCores } = stop();
    if (!(foreignCores >= threshold)) return foreignCores; // NaN (no /proc) counts as quiet
    if (Date.now() > deadline) {
      log(`the machine is still busy (other processes use ${foreignCores.toFixed(2)} cores); measuring anyway`);
      return foreignCores;
    }
    if (!announced) {
      log(`other processes use ${foreignCores.toFixed(2)} cores; waiting up to ${Math.round(maxMs / 1000)} s for a quieter machine…`);
      announced = true;
    }
  }
}

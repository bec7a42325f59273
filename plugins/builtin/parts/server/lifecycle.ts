import { withAdvisoryLock } from '@brickyard/db';
import { importAndRank, rankLive } from '@brickyard/ranking';
import type { PluginContext } from '@brickyard/sdk';
import { snapshotServices } from './snapshot-services';
import type { PartsSettings } from './settings';

type Context = PluginContext<PartsSettings>;

const schedules = new WeakMap<Context, NodeJS.Timeout>();

/** Parts of the live snapshot without a weight in this app database (counted by two index scans). */
async function unweighted(context: Context): Promise<number> {
  const [row] = await context.database().query('SELECT COUNT(*) AS n FROM part_weights');
  return Math.max(0, (await context.parts.count()) - Number(row.n));
}

/**
 * Before the parts routes serve: an empty snapshot gets the demo parts
 * (PARTS_DEMO_DATA), and a snapshot this app database has not ranked (a second
 * instance sharing an existing snapshot, a recreated app database) is ranked,
 * so every part is served from the first request. One process does it (a
 * MySQL named lock); the others find it done.
 */
async function prepareSnapshot(context: Context): Promise<void> {
  const db = context.database();
  await withAdvisoryLock(db, `${db.options.database}:parts:prepare`, async () => {
    const services = snapshotServices(context);
    if (context.settings.get('PARTS_DEMO_DATA') && (await context.parts.count()) === 0) {
      const result = await importAndRank(services, 'demo');
      context.logger.info({ parts: result.partsLive }, 'the snapshot was empty: imported the demo parts');
    } else if ((await unweighted(context)) > 0) {
      const result = await rankLive(services);
      context.logger.info({ parts: result.parts, strategy: result.strategy }, 'ranked a snapshot this app database had not ranked');
    }
  }, 600);
}

/**
 * In job workers: every minute, the first to take the slot submits `core.rank`
 * when PARTS_RANKING_INTERVAL_MINUTES have passed, or at once when parts have
 * no weight (another instance imported the shared snapshot).
 */
function scheduleRanking(context: Context): void {
  const tick = async () => {
    try {
      const every = context.settings.get('PARTS_RANKING_INTERVAL_MINUTES') * 60_000;
      const due = await context.store.set('ranking-due', String(process.pid), { ttlMs: every - 1000, ifAbsent: true });
      if (due || (await unweighted(context)) > 0) await context.tasks.submit('core.rank', {});
    } catch (error) {
      context.logger.warn({ err: error }, 'could not schedule ranking');
    }
  };
  const timer = setInterval(() => void tick(), 60_000);
  timer.unref();
  schedules.set(context, timer);
}

export async function onMount(context: Context): Promise<void> {
  await prepareSnapshot(context);
  if (context.role === 'job') scheduleRanking(context);
}

export function onUnmount(context: Context): void {
  clearInterval(schedules.get(context));
  schedules.delete(context);
}

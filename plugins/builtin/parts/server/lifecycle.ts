import { withAdvisoryLock } from '@brickyard/db';
import { importAndRank, rankingLockName, rankLive } from '@brickyard/ranking';
import type { PluginContext } from '@brickyard/sdk';
import { snapshotServices } from './snapshot-services';
import type { PartsSettings } from './settings';

type Context = PluginContext<PartsSettings>;

const schedules = new WeakMap<Context, NodeJS.Timeout>();

/**
 * Whether a part of the live snapshot has no weight in this app database: an
 * anti-join that stops at the first such part (an import elsewhere may add and
 * remove as many parts, so counts would not tell). False without a snapshot.
 */
async function hasUnweighted(context: Context): Promise<boolean> {
  const snapshot = `\`${context.snapshot().snapshotDatabase.replace(/`/g, '``')}\``;
  try {
    const [row] = await context.database().query(
      `SELECT EXISTS (SELECT 1 FROM ${snapshot}.parts_filtered p LEFT JOIN part_weights w ON w.part_id = p.part_id WHERE w.part_id IS NULL) AS missing`,
    );
    return Number(row.missing) === 1;
  } catch (error) {
    if (['ER_NO_SUCH_TABLE', 'ER_BAD_DB_ERROR'].includes((error as { code?: string }).code ?? '')) return false;
    throw error;
  }
}

/** True while a ranking of this app database runs (rankParts holds this lock): its weights are on their way. */
async function rankingUnderWay(context: Context): Promise<boolean> {
  const [row] = await context.database().query('SELECT IS_FREE_LOCK(?) AS free', [rankingLockName(String(context.database().options.database))]);
  return Number(row.free) !== 1;
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
  // Keyed by the snapshot: instances sharing one never import the demo into it twice.
  await withAdvisoryLock(db, `brickyard_parts_prepare:${context.snapshot().snapshotDatabase}`.slice(0, 64), async () => {
    const services = snapshotServices(context);
    if (context.settings.get('PARTS_DEMO_DATA') && (await context.parts.count()) === 0) {
      const result = await importAndRank(services, 'demo');
      context.logger.info({ parts: result.partsLive }, 'the snapshot was empty: imported the demo parts');
    } else if ((await hasUnweighted(context)) && !(await rankingUnderWay(context))) {
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
      // Parts without a weight (another instance imported the shared snapshot) are ranked at once, by one job worker a minute.
      const unweighted = !due && (await hasUnweighted(context)) && (await context.store.set('ranking-unweighted', String(process.pid), { ttlMs: 59_000, ifAbsent: true }));
      if (due || unweighted) await context.tasks.submit('core.rank', {});
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

import type { DataSource, QueryRunner } from 'typeorm';

/**
 * Runs `work` while holding the MySQL named lock `name`, so that only one process
 * in the cluster does it at a time (migrations). `work` gets the connection that
 * holds the lock and should run its queries on it (a pool of one connection
 * would otherwise deadlock). Waits up to `timeoutSeconds` for the lock.
 */
export async function withAdvisoryLock<T>(
  dataSource: DataSource,
  name: string,
  work: (runner: QueryRunner) => Promise<T>,
  timeoutSeconds = 60,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const [row] = await runner.query('SELECT GET_LOCK(?, ?) AS locked', [name, timeoutSeconds]);
    if (Number(row.locked) !== 1) {
      throw new Error(`could not take the database lock "${name}" within ${timeoutSeconds}s: another process holds it`);
    }
    try {
      return await work(runner);
    } finally {
      await runner.query('SELECT RELEASE_LOCK(?)', [name]);
    }
  } finally {
    await runner.release();
  }
}

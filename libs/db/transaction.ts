import type { DataSource, QueryRunner } from 'typeorm';

// ER_LOCK_DEADLOCK: InnoDB rolled the transaction back to break a cycle; running it again is the documented answer.
const DEADLOCK = 1213;
const ATTEMPTS = 5;

/**
 * Runs `work` in one READ COMMITTED transaction on its own connection and
 * commits what it returns; after a deadlock (or an error numbered in `retryOn`,
 * e.g. ER_DUP_ENTRY when two first inserts race) it runs it again, up to five
 * times. READ COMMITTED: each statement sees what others committed, and
 * inserts take no gap locks, so counters locked in a fixed order stay exact.
 */
export async function inTransaction<T>(db: DataSource, work: (tx: QueryRunner) => Promise<T>, options: { retryOn?: number[] } = {}): Promise<T> {
  const retried = new Set([DEADLOCK, ...(options.retryOn ?? [])]);
  for (let attempt = 1; ; attempt++) {
    const tx = db.createQueryRunner();
    await tx.connect();
    try {
      await tx.startTransaction('READ COMMITTED');
      const result = await work(tx);
      await tx.commitTransaction();
      return result;
    } catch (error) {
      await tx.rollbackTransaction().catch(() => {});
      if (attempt < ATTEMPTS && retried.has((error as { errno?: number }).errno ?? 0)) continue;
      throw error;
    } finally {
      await tx.release();
    }
  }
}

/** Rows an INSERT, UPDATE or DELETE changed, whether the driver answered with a result header or [rows, header]. */
export function affectedRows(result: any): number {
  return Number(result?.affectedRows ?? result?.[1]?.affectedRows ?? result?.[1] ?? 0);
}

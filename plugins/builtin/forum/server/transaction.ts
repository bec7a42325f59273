import type { DataSource, QueryRunner } from 'typeorm';

// ER_LOCK_DEADLOCK: InnoDB rolled the transaction back to break a cycle; running it again is the documented answer.
const RETRIED = new Set([1213]);
const ATTEMPTS = 5;

/** Runs `work` in one READ COMMITTED transaction, again after a deadlock; commits what it returns. */
export async function inTransaction<T>(db: DataSource, work: (tx: QueryRunner) => Promise<T>): Promise<T> {
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
      if (attempt < ATTEMPTS && RETRIED.has((error as { errno?: number }).errno ?? 0)) continue;
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

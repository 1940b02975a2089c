import { sql } from 'kysely';

import type { Db } from '../../core/db';

export const PRUNE_JOB = 'prune';
const BATCH = 5_000;

/**
 * Deletes webhook logs and change history older than `days` (0 keeps them forever), a batch at a
 * time so no statement holds locks for long. The ledger (current stock per product) is kept.
 */
export async function pruneStockLogs(db: Db, days: number): Promise<{ webhookLogs: number; changes: number }> {
  if (days <= 0) return { webhookLogs: 0, changes: 0 };
  const cutoff = sql<Date>`CURRENT_TIMESTAMP(3) - INTERVAL ${days} DAY`;
  const drain = async (remove: () => Promise<bigint>): Promise<number> => {
    let total = 0;
    for (;;) {
      const removed = Number(await remove());
      total += removed;
      if (removed < BATCH) return total;
    }
  };
  const webhookLogs = await drain(
    async () => (await db.deleteFrom('synchub_stock_webhook_logs').where('received_at', '<', cutoff).limit(BATCH).executeTakeFirst()).numDeletedRows,
  );
  const changes = await drain(
    async () => (await db.deleteFrom('synchub_stock_changes').where('created_at', '<', cutoff).limit(BATCH).executeTakeFirst()).numDeletedRows,
  );
  return { webhookLogs, changes };
}

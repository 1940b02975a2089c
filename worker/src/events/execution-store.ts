import { sql, type Transaction } from 'kysely';

import type { Db } from '../core/db';
import type { Database } from '../core/db/schema';
import type { BatchMetrics } from './store';

const increments = (metrics: BatchMetrics) => ({
  orders_processed: sql<number>`orders_processed + ${metrics.ordersProcessed}`,
  tickets_processed: sql<number>`tickets_processed + ${metrics.ticketsProcessed}`,
  new_orders: sql<number>`new_orders + ${metrics.newOrders}`,
  updated_orders: sql<number>`updated_orders + ${metrics.updatedOrders}`,
  new_tickets: sql<number>`new_tickets + ${metrics.newTickets}`,
  updated_tickets: sql<number>`updated_tickets + ${metrics.updatedTickets}`,
  voided_tickets: sql<number>`voided_tickets + ${metrics.voidedTickets}`,
  skipped_orders: sql<number>`skipped_orders + ${metrics.skippedOrders}`,
});

/** A sync run's row as the run itself moves it: source window, total, pages with checkpoints, end. */
export class ExecutionStore {
  constructor(private readonly db: Db) {}

  execution(id: number) {
    return this.db.selectFrom('synchub_event_executions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  configuration(id: number) {
    return this.db.selectFrom('synchub_event_configurations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Paused, or deleted since the run started. */
  async stopRequested(configurationId: number): Promise<boolean> {
    const row = await this.db.selectFrom('synchub_event_configurations').select('is_paused').where('id', '=', configurationId).executeTakeFirst();
    return !row || Boolean(row.is_paused);
  }

  /** The store's clock when the run first read it, and the modified-since bound of an incremental run. */
  async markSourceStarted(id: number, sourceStartedAt: string, since: string | null): Promise<void> {
    await this.db.updateTable('synchub_event_executions').set({ source_started_at: sourceStartedAt, source_since: since }).where('id', '=', id).execute();
  }

  async setTotal(id: number, total: number): Promise<void> {
    await this.db.updateTable('synchub_event_executions').set({ orders_total: total }).where('id', '=', id).execute();
  }

  /**
   * Writes one page and its checkpoint in one transaction, only while the run is still running at
   * `checkpoint` (another process that took it over, a cancel or a pause make this null).
   */
  async writePage(id: number, checkpoint: number, next: number, write: (trx: Transaction<Database>) => Promise<BatchMetrics>): Promise<BatchMetrics | null> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('synchub_event_executions')
        .select(['status', 'checkpoint_order_id'])
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!row || row.status !== 'running' || Number(row.checkpoint_order_id) !== checkpoint) return null;
      const metrics = await write(trx);
      await trx
        .updateTable('synchub_event_executions')
        .set({ ...increments(metrics), checkpoint_order_id: next, heartbeat_at: sql<Date>`CURRENT_TIMESTAMP(3)` })
        .where('id', '=', id)
        .execute();
      return metrics;
    });
  }

  /** The run completed: the configuration's cursor moves to where this run started reading the store. */
  async complete(id: number, configurationId: number): Promise<void> {
    const finished = await this.db.selectFrom('synchub_event_executions').select('source_started_at').where('id', '=', id).executeTakeFirst();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('synchub_event_executions')
        .set({
          status: 'completed',
          finished_at: sql<Date>`CURRENT_TIMESTAMP(3)`,
          heartbeat_at: sql<Date>`CURRENT_TIMESTAMP(3)`,
          error_message: null,
          stop_reason: null,
        })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .execute();
      await trx
        .updateTable('synchub_event_configurations')
        .set({ last_cursor: finished?.source_started_at ?? null, last_sync_at: sql<Date>`CURRENT_TIMESTAMP(3)` })
        .where('id', '=', configurationId)
        .execute();
    });
  }

  async finish(id: number, status: 'failed' | 'cancelled', message: string | null, reason: string | null): Promise<void> {
    await this.db
      .updateTable('synchub_event_executions')
      .set({ status, error_message: message, stop_reason: reason, finished_at: sql<Date>`CURRENT_TIMESTAMP(3)`, heartbeat_at: sql<Date>`CURRENT_TIMESTAMP(3)` })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .execute();
  }
}

import { sql, type Transaction } from 'kysely';

import type { Db } from '../../core/db';
import type { Database } from '../../core/db/schema';
import type { ExecutionMode, ExecutionTrigger } from '../schema';
import type { BatchMetrics } from './tickets';

const increments = (metrics: BatchMetrics) => ({
  orders_processed: sql<number>`orders_processed + ${metrics.ordersProcessed}`,
  tickets_processed: sql<number>`tickets_processed + ${metrics.ticketsProcessed}`,
  new_orders: sql<number>`new_orders + ${metrics.newOrders}`,
  updated_orders: sql<number>`updated_orders + ${metrics.updatedOrders}`,
  new_tickets: sql<number>`new_tickets + ${metrics.newTickets}`,
  updated_tickets: sql<number>`updated_tickets + ${metrics.updatedTickets}`,
  voided_tickets: sql<number>`voided_tickets + ${metrics.voidedTickets}`,
  skipped_orders: sql<number>`skipped_orders + ${metrics.skippedOrders}`,
  unchanged_orders: sql<number>`unchanged_orders + ${metrics.unchangedOrders}`,
});

/** Why a run stopped when WOOCOMMERCE_SYNC_TIMEOUT ran out: the next run continues it. */
export const TIMEOUT_STOP = 'timeout';

/**
 * Sync runs as the scheduler and the run itself move them: open or continue one per configuration,
 * source window, total, pages with checkpoints, end, recovery and clean-up.
 */
export class ExecutionStore {
  constructor(private readonly db: Db) {}

  /**
   * Opens a run of the configuration, or null when one is running. A run stopped by the time limit
   * is continued from its checkpoint instead (`continued`), unless `full` asks to start anew.
   */
  async open(
    configurationId: number,
    run: { trigger: ExecutionTrigger; mode: ExecutionMode; full: boolean; slot: string | null },
  ): Promise<{ id: number; continued: boolean } | null> {
    return this.db.transaction().execute(async (trx) => {
      await trx.selectFrom('synchub_event_configurations').select('id').where('id', '=', configurationId).forUpdate().execute();
      const running = await trx
        .selectFrom('synchub_event_executions')
        .select('id')
        .where('configuration_id', '=', configurationId)
        .where('status', '=', 'running')
        .executeTakeFirst();
      if (running) return null;
      const last = await trx
        .selectFrom('synchub_event_executions')
        .select(['id', 'status', 'stop_reason'])
        .where('configuration_id', '=', configurationId)
        .orderBy('id', 'desc')
        .executeTakeFirst();
      if (!run.full && last && last.status === 'cancelled' && last.stop_reason === TIMEOUT_STOP) {
        await trx
          .updateTable('synchub_event_executions')
          .set({ status: 'running', stop_reason: null, error_message: null, finished_at: null, heartbeat_at: sql<Date>`CURRENT_TIMESTAMP(3)` })
          .where('id', '=', last.id)
          .execute();
        return { id: Number(last.id), continued: true };
      }
      const result = await trx
        .insertInto('synchub_event_executions')
        .ignore()
        .values({ configuration_id: configurationId, status: 'running', trigger: run.trigger, mode: run.mode, schedule_slot: run.slot })
        .executeTakeFirst();
      return result.numInsertedOrUpdatedRows && result.numInsertedOrUpdatedRows > 0n ? { id: Number(result.insertId), continued: false } : null;
    });
  }

  /** Active, unpaused configurations; `scheduledOnly` leaves out the manual ones. */
  activeConfigurations(scheduledOnly = false) {
    let query = this.db.selectFrom('synchub_event_configurations').selectAll().where('is_active', '=', 1).where('is_paused', '=', 0);
    if (scheduledOnly) query = query.where('sync_frequency', '!=', 'manual');
    return query.execute();
  }

  async setLastScheduledSlot(configurationId: number, slot: Date): Promise<void> {
    await this.db.updateTable('synchub_event_configurations').set({ last_scheduled_slot: slot }).where('id', '=', configurationId).execute();
  }

  /** Active, unpaused configurations whose latest run the time limit stopped. */
  timedOutConfigurations() {
    return this.db
      .selectFrom('synchub_event_executions as e')
      .innerJoin('synchub_event_configurations as c', 'c.id', 'e.configuration_id')
      .selectAll('c')
      .where('e.status', '=', 'cancelled')
      .where('e.stop_reason', '=', TIMEOUT_STOP)
      .where('c.is_active', '=', 1)
      .where('c.is_paused', '=', 0)
      .where(({ eb, selectFrom }) =>
        eb(
          'e.id',
          '=',
          selectFrom('synchub_event_executions as l')
            .select((l) => l.fn.max('l.id').as('id'))
            .whereRef('l.configuration_id', '=', 'e.configuration_id'),
        ),
      )
      .execute();
  }

  /** Running executions without a heartbeat for `staleAfterMs`. */
  async silentRuns(staleAfterMs: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('synchub_event_executions')
      .select('id')
      .where('status', '=', 'running')
      .where('heartbeat_at', '<', sql<Date>`CURRENT_TIMESTAMP(3) - INTERVAL ${staleAfterMs * 1000} MICROSECOND`)
      .execute();
    return rows.map((row) => Number(row.id));
  }

  async heartbeat(id: number): Promise<void> {
    await this.db
      .updateTable('synchub_event_executions')
      .set({ heartbeat_at: sql<Date>`CURRENT_TIMESTAMP(3)` })
      .where('id', '=', id)
      .execute();
  }

  /** Which process ran a schedule job (shows that N workers ran each schedule once). */
  async recordScheduleRun(jobId: string, kind: 'tick' | 'cleanup'): Promise<void> {
    await this.db.insertInto('synchub_event_schedule_runs').values({ job_id: jobId, kind, pid: process.pid }).execute();
  }

  /** Deletes finished runs and schedule records older than 30 days; resolves with the runs deleted. */
  async deleteOld(): Promise<number> {
    const result = await this.db
      .deleteFrom('synchub_event_executions')
      .where('status', '!=', 'running')
      .where('started_at', '<', sql<Date>`CURRENT_TIMESTAMP(3) - INTERVAL 30 DAY`)
      .executeTakeFirst();
    await this.db
      .deleteFrom('synchub_event_schedule_runs')
      .where('ran_at', '<', sql<Date>`CURRENT_TIMESTAMP(3) - INTERVAL 30 DAY`)
      .execute();
    return Number(result.numDeletedRows);
  }

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

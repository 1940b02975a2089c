import { sql, type Insertable, type Selectable } from 'kysely';

import type { Db } from '../core/db';
import type { EventConfigurationsTable, EventExecutionsTable, ExecutionStatus } from './schema';

export type ConfigurationRow = Selectable<EventConfigurationsTable>;
export type ExecutionRow = Selectable<EventExecutionsTable>;
export type ConfigurationColumns = Insertable<EventConfigurationsTable>;

/** The events configurations and their executions as the admin routes read and change them. */
export class ConfigurationStore {
  constructor(private readonly db: Db) {}

  find(id: number): Promise<ConfigurationRow | undefined> {
    return this.db.selectFrom('synchub_event_configurations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  list(): Promise<ConfigurationRow[]> {
    return this.db.selectFrom('synchub_event_configurations').selectAll().orderBy('id').execute();
  }

  async create(columns: ConfigurationColumns): Promise<ConfigurationRow> {
    const result = await this.db.insertInto('synchub_event_configurations').values(columns).executeTakeFirstOrThrow();
    return this.db.selectFrom('synchub_event_configurations').selectAll().where('id', '=', Number(result.insertId)).executeTakeFirstOrThrow();
  }

  async update(id: number, columns: ConfigurationColumns): Promise<void> {
    await this.db
      .updateTable('synchub_event_configurations')
      .set({ ...columns, updated_at: sql<Date>`CURRENT_TIMESTAMP(3)` })
      .where('id', '=', id)
      .execute();
  }

  async setPaused(id: number, paused: boolean): Promise<void> {
    await this.db
      .updateTable('synchub_event_configurations')
      .set({ is_paused: paused ? 1 : 0 })
      .where('id', '=', id)
      .execute();
  }

  /** Deletes the configuration; a run still going is recorded as cancelled by the deletion. */
  async delete(id: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('synchub_event_executions')
        .set({ status: 'cancelled', stop_reason: 'deleted', finished_at: sql<Date>`CURRENT_TIMESTAMP(3)` })
        .where('configuration_id', '=', id)
        .where('status', '=', 'running')
        .execute();
      await trx.deleteFrom('synchub_event_skipped_orders').where('configuration_id', '=', id).execute();
      await trx.deleteFrom('synchub_event_configurations').where('id', '=', id).execute();
    });
  }

  /**
   * The last run stopped by a pause becomes running again (heartbeat now) unless another run is
   * going; returns its id, or null when there is nothing to resume.
   */
  async reopenPausedRun(configurationId: number): Promise<number | null> {
    const paused = await this.db
      .selectFrom('synchub_event_executions')
      .select('id')
      .where('configuration_id', '=', configurationId)
      .where('status', '=', 'cancelled')
      .where('stop_reason', '=', 'paused')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    const running = await this.db
      .selectFrom('synchub_event_executions')
      .select('id')
      .where('configuration_id', '=', configurationId)
      .where('status', '=', 'running')
      .executeTakeFirst();
    if (!paused || running) return null;
    await this.db
      .updateTable('synchub_event_executions')
      .set({ status: 'running', stop_reason: null, finished_at: null, heartbeat_at: sql<Date>`CURRENT_TIMESTAMP(3)` })
      .where('id', '=', paused.id)
      .execute();
    return Number(paused.id);
  }

  execution(id: number): Promise<ExecutionRow | undefined> {
    return this.db.selectFrom('synchub_event_executions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** One page of executions, newest first, with the total. */
  async executions(query: { configuration_id?: number; status?: ExecutionStatus; page: number; page_size: number }) {
    let base = this.db.selectFrom('synchub_event_executions');
    if (query.configuration_id) base = base.where('configuration_id', '=', query.configuration_id);
    if (query.status) base = base.where('status', '=', query.status);
    const [rows, count] = await Promise.all([
      base
        .selectAll()
        .orderBy('id', 'desc')
        .limit(query.page_size)
        .offset((query.page - 1) * query.page_size)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    ]);
    return { count: Number(count?.n ?? 0), rows };
  }
}

import { sql, type Selectable } from 'kysely';

import { Batcher } from '../../core/batcher';
import type { Db } from '../../core/db';
import { insertUnique, RecentlyStored, type InsertOutcome } from '../../core/db/insert-unique';
import type { ProductEventsTable, ProductEventStatus } from '../schema';

export interface NewProductEvent {
  owner: string;
  eventId: string;
  tokenId: number;
  eventType: string;
  productId: number;
  payload: string;
  version: number | null;
  sourceIp: string | null;
  userAgent: string | null;
}

export interface EventFilters {
  event_type?: string;
  status?: ProductEventStatus;
  success?: boolean;
  product_id?: number;
  token_id?: number;
  event_id?: string;
  since?: Date;
  until?: Date;
  limit: number;
  offset: number;
}

export type ProductEventRow = Selectable<ProductEventsTable>;

/**
 * The event log. Requests in flight share one multi-row INSERT IGNORE; each row carries a random
 * intake token, and reading the tokens back tells which request won the unique (owner, event_id):
 * two identical requests at once → one accepted, one duplicate, across processes too.
 * Event ids this process has stored recently are remembered, so a sender's retry of one is
 * answered as a duplicate without touching the database (rows are never deleted, so a
 * remembered id stays a duplicate).
 */
export class ProductEventLog {
  private readonly writer: Batcher<NewProductEvent, InsertOutcome>;
  private readonly stored = new RecentlyStored(100_000);

  constructor(private readonly db: Db) {
    this.writer = new Batcher((events) => this.insertBatch(events), 500, 1);
  }

  accept(event: NewProductEvent): Promise<InsertOutcome> {
    return this.stored.storeOnce(`${event.owner}\n${event.eventId}`, () => this.writer.push(event));
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  private insertBatch(events: NewProductEvent[]): Promise<InsertOutcome[]> {
    return insertUnique(
      this.db,
      'synchub_product_events',
      ['owner', 'event_id'],
      ['owner', 'event_id', 'token_id', 'event_type', 'product_id', 'payload', 'version', 'source_ip', 'user_agent', 'status'],
      events.map((event) => ({
        owner: event.owner,
        event_id: event.eventId,
        token_id: event.tokenId,
        event_type: event.eventType,
        product_id: event.productId,
        payload: event.payload,
        version: event.version,
        source_ip: event.sourceIp,
        user_agent: event.userAgent,
        status: 'received' as const,
      })),
    );
  }

  async load(id: number): Promise<ProductEventRow | undefined> {
    return this.db.selectFrom('synchub_product_events').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * Records a failed attempt. On the final one the event is marked unsuccessful; its status becomes
   * `failed` only if it was not applied (an applied event whose embedding failed stays `processed`,
   * so replaying the dead letter embeds without applying the event twice).
   */
  async recordAttemptError(id: number, error: string, final: boolean, processingMs: number): Promise<void> {
    await this.db
      .updateTable('synchub_product_events')
      .set({ error: error.slice(0, 2000), attempts: sql<number>`attempts + 1`, processing_ms: processingMs, ...(final ? { success: 0 } : {}) })
      .where('id', '=', id)
      .execute();
    if (!final) return;
    await this.db
      .updateTable('synchub_product_events')
      .set({ status: 'failed', processed_at: sql<Date>`CURRENT_TIMESTAMP(3)` })
      .where('id', '=', id)
      .where('status', 'not in', ['processed', 'stale'])
      .execute();
  }

  /** A retry succeeded: the earlier attempt's error no longer describes the event. */
  async markRecovered(id: number): Promise<void> {
    await this.db.updateTable('synchub_product_events').set({ error: null, success: 1 }).where('id', '=', id).where('status', '=', 'processed').execute();
  }

  /** Which of these log rows are still `received` (no outcome recorded yet). */
  async stillReceived(ids: number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.selectFrom('synchub_product_events').select('id').where('id', 'in', ids).where('status', '=', 'received').execute();
    return new Set(rows.map((row) => Number(row.id)));
  }

  /** Rows still unprocessed after `olderThanMs` (their enqueue failed, or they wait in a backlog). */
  async findStranded(olderThanMs: number, limit: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('synchub_product_events')
      .select('id')
      .where('status', '=', 'received')
      .where('received_at', '<', sql<Date>`CURRENT_TIMESTAMP(3) - INTERVAL ${olderThanMs * 1000} MICROSECOND`)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((row) => Number(row.id));
  }

  async list(filters: EventFilters): Promise<{ count: number; results: ProductEventRow[] }> {
    let query = this.db.selectFrom('synchub_product_events');
    if (filters.event_type) query = query.where('event_type', '=', filters.event_type);
    if (filters.status) query = query.where('status', '=', filters.status);
    if (filters.success !== undefined) query = query.where('success', '=', filters.success ? 1 : 0);
    if (filters.product_id !== undefined) query = query.where('product_id', '=', filters.product_id);
    if (filters.token_id !== undefined) query = query.where('token_id', '=', filters.token_id);
    if (filters.event_id) query = query.where('event_id', '=', filters.event_id);
    if (filters.since) query = query.where('received_at', '>=', filters.since);
    if (filters.until) query = query.where('received_at', '<', filters.until);
    const [count, results] = await Promise.all([
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      query.selectAll().orderBy('id', 'desc').limit(filters.limit).offset(filters.offset).execute(),
    ]);
    return { count: Number(count.n), results };
  }
}

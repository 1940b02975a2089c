import { sql, type Selectable } from 'kysely';

import { Batcher } from '../batcher';
import type { Db } from '../db';
import { insertUnique, type InsertOutcome } from '../db/insert-unique';
import type { InboundEventsTable, InboundStatus } from '../db/schema';
import type { InboundEvent } from './types';

export interface NewInboundEvent {
  eventId: string;
  topic: string;
  source: string | null;
  resourceId: string | null;
  payload: string;
  /** Hex SHA-256 of the exact body bytes. */
  bodySha256: string;
}

/**
 * Persists inbound events before they are acknowledged. Concurrent requests share one multi-row
 * INSERT IGNORE; each row carries a random intake token, so reading the tokens back tells which
 * request's row won the unique `event_id` — across batches and across worker processes alike.
 */
export class InboundEventStore {
  private readonly writer: Batcher<NewInboundEvent, InsertOutcome>;

  constructor(private readonly db: Db) {
    this.writer = new Batcher((events) => this.insertBatch(events), 500, 4);
  }

  accept(event: NewInboundEvent): Promise<InsertOutcome> {
    return this.writer.push(event);
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  private insertBatch(events: NewInboundEvent[]): Promise<InsertOutcome[]> {
    return insertUnique(
      this.db,
      'synchub_inbound_events',
      ['event_id'],
      ['event_id', 'topic', 'source', 'resource_id', 'payload', 'body_sha256', 'status'],
      events.map((event) => ({ event_id: event.eventId, topic: event.topic, source: event.source, resource_id: event.resourceId, payload: event.payload, body_sha256: event.bodySha256, status: 'received' as const })),
    );
  }

  /** The event stored with exactly this body, whatever its event id (an index lookup). */
  async findByBody(bodySha256: string): Promise<{ id: number; eventId: string } | undefined> {
    const row = await this.db.selectFrom('synchub_inbound_events').select(['id', 'event_id']).where('body_sha256', '=', bodySha256).orderBy('id').limit(1).executeTakeFirst();
    return row ? { id: Number(row.id), eventId: row.event_id } : undefined;
  }

  async markOutcome(id: number, status: Extract<InboundStatus, 'processed' | 'ignored' | 'failed'>, error?: string): Promise<void> {
    await this.db
      .updateTable('synchub_inbound_events')
      .set({
        status,
        processed_at: sql<Date>`CURRENT_TIMESTAMP(3)`,
        last_error: error ?? null,
        attempts: sql<number>`attempts + 1`,
      })
      .where('id', '=', id)
      .execute();
  }

  async recordAttemptError(id: number, error: string): Promise<void> {
    await this.db
      .updateTable('synchub_inbound_events')
      .set({ last_error: error, attempts: sql<number>`attempts + 1` })
      .where('id', '=', id)
      .execute();
  }

  async load(id: number): Promise<InboundEvent | undefined> {
    const row = await this.db.selectFrom('synchub_inbound_events').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toInboundEvent(row) : undefined;
  }

  /** Which of these rows are still `received` (no outcome recorded yet). */
  async stillReceived(ids: number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.selectFrom('synchub_inbound_events').select('id').where('id', 'in', ids).where('status', '=', 'received').execute();
    return new Set(rows.map((row) => Number(row.id)));
  }

  /** Rows still `received` after `olderThanMs`: never enqueued (Redis was down) or still waiting. */
  async findStranded(olderThanMs: number, limit: number): Promise<Array<{ id: number; topic: string }>> {
    return this.db
      .selectFrom('synchub_inbound_events')
      .select(['id', 'topic'])
      .where('status', '=', 'received')
      .where('received_at', '<', sql<Date>`CURRENT_TIMESTAMP(3) - INTERVAL ${olderThanMs * 1000} MICROSECOND`)
      .orderBy('id')
      .limit(limit)
      .execute();
  }
}

function toInboundEvent(row: Pick<Selectable<InboundEventsTable>, 'id' | 'event_id' | 'topic' | 'source' | 'resource_id' | 'payload' | 'received_at'>): InboundEvent {
  return {
    id: Number(row.id),
    eventId: row.event_id,
    topic: row.topic,
    source: row.source,
    resourceId: row.resource_id,
    payload: JSON.parse(row.payload) as unknown,
    receivedAt: row.received_at,
  };
}

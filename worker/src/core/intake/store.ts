import { sql, type Selectable } from 'kysely';

import { Batcher } from '../batcher';
import { intakeTokens } from '../crypto';
import type { Db } from '../db';
import { insertIgnoreMany } from '../db/insert-ignore';
import type { InboundEventsTable, InboundStatus } from '../db/schema';
import type { InboundEvent } from './types';

export interface NewInboundEvent {
  eventId: string;
  topic: string;
  source: string | null;
  resourceId: string | null;
  payload: string;
}

export type AcceptOutcome = { status: 'accepted'; id: number } | { status: 'duplicate'; id: number };

/**
 * Persists inbound events before they are acknowledged. Concurrent requests share one multi-row
 * INSERT IGNORE; each row carries a random intake token, so reading the tokens back tells which
 * request's row won the unique `event_id` — across batches and across worker processes alike.
 */
export class InboundEventStore {
  private readonly writer: Batcher<NewInboundEvent, AcceptOutcome>;

  constructor(private readonly db: Db) {
    this.writer = new Batcher((events) => this.insertBatch(events), 500, 4);
  }

  accept(event: NewInboundEvent): Promise<AcceptOutcome> {
    return this.writer.push(event);
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  private async insertBatch(events: NewInboundEvent[]): Promise<AcceptOutcome[]> {
    const tokens = intakeTokens(events.length);
    const ids = await insertIgnoreMany(
      this.db,
      'synchub_inbound_events',
      ['event_id', 'topic', 'source', 'resource_id', 'payload', 'intake_token', 'status'],
      events.map((event, index) => ({
        event_id: event.eventId,
        topic: event.topic,
        source: event.source,
        resource_id: event.resourceId,
        payload: event.payload,
        intake_token: tokens[index] as string,
        status: 'received' as const,
      })),
    );
    if (ids) return ids.map((id) => ({ status: 'accepted', id }));
    const stored = await this.db
      .selectFrom('synchub_inbound_events')
      .select(['id', 'event_id', 'intake_token'])
      .where('event_id', 'in', [...new Set(events.map((event) => event.eventId))])
      .execute();
    const byEventId = new Map(stored.map((row) => [row.event_id, row]));
    return events.map((event, index) => {
      const row = byEventId.get(event.eventId);
      if (!row) throw new Error(`inbound event ${event.eventId} was not stored`);
      return row.intake_token === tokens[index] ? { status: 'accepted', id: row.id } : { status: 'duplicate', id: row.id };
    });
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

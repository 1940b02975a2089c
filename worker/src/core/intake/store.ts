import { sql, type Selectable } from 'kysely';

import { Batcher } from '../batcher';
import type { Db } from '../db';
import { insertUnique, RecentlyStored, type InsertOutcome } from '../db/insert-unique';
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
 * Event ids this process stored recently are remembered, so a sender's retry is answered as a
 * duplicate without touching the database (rows are never deleted: a stored id stays a
 * duplicate), and the batches hold new events only, whose ids need no read-back.
 */
export class InboundEventStore {
  private readonly writer: Batcher<NewInboundEvent, InsertOutcome>;
  private readonly stored = new RecentlyStored(50_000);

  constructor(private readonly db: Db) {
    // One INSERT in flight at a time: requests arriving meanwhile go together in the next, so a
    // busy stream makes larger batches (measured: ~15 % less MariaDB and ~5 % less worker CPU per
    // request than four at a time, bench/intake.ts).
    this.writer = new Batcher((events) => this.insertBatch(events), 500, 1);
  }

  accept(event: NewInboundEvent): Promise<InsertOutcome> {
    return this.stored.storeOnce(event.eventId, () => this.writer.push(event));
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
      events.map((event) => ({
        event_id: event.eventId,
        topic: event.topic,
        source: event.source,
        resource_id: event.resourceId,
        payload: event.payload,
        body_sha256: event.bodySha256,
        status: 'received' as const,
      })),
    );
  }

  /** The event stored with exactly this body, whatever its event id (an index lookup). */
  async findByBody(bodySha256: string): Promise<{ id: number; eventId: string } | undefined> {
    const row = await this.db
      .selectFrom('synchub_inbound_events')
      .select(['id', 'event_id'])
      .where('body_sha256', '=', bodySha256)
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return row ? { id: Number(row.id), eventId: row.event_id } : undefined;
  }

  /**
   * Records one domain queue's outcome. An event several domains handle stays `received` until
   * each of `expectedQueues` has answered (then: failed if any failed, else processed if any
   * processed, else ignored), so the sweeper still reruns a domain whose job was lost.
   */
  async markOutcome(id: number, status: OutcomeStatus, error?: string, queues?: { queue: string; expectedQueues: readonly string[] }): Promise<void> {
    const queue = queues?.queue;
    const expected = queues?.expectedQueues ?? [];
    if (!queue || expected.length <= 1) {
      await this.db
        .updateTable('synchub_inbound_events')
        .set({
          status,
          processed_at: sql<Date>`CURRENT_TIMESTAMP(3)`,
          last_error: error ?? null,
          attempts: sql<number>`attempts + 1`,
          ...(queue ? { done_queues: `${queue}:${status}` } : {}),
        })
        .where('id', '=', id)
        .execute();
      return;
    }
    // Two domains may answer at once: the row lock orders their read-modify-write.
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('synchub_inbound_events').select(['done_queues', 'last_error']).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!row) return;
      const done = parseDoneQueues(row.done_queues);
      done.set(queue, status);
      const overall = combinedOutcome(done, expected);
      await trx
        .updateTable('synchub_inbound_events')
        .set({
          done_queues: formatDoneQueues(done),
          attempts: sql<number>`attempts + 1`,
          last_error: error ?? row.last_error,
          ...(overall ? { status: overall, processed_at: sql<Date>`CURRENT_TIMESTAMP(3)` } : {}),
        })
        .where('id', '=', id)
        .execute();
    });
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
  async findStranded(olderThanMs: number, limit: number): Promise<Array<{ id: number; topic: string; doneQueues: string[] }>> {
    const rows = await this.db
      .selectFrom('synchub_inbound_events')
      .select(['id', 'topic', 'done_queues'])
      .where('status', '=', 'received')
      .where('received_at', '<', sql<Date>`CURRENT_TIMESTAMP(3) - INTERVAL ${olderThanMs * 1000} MICROSECOND`)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ id: Number(row.id), topic: row.topic, doneQueues: [...parseDoneQueues(row.done_queues).keys()] }));
  }
}

type OutcomeStatus = Extract<InboundStatus, 'processed' | 'ignored' | 'failed'>;
const OUTCOMES: readonly OutcomeStatus[] = ['processed', 'ignored', 'failed'];

export function parseDoneQueues(text: string): Map<string, OutcomeStatus> {
  const done = new Map<string, OutcomeStatus>();
  for (const entry of text.split(',')) {
    const [queue, status] = entry.split(':');
    if (queue && OUTCOMES.includes(status as OutcomeStatus)) done.set(queue, status as OutcomeStatus);
  }
  return done;
}

const formatDoneQueues = (done: Map<string, OutcomeStatus>): string => [...done.entries()].map(([queue, status]) => `${queue}:${status}`).join(',');

/** The row's status once every expected queue has answered; undefined while one has not. */
export function combinedOutcome(done: Map<string, OutcomeStatus>, expectedQueues: readonly string[]): OutcomeStatus | undefined {
  if (!expectedQueues.every((queue) => done.has(queue))) return undefined;
  const statuses = expectedQueues.map((queue) => done.get(queue));
  if (statuses.includes('failed')) return 'failed';
  if (statuses.includes('processed')) return 'processed';
  return 'ignored';
}

function toInboundEvent(
  row: Pick<Selectable<InboundEventsTable>, 'id' | 'event_id' | 'topic' | 'source' | 'resource_id' | 'payload' | 'received_at'>,
): InboundEvent {
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

import type { Job } from 'bullmq';

import { Batcher } from '../batcher';
import type { Logger } from '../logger';
import type { JobProcessor, QueueName, QueueRegistry } from '../queues';
import { inboundJobId, queuesForTopic, type TopicSubscription } from './routing';
import type { InboundEventStore } from './store';
import type { InboundHandler } from './types';

export const INBOUND_JOB = 'inbound';

export interface InboundJobData {
  inboundEventId: number;
}

/**
 * Moves persisted inbound events onto the domain queues. The BullMQ job id is derived from the
 * row id, so the request path and the sweeper may both enqueue the same row: BullMQ keeps one.
 */
export class InboundDispatcher {
  private readonly enqueuer: Batcher<{ id: number; topic: string }, void>;

  constructor(
    private readonly store: InboundEventStore,
    private readonly queues: QueueRegistry,
    private readonly subscriptions: TopicSubscription[],
    private readonly logger: Logger,
  ) {
    this.enqueuer = new Batcher((rows) => this.enqueueBatch(rows), 500, 1);
  }

  enqueue(row: { id: number; topic: string }): Promise<void> {
    return this.enqueuer.push(row);
  }

  flush(): Promise<void> {
    return this.enqueuer.flush();
  }

  private async enqueueBatch(rows: Array<{ id: number; topic: string }>): Promise<void[]> {
    const byQueue = new Map<QueueName, Array<{ id: number }>>();
    for (const row of rows) {
      for (const queue of queuesForTopic(row.topic, this.subscriptions)) {
        const list = byQueue.get(queue) ?? [];
        list.push(row);
        byQueue.set(queue, list);
      }
    }
    await Promise.all(
      [...byQueue.entries()].map(([queue, list]) =>
        this.queues.get(queue).addBulk(
          list.map((row) => ({ name: INBOUND_JOB, data: { inboundEventId: row.id } satisfies InboundJobData, opts: { jobId: inboundJobId(row.id) } })),
        ),
      ),
    );
    // No status write here: the sweeper re-adds rows still `received` after a while, and BullMQ
    // ignores an add whose job id it already holds, so a slow queue costs nothing twice.
    return rows.map(() => undefined);
  }

  /** Re-enqueues rows whose enqueue failed (Redis was down when they arrived). */
  async sweep(olderThanMs: number): Promise<number> {
    let total = 0;
    for (;;) {
      const stranded = await this.store.findStranded(olderThanMs, 500);
      if (stranded.length === 0) break;
      await Promise.all(stranded.map((row) => this.enqueue(row)));
      total += stranded.length;
      if (stranded.length < 500) break;
    }
    if (total > 0) this.logger.info({ count: total }, 're-enqueued stranded inbound events');
    return total;
  }
}

/** Wraps a domain's handler: loads the event, runs it, records the outcome on the inbound row. */
export function inboundProcessor(store: InboundEventStore, handler: InboundHandler): JobProcessor {
  return async (job: Job, signal: AbortSignal) => {
    const { inboundEventId } = job.data as InboundJobData;
    const event = await store.load(inboundEventId);
    if (!event) return { skipped: 'inbound event no longer exists' };
    try {
      const outcome = (await handler(event, job, signal)) ?? 'processed';
      // A run cut short by shutdown was handed back to the queue; the next run records the outcome.
      if (signal.aborted) throw new Error('aborted by shutdown');
      await store.markOutcome(event.id, outcome);
      return { outcome };
    } catch (error) {
      if (signal.aborted) throw error;
      const message = error instanceof Error ? error.message : String(error);
      const attempts = job.opts.attempts ?? 1;
      const final = job.attemptsMade + 1 >= attempts || (error instanceof Error && error.name === 'UnrecoverableError');
      if (final) await store.markOutcome(event.id, 'failed', message);
      else await store.recordAttemptError(event.id, message);
      throw error;
    }
  };
}

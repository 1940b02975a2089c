import type { JobsOptions } from 'bullmq';

import { Inbox, type DispatchJobData } from '../../core/inbox';
import type { Logger } from '../../core/logger';
import type { QueueRegistry } from '../../core/queues';
import type { ProductEventLog } from './event-log';

export const PRODUCT_EVENT_JOB = 'product.event';
export const PRODUCT_DISPATCH_JOB = 'product.dispatch';
export const productEventJobId = (eventLogId: number): string => `product-event-${eventLogId}`;

export interface ProductEventJobData {
  eventLogId: number;
  /** Attempts the dispatch job already made on this event (see handOver). */
  attemptsBefore?: number;
}

export type ProductDispatchJobData = DispatchJobData<number>;

/** 3 attempts, exponential backoff from `retryDelayMs` (30 s in production). */
export const productJobOptions = (retryDelayMs: number): JobsOptions => ({
  attempts: 3,
  backoff: { type: 'exponential', delay: retryDelayMs },
  removeOnComplete: { age: 3600, count: 20_000 },
  removeOnFail: false,
});

/**
 * Puts logged events on the products queue (core/inbox): the request path through one
 * `product.dispatch` job per batch, which a jobs process applies in place, giving an event its own
 * `product.event` job (job id from the log row, so BullMQ keeps one) only when it needs retries
 * (handOver) or the dispatch itself is retried (addEventJobs). No status write on enqueue: a row
 * stays `received` until processed, and the sweeper re-adds old ones.
 */
export class ProductEnqueuer {
  private readonly inbox: Inbox<number, ProductEventJobData>;
  private readonly opts: JobsOptions;

  constructor(
    private readonly queues: QueueRegistry,
    log: ProductEventLog,
    private readonly retryDelayMs: number,
    logger: Logger,
  ) {
    this.opts = productJobOptions(retryDelayMs);
    this.inbox = new Inbox({
      label: 'product events',
      queues,
      dispatch: { queue: 'products', jobName: PRODUCT_DISPATCH_JOB },
      table: log,
      jobsFor: (id) => [{ queue: 'products', name: PRODUCT_EVENT_JOB, data: { eventLogId: id }, opts: { ...this.opts, jobId: productEventJobId(id) } }],
      rowOf: (data) => data.eventLogId,
      logger,
    });
  }

  /** From the request path: the event is logged; a jobs process will give it its job. */
  enqueue(eventLogId: number): Promise<void> {
    return this.inbox.enqueue(eventLogId);
  }

  flush(): Promise<void> {
    return this.inbox.flush();
  }

  /** One `product.event` job per logged event (the dispatch job's work, and the sweeper's). */
  addEventJobs(ids: number[], rerunFinished = false): Promise<void> {
    return this.inbox.fanOut(ids, rerunFinished);
  }

  /**
   * Events the dispatch job could not finish get their own job. `attemptsBefore` attempts already
   * made count against the event's 3: the job has the rest, the first after the backoff delay.
   */
  async handOver(events: Array<{ eventLogId: number; attemptsBefore: number }>): Promise<void> {
    if (events.length === 0) return;
    const attempts = this.opts.attempts ?? 1;
    await this.queues.get('products').addBulk(
      events.map(({ eventLogId, attemptsBefore }) => ({
        name: PRODUCT_EVENT_JOB,
        data: { eventLogId, attemptsBefore } satisfies ProductEventJobData,
        opts: {
          ...this.opts,
          attempts: Math.max(1, attempts - attemptsBefore),
          delay: attemptsBefore > 0 ? this.retryDelayMs : 0,
          jobId: productEventJobId(eventLogId),
        },
      })),
    );
  }

  /** Re-enqueues rows whose enqueue failed (Redis was down when they arrived) or whose job was lost. */
  sweep(olderThanMs: number): Promise<number> {
    return this.inbox.sweep(olderThanMs);
  }
}

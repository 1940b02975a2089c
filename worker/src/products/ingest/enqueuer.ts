import type { JobsOptions } from 'bullmq';

import { Batcher } from '../../core/batcher';
import type { Logger } from '../../core/logger';
import type { QueueRegistry } from '../../core/queues';
import type { ProductEventLog } from './event-log';

export const PRODUCT_EVENT_JOB = 'product.event';
export const PRODUCT_DISPATCH_JOB = 'product.dispatch';
export const productEventJobId = (eventLogId: number): string => `product-event-${eventLogId}`;

export interface ProductEventJobData {
  eventLogId: number;
}

export interface ProductDispatchJobData {
  eventLogIds: number[];
}

/** 3 attempts, exponential backoff from `retryDelayMs` (30 s in production). */
export const productJobOptions = (retryDelayMs: number): JobsOptions => ({
  attempts: 3,
  backoff: { type: 'exponential', delay: retryDelayMs },
  removeOnComplete: { age: 3600, count: 20_000 },
  removeOnFail: false,
});

/**
 * The dispatch job jumps the line (LIFO) so a backlog of event jobs does not delay the fan-out;
 * events still wait their turn behind the backlog as `product.event` jobs.
 */
const DISPATCH_OPTIONS: JobsOptions = { attempts: 5, backoff: { type: 'exponential', delay: 1_000 }, lifo: true, removeOnComplete: { age: 3600, count: 1000 }, removeOnFail: false };

/**
 * Puts logged events on the products queue. The request path adds one `product.dispatch` job per
 * batch of events (one Redis script instead of one per event, so intake stays cheap); a jobs
 * process fans it out into one `product.event` job per event. Job ids come from the log row, so
 * the fan-out, a retry of it and the sweeper may all add a row: BullMQ keeps one job. No status
 * write on enqueue: a row stays `received` until processed, and the sweeper re-adds old ones.
 */
export class ProductEnqueuer {
  private readonly dispatcher: Batcher<number, void>;

  constructor(
    private readonly queues: QueueRegistry,
    private readonly log: ProductEventLog,
    private readonly retryDelayMs: number,
    private readonly logger: Logger,
  ) {
    this.dispatcher = new Batcher((ids) => this.dispatchBatch(ids), 500, 1);
  }

  /** From the request path: the event is logged; a jobs process will give it its job. */
  enqueue(eventLogId: number): Promise<void> {
    return this.dispatcher.push(eventLogId);
  }

  flush(): Promise<void> {
    return this.dispatcher.flush();
  }

  /** One `product.event` job per logged event (the dispatch job's work, and the sweeper's). */
  async addEventJobs(ids: number[]): Promise<void> {
    const opts = productJobOptions(this.retryDelayMs);
    await this.queues.get('products').addBulk(
      ids.map((id) => ({ name: PRODUCT_EVENT_JOB, data: { eventLogId: id } satisfies ProductEventJobData, opts: { ...opts, jobId: productEventJobId(id) } })),
    );
  }

  private async dispatchBatch(ids: number[]): Promise<void[]> {
    await this.queues.get('products').add(PRODUCT_DISPATCH_JOB, { eventLogIds: ids } satisfies ProductDispatchJobData, DISPATCH_OPTIONS);
    return ids.map(() => undefined);
  }

  /** Re-enqueues rows whose enqueue failed (Redis was down when they arrived). */
  async sweep(olderThanMs: number): Promise<number> {
    let total = 0;
    for (;;) {
      const ids = await this.log.findStranded(olderThanMs, 500);
      if (ids.length === 0) break;
      await this.addEventJobs(ids);
      total += ids.length;
      if (ids.length < 500) break;
    }
    if (total > 0) this.logger.info({ count: total }, 're-enqueued stranded product events');
    return total;
  }
}

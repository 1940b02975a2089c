import type { JobsOptions } from 'bullmq';

import { DispatchBatcher, type DispatchJobData } from '../../core/dispatch';
import type { Logger } from '../../core/logger';
import { addOrRerun, type QueueRegistry } from '../../core/queues';
import type { ProductEventLog } from './event-log';

export const PRODUCT_EVENT_JOB = 'product.event';
export const PRODUCT_DISPATCH_JOB = 'product.dispatch';
export const productEventJobId = (eventLogId: number): string => `product-event-${eventLogId}`;

export interface ProductEventJobData {
  eventLogId: number;
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
 * Puts logged events on the products queue: the request path through one `product.dispatch` job
 * per batch, which a jobs process fans out into one `product.event` job per event (job id from the
 * log row, so BullMQ keeps one). No status write on enqueue: a row stays `received` until
 * processed, and the sweeper re-adds old ones.
 */
export class ProductEnqueuer {
  private readonly dispatcher: DispatchBatcher<number>;

  constructor(
    private readonly queues: QueueRegistry,
    private readonly log: ProductEventLog,
    private readonly retryDelayMs: number,
    private readonly logger: Logger,
  ) {
    this.dispatcher = new DispatchBatcher(queues, 'products', PRODUCT_DISPATCH_JOB);
  }

  /** From the request path: the event is logged; a jobs process will give it its job. */
  enqueue(eventLogId: number): Promise<void> {
    return this.dispatcher.push(eventLogId);
  }

  flush(): Promise<void> {
    return this.dispatcher.flush();
  }

  /** One `product.event` job per logged event (the dispatch job's work, and the sweeper's). */
  async addEventJobs(ids: number[], rerunFinished = false): Promise<void> {
    const opts = productJobOptions(this.retryDelayMs);
    const jobs = ids.map((id) => ({
      name: PRODUCT_EVENT_JOB,
      data: { eventLogId: id } satisfies ProductEventJobData,
      opts: { ...opts, jobId: productEventJobId(id) },
    }));
    // The sweeper's rows are unfinished: a job BullMQ failed without recording it is run again.
    if (rerunFinished) {
      await addOrRerun(this.queues.get('products'), jobs, async (failed) => {
        const received = await this.log.stillReceived(failed.map((job) => job.data.eventLogId));
        return failed.filter((job) => received.has(job.data.eventLogId));
      });
    } else await this.queues.get('products').addBulk(jobs);
  }

  /** Re-enqueues rows whose enqueue failed (Redis was down when they arrived). */
  async sweep(olderThanMs: number): Promise<number> {
    let total = 0;
    for (;;) {
      const ids = await this.log.findStranded(olderThanMs, 500);
      if (ids.length === 0) break;
      await this.addEventJobs(ids, true);
      total += ids.length;
      if (ids.length < 500) break;
    }
    if (total > 0) this.logger.info({ count: total }, 're-enqueued stranded product events');
    return total;
  }
}

import type { JobsOptions } from 'bullmq';

import { Batcher } from '../../core/batcher';
import type { Logger } from '../../core/logger';
import type { QueueRegistry } from '../../core/queues';
import type { ProductEventLog } from './event-log';

export const PRODUCT_EVENT_JOB = 'product.event';
export const productEventJobId = (eventLogId: number): string => `product-event-${eventLogId}`;

export interface ProductEventJobData {
  eventLogId: number;
}

/** 3 attempts, exponential backoff from `retryDelayMs` (30 s in production). */
export const productJobOptions = (retryDelayMs: number): JobsOptions => ({
  attempts: 3,
  backoff: { type: 'exponential', delay: retryDelayMs },
  removeOnComplete: { age: 3600, count: 20_000 },
  removeOnFail: false,
});

/**
 * Puts logged events on the products queue in bulk. The job id comes from the log row, so the
 * request path and the sweeper may both enqueue a row: BullMQ keeps one job. No status write on
 * enqueue: a row stays `received` until processed, and the sweeper re-adds old ones harmlessly.
 */
export class ProductEnqueuer {
  private readonly batcher: Batcher<number, void>;

  constructor(
    private readonly queues: QueueRegistry,
    private readonly log: ProductEventLog,
    private readonly retryDelayMs: number,
    private readonly logger: Logger,
  ) {
    this.batcher = new Batcher((ids) => this.enqueueBatch(ids), 500, 1);
  }

  enqueue(eventLogId: number): Promise<void> {
    return this.batcher.push(eventLogId);
  }

  flush(): Promise<void> {
    return this.batcher.flush();
  }

  private async enqueueBatch(ids: number[]): Promise<void[]> {
    const opts = productJobOptions(this.retryDelayMs);
    await this.queues.get('products').addBulk(
      ids.map((id) => ({ name: PRODUCT_EVENT_JOB, data: { eventLogId: id } satisfies ProductEventJobData, opts: { ...opts, jobId: productEventJobId(id) } })),
    );
    return ids.map(() => undefined);
  }

  /** Re-enqueues rows whose enqueue failed (Redis was down when they arrived). */
  async sweep(olderThanMs: number): Promise<number> {
    let total = 0;
    for (;;) {
      const ids = await this.log.findStranded(olderThanMs, 500);
      if (ids.length === 0) break;
      await Promise.all(ids.map((id) => this.enqueue(id)));
      total += ids.length;
      if (ids.length < 500) break;
    }
    if (total > 0) this.logger.info({ count: total }, 're-enqueued stranded product events');
    return total;
  }
}

import type { JobsOptions } from 'bullmq';

import { Batcher } from '../../core/batcher';
import { Inbox, type DispatchJobData } from '../../core/inbox';
import type { Logger } from '../../core/logger';
import type { QueueRegistry } from '../../core/queues';
import type { ProductEventLog } from './event-log';
import type { WebhookBody } from './payload';

export const PRODUCT_EVENT_JOB = 'product.event';
export const PRODUCT_DISPATCH_JOB = 'product.dispatch';
export const productEventJobId = (eventLogId: number): string => `product-event-${eventLogId}`;

export interface ProductEventJobData {
  eventLogId: number;
  /** Attempts the dispatch job already made on this event (see handOver). */
  attemptsBefore?: number;
}

export type ProductDispatchJobData = DispatchJobData<number>;

/** An event as the intake logged it: its log row and its validated body. */
export interface AcceptedEvent {
  eventLogId: number;
  body: WebhookBody;
}

/** Events waiting to be applied in this process at most; beyond it they go to the queue, for any jobs process. */
export const LOCAL_APPLY_LIMIT = 2_000;
/** Events per local batch (the applier's transaction size) and batches in flight (embedding calls overlap). */
const LOCAL_BATCH = 500;
const LOCAL_CONCURRENCY = 4;

let applyingHere = 0;
/** Accepted events this process is still applying (or embedding), over all its enqueuers: 0 when settled. */
export const locallyApplying = (): number => applyingHere;

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
  private local?: { batcher: Batcher<AcceptedEvent, void>; waiting: number; limit: number };

  constructor(
    private readonly queues: QueueRegistry,
    log: ProductEventLog,
    private readonly retryDelayMs: number,
    private readonly logger: Logger,
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

  /**
   * In a process that runs jobs too: accepted events are applied here by `apply` (a dispatch
   * job's work) instead of going through Redis to come back. A backlog beyond LOCAL_APPLY_LIMIT
   * goes to the queue, where every jobs process shares it.
   */
  applyLocally(apply: (events: AcceptedEvent[]) => Promise<void>, limit = LOCAL_APPLY_LIMIT): void {
    const local = {
      waiting: 0,
      limit,
      batcher: new Batcher<AcceptedEvent, void>(
        async (events) => {
          try {
            await apply(events);
          } catch (error) {
            // Their rows stay `received`: the sweeper gives them jobs.
            this.logger.warn({ err: error, count: events.length }, 'applying accepted product events failed; the sweeper will retry');
          } finally {
            local.waiting -= events.length;
            applyingHere -= events.length;
          }
          return events.map(() => undefined);
        },
        LOCAL_BATCH,
        LOCAL_CONCURRENCY,
      ),
    };
    this.local = local;
  }

  /** From the request path: the event is logged; this process applies it, or a jobs process gives it its job. */
  enqueue(eventLogId: number, body?: WebhookBody): Promise<void> {
    const local = this.local;
    if (local && body && local.waiting < local.limit) {
      local.waiting += 1;
      applyingHere += 1;
      return local.batcher.push({ eventLogId, body });
    }
    return this.inbox.enqueue(eventLogId);
  }

  async flush(): Promise<void> {
    await this.local?.batcher.flush();
    await this.inbox.flush();
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

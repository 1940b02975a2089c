import type { Job } from 'bullmq';

import { DispatchBatcher, type DispatchJobData } from '../dispatch';
import type { Logger } from '../logger';
import { addOrRerun, type JobProcessor, type QueueName, type QueueRegistry } from '../queues';
import { inboundJobId, queuesForTopic, type TopicSubscription } from './routing';
import type { InboundEventStore } from './store';
import type { InboundHandler } from './types';

export const INBOUND_JOB = 'inbound';
export const INTAKE_DISPATCH_JOB = 'intake.dispatch';

type Row = { id: number; topic: string; doneQueues?: string[] };
export type IntakeDispatchJobData = DispatchJobData<Row>;

export interface InboundJobData {
  inboundEventId: number;
}

/**
 * Moves persisted inbound events onto the domain queues: the request path through one
 * `intake.dispatch` job per batch on the maintenance queue, which a jobs process fans out into one
 * `inbound` job per row and interested domain. The job id is derived from the row id, so the
 * fan-out, a retry of it and the sweeper may all add the same row: BullMQ keeps one.
 */
export class InboundDispatcher {
  private readonly dispatch: DispatchBatcher<Row>;

  constructor(
    private readonly store: InboundEventStore,
    private readonly queues: QueueRegistry,
    private readonly subscriptions: TopicSubscription[],
    private readonly logger: Logger,
  ) {
    this.dispatch = new DispatchBatcher(queues, 'maintenance', INTAKE_DISPATCH_JOB);
  }

  /** From the request path: the row is persisted; a jobs process will give it its jobs. */
  enqueue(row: Row): Promise<void> {
    return this.dispatch.push(row);
  }

  flush(): Promise<void> {
    return this.dispatch.flush();
  }

  /** One `inbound` job per row on each queue whose domain wants its topic (the dispatch job's work, and the sweeper's). */
  async fanOut(rows: Row[], rerunFinished = false): Promise<void> {
    const byQueue = new Map<QueueName, Array<{ id: number }>>();
    for (const row of rows) {
      for (const queue of queuesForTopic(row.topic, this.subscriptions)) {
        // A domain that already recorded its outcome is not asked again.
        if (row.doneQueues?.includes(queue)) continue;
        const list = byQueue.get(queue) ?? [];
        list.push(row);
        byQueue.set(queue, list);
      }
    }
    await Promise.all(
      [...byQueue.entries()].map(async ([queue, list]) => {
        const jobs = list.map((row) => ({
          name: INBOUND_JOB,
          data: { inboundEventId: row.id } satisfies InboundJobData,
          opts: { jobId: inboundJobId(row.id) },
        }));
        if (rerunFinished) {
          await addOrRerun(this.queues.get(queue), jobs, async (failed) => {
            const received = await this.store.stillReceived(failed.map((job) => job.data.inboundEventId));
            return failed.filter((job) => received.has(job.data.inboundEventId));
          });
        } else await this.queues.get(queue).addBulk(jobs);
      }),
    );
    // No status write here: the sweeper re-adds rows still `received` after a while, and BullMQ
    // ignores an add whose job id it already holds, so a slow queue costs nothing twice.
  }

  /**
   * Re-enqueues rows still `received`: their enqueue failed (Redis was down when they arrived),
   * or BullMQ failed their job without it running to the end (killed workers, see addOrRerun).
   */
  async sweep(olderThanMs: number): Promise<number> {
    let total = 0;
    for (;;) {
      const stranded = await this.store.findStranded(olderThanMs, 500);
      if (stranded.length === 0) break;
      await this.fanOut(stranded, true);
      total += stranded.length;
      if (stranded.length < 500) break;
    }
    if (total > 0) this.logger.info({ count: total }, 're-enqueued stranded inbound events');
    return total;
  }
}

/** Wraps a domain's handler: loads the event, runs it, records the outcome on the inbound row. */
export function inboundProcessor(
  store: InboundEventStore,
  handler: InboundHandler,
  expectedQueues: (topic: string) => readonly string[] = () => [],
): JobProcessor {
  return async (job: Job, signal: AbortSignal) => {
    const { inboundEventId } = job.data as InboundJobData;
    const event = await store.load(inboundEventId);
    if (!event) return { skipped: 'inbound event no longer exists' };
    const queues = { queue: job.queueName, expectedQueues: expectedQueues(event.topic) };
    try {
      const outcome = (await handler(event, job, signal)) ?? 'processed';
      // A run cut short by shutdown was handed back to the queue; the next run records the outcome.
      if (signal.aborted) throw new Error('aborted by shutdown');
      await store.markOutcome(event.id, outcome, undefined, queues);
      return { outcome };
    } catch (error) {
      if (signal.aborted) throw error;
      const message = error instanceof Error ? error.message : String(error);
      const attempts = job.opts.attempts ?? 1;
      const final = job.attemptsMade + 1 >= attempts || (error instanceof Error && error.name === 'UnrecoverableError');
      if (final) await store.markOutcome(event.id, 'failed', message, queues);
      else await store.recordAttemptError(event.id, message);
      throw error;
    }
  };
}

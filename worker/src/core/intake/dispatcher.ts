import type { Job } from 'bullmq';

import { isFinalAttempt } from '../failures';
import { Inbox, type DispatchJobData } from '../inbox';
import type { Logger } from '../logger';
import type { JobProcessor, QueueRegistry } from '../queues';
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
 * Moves persisted inbound events onto the domain queues (core/inbox): the request path through
 * one `intake.dispatch` job per batch on the maintenance queue, which a jobs process fans out into
 * one `inbound` job per row and interested domain. The job id is derived from the row id, so the
 * fan-out, a retry of it and the sweeper may all add the same row: BullMQ keeps one.
 */
export class InboundDispatcher {
  private readonly inbox: Inbox<Row, InboundJobData>;

  constructor(store: InboundEventStore, queues: QueueRegistry, subscriptions: TopicSubscription[], logger: Logger) {
    this.inbox = new Inbox<Row, InboundJobData>({
      label: 'inbound events',
      queues,
      dispatch: { queue: 'maintenance', jobName: INTAKE_DISPATCH_JOB },
      table: store,
      // One job per domain that wants the topic and has not recorded its outcome yet.
      jobsFor: (row) =>
        queuesForTopic(row.topic, subscriptions)
          .filter((queue) => !row.doneQueues?.includes(queue))
          .map((queue) => ({ queue, name: INBOUND_JOB, data: { inboundEventId: row.id }, opts: { jobId: inboundJobId(row.id) } })),
      rowOf: (data) => data.inboundEventId,
      logger,
    });
  }

  /** From the request path: the row is persisted; a jobs process will give it its jobs. */
  enqueue(row: Row): Promise<void> {
    return this.inbox.enqueue(row);
  }

  flush(): Promise<void> {
    return this.inbox.flush();
  }

  /** One `inbound` job per row on each queue whose domain wants its topic (the dispatch job's work, and the sweeper's). */
  fanOut(rows: Row[], rerunFinished = false): Promise<void> {
    return this.inbox.fanOut(rows, rerunFinished);
  }

  /**
   * Re-enqueues rows still `received`: their enqueue failed (Redis was down when they arrived),
   * or BullMQ failed their job without it running to the end (killed workers, see addOrRerun).
   */
  sweep(olderThanMs: number): Promise<number> {
    return this.inbox.sweep(olderThanMs);
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
      const final = isFinalAttempt(job, error);
      if (final) await store.markOutcome(event.id, 'failed', message, queues);
      else await store.recordAttemptError(event.id, message);
      throw error;
    }
  };
}

import type { JobsOptions } from 'bullmq';

import { Batcher } from './batcher';
import type { QueueName, QueueRegistry } from './queues';

/**
 * The dispatch job jumps the line (LIFO) so a backlog of work jobs does not delay the fan-out;
 * the work still waits its turn behind the backlog.
 */
const DISPATCH_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1_000 },
  lifo: true,
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: false,
};

export interface DispatchJobData<T> {
  items: T[];
}

/**
 * Hands rows persisted on the request path to the jobs side: one dispatch job per batch of rows
 * (one Redis script instead of one per row and queue, so intake stays cheap), which a jobs process
 * fans out into the real jobs. The fan-out must be idempotent (job ids from row ids): a retried
 * dispatch, or a sweeper re-adding the same rows, then adds nothing twice.
 */
export class DispatchBatcher<T> {
  private readonly batcher: Batcher<T, void>;

  constructor(queues: QueueRegistry, queue: QueueName, jobName: string) {
    this.batcher = new Batcher<T, void>(
      async (items) => {
        await queues.get(queue).add(jobName, { items } satisfies DispatchJobData<T>, DISPATCH_OPTIONS);
        return items.map(() => undefined);
      },
      500,
      1,
    );
  }

  push(item: T): Promise<void> {
    return this.batcher.push(item);
  }

  flush(): Promise<void> {
    return this.batcher.flush();
  }
}

import type { JobsOptions } from 'bullmq';

import { Batcher } from './batcher';
import type { Logger } from './logger';
import { addOrRerun, type QueueName, type QueueRegistry } from './queues';

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

const SWEEP_PAGE = 500;

/**
 * How long a dispatch batch waits for more rows. The request was answered when its row was
 * stored, so this delays only the work; at a few thousand rows a second it makes one dispatch job
 * of ~50 rows instead of ~7, and each job costs ~45 Redis commands whatever its size.
 */
export const DISPATCH_LINGER_MS = 20;

export interface DispatchJobData<T> {
  items: T[];
}

/** One job the fan-out adds for a row; its job id comes from the row id, so adding it twice adds nothing. */
export interface InboxJob<Data extends object> {
  queue: QueueName;
  name: string;
  data: Data;
  opts: JobsOptions & { jobId: string };
}

/** What an inbox needs from the table its rows were persisted in (a row as the dispatch job carries it: an id, or more). */
export interface InboxTable<Row> {
  /** Rows with no outcome yet, older than `olderThanMs`: never enqueued, or their job was lost. */
  findStranded(olderThanMs: number, limit: number): Promise<Row[]>;
  /** Which of these rows still have no outcome. */
  stillReceived(ids: number[]): Promise<Set<number>>;
}

export interface InboxOptions<Row, Data extends object> {
  /** Used in log lines: "re-enqueued stranded <label>". */
  label: string;
  queues: QueueRegistry;
  /** Where the dispatch job of a batch goes, and its name (the runtime routes it to `fanOut`). */
  dispatch: { queue: QueueName; jobName: string };
  table: InboxTable<Row>;
  /** The jobs of one row (none when no domain wants it). */
  jobsFor(row: Row): Array<InboxJob<Data>>;
  /** The row id a job of this inbox carries. */
  rowOf(data: Data): number;
  logger: Logger;
}

/**
 * Persisted intake, after the row is stored: the request path pushes the row into one dispatch
 * job per batch (one Redis script instead of one per row and queue, so intake stays cheap); a
 * jobs process fans that out into the real jobs; a sweeper re-adds rows still without an
 * outcome. Job ids come from row ids, so the fan-out, a retried dispatch and the sweeper may all
 * add the same row and BullMQ keeps one. Used by the order intake (core/intake) and the product
 * events (products/ingest).
 */
export class Inbox<Row, Data extends object> {
  private readonly dispatcher: Batcher<Row, void>;

  constructor(private readonly options: InboxOptions<Row, Data>) {
    const { queues, dispatch } = options;
    this.dispatcher = new Batcher<Row, void>(
      async (rows) => {
        await queues.get(dispatch.queue).add(dispatch.jobName, { items: rows } satisfies DispatchJobData<Row>, DISPATCH_OPTIONS);
        return rows.map(() => undefined);
      },
      500,
      1,
      DISPATCH_LINGER_MS,
    );
  }

  /** From the request path: the row is persisted; a jobs process will give it its jobs. */
  enqueue(row: Row): Promise<void> {
    return this.dispatcher.push(row);
  }

  flush(): Promise<void> {
    return this.dispatcher.flush();
  }

  /**
   * The jobs of these rows (the dispatch job's work, and the sweeper's). With `rerunFinished`, a
   * job BullMQ failed without it recording an outcome (killed workers, see addOrRerun) runs again.
   */
  async fanOut(rows: Row[], rerunFinished = false): Promise<void> {
    const byQueue = new Map<QueueName, Array<InboxJob<Data>>>();
    for (const row of rows) {
      for (const job of this.options.jobsFor(row)) {
        const list = byQueue.get(job.queue) ?? [];
        list.push(job);
        byQueue.set(job.queue, list);
      }
    }
    await Promise.all(
      [...byQueue.entries()].map(async ([queue, list]) => {
        const jobs = list.map(({ name, data, opts }) => ({ name, data, opts }));
        if (!rerunFinished) {
          await this.options.queues.get(queue).addBulk(jobs);
          return;
        }
        await addOrRerun(this.options.queues.get(queue), jobs, async (failed) => {
          const received = await this.options.table.stillReceived(failed.map((job) => this.options.rowOf(job.data)));
          return failed.filter((job) => received.has(this.options.rowOf(job.data)));
        });
      }),
    );
    // No status write here: the sweeper re-adds rows still without an outcome after a while, and
    // BullMQ ignores an add whose job id it already holds, so a slow queue costs nothing twice.
  }

  /** Re-enqueues rows still without an outcome after `olderThanMs`; returns how many. */
  async sweep(olderThanMs: number): Promise<number> {
    let total = 0;
    for (;;) {
      const stranded = await this.options.table.findStranded(olderThanMs, SWEEP_PAGE);
      if (stranded.length === 0) break;
      await this.fanOut(stranded, true);
      total += stranded.length;
      if (stranded.length < SWEEP_PAGE) break;
    }
    if (total > 0) this.options.logger.info({ count: total }, `re-enqueued stranded ${this.options.label}`);
    return total;
  }
}

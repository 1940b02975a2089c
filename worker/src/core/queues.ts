import { DelayedError, Queue, Worker, type DefaultJobOptions, type Job, type JobsOptions, type RepeatOptions } from 'bullmq';

import { toJobError } from './failures';
import type { Logger } from './logger';
import type { RedisClient } from './redis';

export const QUEUE_NAMES = ['events', 'bookings', 'stock', 'products', 'maintenance'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export const isQueueName = (value: string): value is QueueName => (QUEUE_NAMES as readonly string[]).includes(value);

/** Retry policy as data: exponential backoff, failed jobs kept as dead letters until replayed. */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: false,
};

/** `signal` aborts when the process shuts down; the job is then handed back to the queue. */
export type JobProcessor = (job: Job, signal: AbortSignal) => Promise<unknown>;

export const SHUTDOWN_REASON = 'worker shutting down';

class HandedBack extends Error {}

export interface ScheduleSpec {
  /** Stable id: BullMQ keeps one scheduler per id in Redis, shared by every worker process. */
  id: string;
  repeat: Pick<RepeatOptions, 'every' | 'pattern' | 'tz'>;
  jobName: string;
  data?: Record<string, unknown>;
  opts?: Omit<JobsOptions, 'repeat' | 'jobId'>;
}

export class QueueRegistry {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    private readonly connection: RedisClient,
    readonly prefix: string,
  ) {
    for (const name of QUEUE_NAMES) {
      this.queues.set(name, new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS }));
    }
  }

  get(name: QueueName): Queue {
    const queue = this.queues.get(name);
    if (!queue) throw new Error(`unknown queue ${name}`);
    return queue;
  }

  all(): Array<[QueueName, Queue]> {
    return [...this.queues.entries()];
  }

  async upsertSchedule(queue: QueueName, spec: ScheduleSpec): Promise<void> {
    await this.get(queue).upsertJobScheduler(spec.id, spec.repeat, { name: spec.jobName, data: spec.data ?? {}, opts: spec.opts ?? {} });
  }

  async counts(): Promise<Record<string, { waiting: number; active: number; failed: number; delayed: number }>> {
    const entries = await Promise.all(
      this.all().map(async ([name, queue]) => {
        const counts = await queue.getJobCounts('waiting', 'active', 'failed', 'delayed', 'prioritized', 'waiting-children');
        return [
          name,
          {
            waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts['waiting-children'] ?? 0),
            active: counts.active ?? 0,
            failed: counts.failed ?? 0,
            delayed: counts.delayed ?? 0,
          },
        ] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}

export interface KeyedJob {
  name: string;
  data: object;
  opts: JobsOptions & { jobId: string };
}

/**
 * For sweepers: adds jobs for rows known to be unfinished, by their stable ids. BullMQ ignores an
 * add whose id it still holds, so a job it keeps as failed without its processor having recorded
 * anything — a worker killed twice while the job was active exceeds the stalled-job limit — kept its
 * row stranded forever. Such a job is retried, but only when `stillUnfinished` (read after seeing
 * the failed state) confirms its row is unfinished: a processor records a real dead letter on the
 * row before its job turns failed. Waiting, delayed, active and completed jobs are left alone.
 * Returns how many failed jobs were retried.
 */
export async function addOrRerun<T extends KeyedJob>(queue: Queue, jobs: T[], stillUnfinished: (jobs: T[]) => Promise<T[]>): Promise<number> {
  if (jobs.length === 0) return 0;
  await queue.addBulk(jobs);
  const failed: Array<{ spec: T; job: Job }> = [];
  for (const spec of jobs) {
    const job = await queue.getJob(spec.opts.jobId);
    if (job && (await job.getState()) === 'failed') failed.push({ spec, job });
  }
  if (failed.length === 0) return 0;
  const stranded = new Set((await stillUnfinished(failed.map((entry) => entry.spec))).map((spec) => spec.opts.jobId));
  let rerun = 0;
  for (const { spec, job } of failed) {
    if (!stranded.has(spec.opts.jobId)) continue;
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    rerun += 1;
  }
  return rerun;
}

export class UnknownJobError extends Error {
  constructor(queue: string, name: string) {
    super(`queue ${queue} has no processor for job ${name}`);
    this.name = 'UnknownJobError';
  }
}

export function startQueueWorker(options: {
  queue: QueueName;
  connection: RedisClient;
  prefix: string;
  concurrency: number;
  processors: Record<string, JobProcessor>;
  logger: Logger;
}): Worker {
  const { queue, processors, logger } = options;
  const worker = new Worker(
    queue,
    async (job, token, signal) => {
      const processor = processors[job.name];
      if (!processor) throw new UnknownJobError(queue, job.name);
      const abort = signal ?? new AbortController().signal;
      // On shutdown the job goes back to the queue at once (no attempt spent); jobs are idempotent,
      // so a processor that was stopped half-way is safe to run again.
      const handedBack = new Promise<never>((_, reject) => {
        abort.addEventListener('abort', () => reject(new HandedBack()), { once: true });
      });
      try {
        return await Promise.race([processor(job, abort), handedBack]);
      } catch (error) {
        if (abort.aborted && token) {
          await job.moveToDelayed(Date.now(), token);
          throw new DelayedError();
        }
        throw toJobError(error);
      }
    },
    { connection: options.connection, prefix: options.prefix, concurrency: options.concurrency, autorun: true },
  );
  worker.on('failed', (job, error) => {
    logger.warn({ queue, job: job?.name, jobId: job?.id, attemptsMade: job?.attemptsMade, err: error }, 'job failed');
  });
  worker.on('error', (error) => logger.error({ queue, err: error }, 'queue worker error'));
  return worker;
}

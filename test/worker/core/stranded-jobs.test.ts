// Drill fault 1 (kill -9 of every worker, six times): a job active in two killed processes in a
// row exceeds BullMQ's stalled-job limit and is failed without its processor recording anything,
// so its row stays `received`. The sweepers re-added it by its stable job id — which BullMQ ignores
// while it still holds the failed job — and the row was stranded for good. addOrRerun (used by the
// intake and products sweepers) retries such failed jobs.
import { Queue, Worker, UnrecoverableError } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';

import { addOrRerun, type KeyedJob } from '../../../worker/src/core/queues';
import { dropRedisPrefix, uniquePrefix } from '../../support/db';
import { until } from '../../support/until';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = uniquePrefix('stranded');
const connection = new Redis(url, { maxRetriesPerRequest: null });
const queue = new Queue('maintenance', { connection, prefix });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterAll(async () => {
  await queue.close();
  await dropRedisPrefix(prefix);
  connection.disconnect();
});

async function stateOf(id: string): Promise<string> {
  return (await (await queue.getJob(id))?.getState()) ?? 'missing';
}

const untilState = (id: string, state: string) =>
  until(
    `job ${id} to be ${state}`,
    () => stateOf(id),
    (current) => current === state,
    10_000,
    50,
  );

describe('sweeping rows whose jobs BullMQ already finished', () => {
  it('a plain re-add is ignored; addOrRerun retries a failed job whose row is unfinished, not a recorded dead letter, a completed or a waiting job', async () => {
    const ran: string[] = [];
    let healthy = false;
    const worker = new Worker(
      'maintenance',
      async (job) => {
        ran.push(String(job.id));
        // First run of job "a": fails the way a stalled-limit failure ends (nothing recorded).
        if (!healthy && job.id === 'inbound-a') throw new UnrecoverableError('job stalled more than allowable limit');
        return 'ok';
      },
      { connection: new Redis(url, { maxRetriesPerRequest: null }), prefix, concurrency: 1 },
    );
    try {
      const spec = (id: string) => ({ name: 'inbound', data: { id }, opts: { jobId: `inbound-${id}` } });
      await queue.addBulk([spec('a'), spec('b')]);
      await untilState('inbound-a', 'failed');
      await untilState('inbound-b', 'completed');

      // The old sweeper: the add is a no-op, the job stays failed.
      await queue.addBulk([spec('a')]);
      await sleep(300);
      expect(await stateOf('inbound-a')).toBe('failed');

      // A failed job whose row recorded its outcome (a real dead letter) is not retried.
      const recorded = new Set<string>(['inbound-a']);
      const unfinished = async <T extends KeyedJob>(jobs: T[]) => jobs.filter((job) => !recorded.has(job.opts.jobId));
      expect(await addOrRerun(queue, [spec('a')], unfinished)).toBe(0);
      expect(await stateOf('inbound-a')).toBe('failed');

      // Its row still unfinished (the stalled-limit case): retried, once; a completed job is left alone.
      recorded.clear();
      healthy = true;
      expect(await addOrRerun(queue, [spec('a'), spec('b')], unfinished)).toBe(1);
      await untilState('inbound-a', 'completed');
      expect(ran.filter((id) => id === 'inbound-a')).toHaveLength(2);
      expect(ran.filter((id) => id === 'inbound-b')).toHaveLength(1);

      // A job still waiting (its row simply not processed yet) is not touched or doubled.
      await worker.pause();
      await queue.add('inbound', { id: 'c' }, { jobId: 'inbound-c' });
      expect(await addOrRerun(queue, [spec('c')], unfinished)).toBe(0);
      expect(await queue.getJobCounts('waiting')).toMatchObject({ waiting: 1 });
    } finally {
      await worker.close();
    }
  });
});

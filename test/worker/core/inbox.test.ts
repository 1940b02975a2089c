// core/inbox: the one "persisted row → dispatch job → fan-out → sweep" mechanism behind the order
// intake and the product events, on real Redis with a unique prefix.
import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';

import { Inbox, type DispatchJobData } from '../../../worker/src/core/inbox';
import { QueueRegistry } from '../../../worker/src/core/queues';
import { dropRedisPrefix, uniquePrefix } from '../../support/db';
import { until } from '../../support/until';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = uniquePrefix('inbox');
const connection = new Redis(url, { maxRetriesPerRequest: null });
const queues = new QueueRegistry(connection, prefix);

afterAll(async () => {
  await queues.close();
  await dropRedisPrefix(prefix);
  connection.disconnect();
});

type Row = { id: number; topic: string };

/** An inbox over an in-memory table: rows without an outcome are "received". */
function inboxOver(rows: Row[], received: Set<number>, strandedPages: Row[][] = []) {
  const pages = [...strandedPages];
  return new Inbox<Row, { rowId: number }>({
    label: 'test rows',
    queues,
    dispatch: { queue: 'maintenance', jobName: 'test.dispatch' },
    table: {
      findStranded: async (_olderThanMs, limit) => (pages.shift() ?? []).slice(0, limit),
      stillReceived: async (ids) => new Set(ids.filter((id) => received.has(id))),
    },
    // Topic "both" goes to two queues, "none" to no queue.
    jobsFor: (row) =>
      (row.topic === 'both' ? (['events', 'bookings'] as const) : row.topic === 'none' ? [] : (['events'] as const)).map((queue) => ({
        queue,
        name: 'work',
        data: { rowId: row.id },
        opts: { jobId: `work-${row.id}` },
      })),
    rowOf: (data) => data.rowId,
    logger: pino({ level: 'silent' }),
  });
}

async function jobIds(queue: 'events' | 'bookings'): Promise<string[]> {
  const jobs = await queues.get(queue).getJobs(['waiting', 'failed', 'completed', 'delayed']);
  return jobs.map((job) => String(job.id)).sort();
}

describe('Inbox', () => {
  it('batches concurrent enqueues into one dispatch job carrying the rows', async () => {
    const inbox = inboxOver([], new Set());
    const rows = Array.from({ length: 20 }, (_, index) => ({ id: 1_000 + index, topic: 'one' }));
    await Promise.all(rows.map((row) => inbox.enqueue(row)));
    await inbox.flush();
    const dispatched = await queues.get('maintenance').getJobs(['waiting', 'prioritized']);
    const carried = dispatched.filter((job) => job.name === 'test.dispatch').flatMap((job) => (job.data as DispatchJobData<Row>).items.map((row) => row.id));
    expect(carried.sort()).toEqual(rows.map((row) => row.id));
    // One for the first row (no timer, so it leaves at once), one for the rows that waited behind it.
    expect(dispatched.filter((job) => job.name === 'test.dispatch').length).toBeLessThanOrEqual(2);
  });

  it('fans a row out to every queue its jobs name, once per job id however often it is added', async () => {
    const inbox = inboxOver([], new Set());
    const rows = [
      { id: 1, topic: 'both' },
      { id: 2, topic: 'one' },
      { id: 3, topic: 'none' },
    ];
    await inbox.fanOut(rows);
    await inbox.fanOut(rows);
    expect(await jobIds('events')).toEqual(['work-1', 'work-2']);
    expect(await jobIds('bookings')).toEqual(['work-1']);
  });

  it('sweeps page by page until a short page, and counts what it re-added', async () => {
    const full = Array.from({ length: 500 }, (_, index) => ({ id: 10_000 + index, topic: 'one' }));
    const inbox = inboxOver([], new Set(), [full, [{ id: 20_000, topic: 'one' }], [{ id: 30_000, topic: 'one' }]]);
    // The second page is short: the sweep stops there and never reads the third.
    expect(await inbox.sweep(1_000)).toBe(501);
    const ids = await jobIds('events');
    expect(ids).toContain('work-20000');
    expect(ids).not.toContain('work-30000');
  });

  it('a sweep re-runs a failed job only while its row has no outcome', async () => {
    const events = queues.get('events');
    // Fails both the way a stalled-limit failure ends: nothing recorded on the row.
    const worker = new Worker(
      'events',
      async () => {
        throw new UnrecoverableError('job stalled more than allowable limit');
      },
      { connection: new Redis(url, { maxRetriesPerRequest: null }), prefix },
    );
    await events.add('work', { rowId: 40 }, { jobId: 'work-40' });
    await events.add('work', { rowId: 41 }, { jobId: 'work-41' });
    const failed = async () => Promise.all(['work-40', 'work-41'].map(async (id) => (await events.getJob(id))?.getState()));
    await until('both jobs to fail', failed, (states) => states.every((state) => state === 'failed'), 10_000, 50);
    await worker.close();
    // Row 40 is still received (lost job); row 41 recorded its outcome (a real dead letter).
    const inbox = inboxOver([], new Set([40]), [
      [
        { id: 40, topic: 'one' },
        { id: 41, topic: 'one' },
      ],
    ]);
    expect(await inbox.sweep(1_000)).toBe(2);
    expect(await (await events.getJob('work-40'))?.getState()).toBe('waiting');
    expect(await (await events.getJob('work-41'))?.getState()).toBe('failed');
  });
});

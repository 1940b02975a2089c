// Drill fault 1 left one hole: an event two domains handle (a paid order goes to events and
// bookings) had a single status. When events recorded `processed` and the bookings job had been
// failed by BullMQ's stalled-job limit (its processes killed mid-run, nothing recorded), the row no
// longer looked stranded and the sweeper never reran bookings. The row now stays `received` until
// every domain the topic goes to has answered, and the sweeper asks only the ones that have not.
import { Worker, UnrecoverableError, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openDatabase, type DatabaseHandle } from '../../../worker/src/core/db';
import { migrateToLatest } from '../../../worker/src/core/db/migrate';
import { InboundDispatcher, inboundProcessor } from '../../../worker/src/core/intake/dispatcher';
import { queuesForTopic, type TopicSubscription } from '../../../worker/src/core/intake/routing';
import { combinedOutcome, InboundEventStore, parseDoneQueues } from '../../../worker/src/core/intake/store';
import { createLogger } from '../../../worker/src/core/logger';
import { QueueRegistry } from '../../../worker/src/core/queues';
import { createTestDatabase, dropRedisPrefix, uniquePrefix, type TestDatabase } from '../../support/db';
import { until } from '../../support/until';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const subscriptions: TopicSubscription[] = [
  { queue: 'events', topics: ['order.*'] },
  { queue: 'bookings', topics: ['order.*'] },
];
const expectedQueues = (topic: string) => queuesForTopic(topic, subscriptions);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let database: TestDatabase;
let handle: DatabaseHandle;
let store: InboundEventStore;
const prefix = uniquePrefix('fanout');
const connection = new Redis(url, { maxRetriesPerRequest: null });
const queues = new QueueRegistry(connection, prefix);

beforeAll(async () => {
  database = await createTestDatabase('fanout');
  handle = openDatabase(database.url);
  await migrateToLatest(handle.db, []);
  store = new InboundEventStore(handle.db);
});

afterAll(async () => {
  for (const [, queue] of queues.all()) await queue.close();
  await handle?.close();
  await database?.drop();
  await dropRedisPrefix(prefix);
  connection.disconnect();
});

async function receive(eventId: string, topic = 'order.paid'): Promise<number> {
  await store.accept({ eventId, topic, source: 'test', resourceId: eventId, payload: '{}', bodySha256: eventId.padEnd(64, '0').slice(0, 64) });
  const row = await handle.db.selectFrom('synchub_inbound_events').select('id').where('event_id', '=', eventId).executeTakeFirstOrThrow();
  return Number(row.id);
}

const rowOf = (id: number) =>
  handle.db.selectFrom('synchub_inbound_events').select(['status', 'done_queues', 'last_error']).where('id', '=', id).executeTakeFirstOrThrow();

const untilStatus = (id: number, status: string) =>
  until(
    `row ${id} to be ${status}`,
    () => rowOf(id),
    (row) => row.status === status,
    10_000,
    50,
  );

describe('an inbound event several domains handle', () => {
  it('combines the domains’ outcomes only once every one has answered', () => {
    const done = parseDoneQueues('events:processed');
    expect(combinedOutcome(done, ['events', 'bookings'])).toBeUndefined();
    expect(combinedOutcome(new Map([...done, ['bookings', 'ignored']]), ['events', 'bookings'])).toBe('processed');
    expect(combinedOutcome(new Map([...done, ['bookings', 'failed']]), ['events', 'bookings'])).toBe('failed');
    expect(combinedOutcome(parseDoneQueues('events:ignored,bookings:ignored'), ['events', 'bookings'])).toBe('ignored');
    expect(parseDoneQueues('events:processed,junk,bookings:maybe,:failed')).toEqual(new Map([['events', 'processed']]));
  });

  it('two domains answering at the same moment both count', async () => {
    const id = await receive('evt-concurrent');
    await Promise.all([
      store.markOutcome(id, 'processed', undefined, { queue: 'events', expectedQueues: ['events', 'bookings'] }),
      store.markOutcome(id, 'ignored', undefined, { queue: 'bookings', expectedQueues: ['events', 'bookings'] }),
    ]);
    const row = await rowOf(id);
    expect(row.status).toBe('processed');
    expect(parseDoneQueues(row.done_queues)).toEqual(
      new Map([
        ['events', 'processed'],
        ['bookings', 'ignored'],
      ]),
    );
  });

  it('a domain whose job was lost after another domain finished is rerun by the sweeper, and only that one', async () => {
    const ran = { events: 0, bookings: 0 };
    let bookingsStalls = true;
    const dispatcher = new InboundDispatcher(store, queues, subscriptions, createLogger('silent'));
    const process = (queue: 'events' | 'bookings') =>
      inboundProcessor(
        store,
        async () => {
          ran[queue] += 1;
          return 'processed';
        },
        expectedQueues,
      );
    const abort = new AbortController().signal;
    const workerFor = (queue: 'events' | 'bookings') =>
      new Worker(
        queue,
        async (job: Job) => {
          // BullMQ's stalled-job limit fails a job without its processor recording anything.
          if (queue === 'bookings' && bookingsStalls) throw new UnrecoverableError('job stalled more than allowable limit');
          return process(queue)(job, abort);
        },
        { connection: new Redis(url, { maxRetriesPerRequest: null }), prefix, concurrency: 1 },
      );
    const workers = [workerFor('events'), workerFor('bookings')];
    try {
      const id = await receive('evt-lost-bookings');
      await dispatcher.fanOut([{ id, topic: 'order.paid' }]);
      await until(
        'the events job to run',
        () => ran.events,
        (count) => count > 0,
        10_000,
        50,
      );
      const bookingsJob = await queues.get('bookings').getJob(`inbound-${id}`);
      await until(
        'the bookings job to fail',
        async () => bookingsJob?.getState(),
        (state) => state === 'failed',
        10_000,
        50,
      );

      // Events answered, bookings did not: the row is still waiting for bookings.
      const halfway = await rowOf(id);
      expect(halfway.status).toBe('received');
      expect(parseDoneQueues(halfway.done_queues)).toEqual(new Map([['events', 'processed']]));

      bookingsStalls = false;
      expect(await dispatcher.sweep(0)).toBe(1);
      await untilStatus(id, 'processed');
      expect(ran).toEqual({ events: 1, bookings: 1 });
      expect(parseDoneQueues((await rowOf(id)).done_queues)).toEqual(
        new Map([
          ['events', 'processed'],
          ['bookings', 'processed'],
        ]),
      );

      // Settled: nothing is stranded any more, and nobody runs twice.
      expect(await dispatcher.sweep(0)).toBe(0);
      await sleep(200);
      expect(ran).toEqual({ events: 1, bookings: 1 });
    } finally {
      await Promise.all(workers.map((worker) => worker.close()));
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createProductsDomain } from '../../../worker/src/products';
import { ProductEnqueuer, type AcceptedEvent } from '../../../worker/src/products/ingest/enqueuer';
import { ProductEventLog } from '../../../worker/src/products/ingest/event-log';
import { webhookBody } from '../../../worker/src/products/ingest/payload';
import { startTestRuntime, type TestRuntime } from '../../support/runtime';
import { productEvent, waitFor } from './helpers';

// Queues of a runtime that runs no jobs: what the enqueuer puts there stays to be looked at.
let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await startTestRuntime({ domains: [createProductsDomain], processJobs: false });
});
afterAll(async () => {
  await runtime?.dispose();
});

const body = (id: number) => webhookBody.parse(productEvent(id));
const dispatchedIds = async (): Promise<number[]> =>
  (await runtime.ctx.queues.get('products').getJobs(['waiting', 'prioritized']))
    .filter((job) => job.name === 'product.dispatch')
    .flatMap((job) => (job.data as { items: number[] }).items);

describe('events applied by the process that accepted them', () => {
  it('go to the queue, for any jobs process, once the local backlog is at its limit', async () => {
    const { ctx } = runtime;
    const enqueuer = new ProductEnqueuer(ctx.queues, new ProductEventLog(ctx.db), 50, ctx.logger);
    const received: AcceptedEvent[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    enqueuer.applyLocally(async (events) => {
      received.push(...events);
      await held;
    }, 5);
    const ids = Array.from({ length: 8 }, (_, index) => 910_000 + index);
    const enqueued = ids.map((id) => enqueuer.enqueue(id, body(id)));
    await waitFor(async () => ((await dispatchedIds()).filter((id) => ids.includes(id)).length === 3 ? true : undefined), 10_000, 'the overflow dispatched');
    expect((await dispatchedIds()).filter((id) => ids.includes(id)).sort()).toEqual(ids.slice(5));
    release();
    await Promise.all(enqueued);
    expect(received.map((event) => event.eventLogId).sort()).toEqual(ids.slice(0, 5));
    expect(received[0]?.body.product.id).toBe(ids[0]);
    // The backlog is free again: the next event is applied here.
    await enqueuer.enqueue(910_100, body(910_100));
    expect(received.map((event) => event.eventLogId)).toContain(910_100);
  });

  it('without a validated body (not from this process’s intake) go to the queue', async () => {
    const { ctx } = runtime;
    const enqueuer = new ProductEnqueuer(ctx.queues, new ProductEventLog(ctx.db), 50, ctx.logger);
    let calls = 0;
    enqueuer.applyLocally(async () => {
      calls += 1;
    });
    await enqueuer.enqueue(920_000);
    expect(calls).toBe(0);
    expect(await dispatchedIds()).toContain(920_000);
  });

  it('whose applying failed stay for the sweeper, and free their place in the backlog', async () => {
    const { ctx } = runtime;
    const warnings: unknown[] = [];
    const logger = Object.assign(Object.create(ctx.logger) as typeof ctx.logger, { warn: (...args: unknown[]) => void warnings.push(args) });
    const enqueuer = new ProductEnqueuer(ctx.queues, new ProductEventLog(ctx.db), 50, logger);
    let calls = 0;
    enqueuer.applyLocally(async () => {
      calls += 1;
      throw new Error('database gone');
    }, 1);
    await enqueuer.enqueue(930_000, body(930_000));
    await enqueuer.enqueue(930_001, body(930_001));
    expect(calls).toBe(2);
    expect(warnings).toHaveLength(2);
    expect((await dispatchedIds()).filter((id) => id >= 930_000 && id < 930_010)).toEqual([]);
  });
});

import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { EmbeddingsClient } from '../../../worker/src/connectors/embeddings';
import { createProductsDomain } from '../../../worker/src/products';
import { APPLY_BATCH_EVENTS, BatchApplier } from '../../../worker/src/products/catalog/batch-apply';
import { EmbeddingBatcher } from '../../../worker/src/products/catalog/embedding';
import { ProductStore } from '../../../worker/src/products/catalog/store';
import { ProductEnqueuer } from '../../../worker/src/products/ingest/enqueuer';
import { ProductEventLog } from '../../../worker/src/products/ingest/event-log';
import { productProcessors } from '../../../worker/src/products/jobs';
import { startFakeEmbeddings, type FakeEmbeddingsServer } from '../../fakes/embeddings/server';
import { startTestRuntime, type TestRuntime } from '../../support/runtime';
import {
  eventRow,
  generateToken,
  postEvent,
  productEvent,
  productRow,
  startProductsRuntime,
  waitFor,
  waitForEventSettled,
  type GeneratedToken,
} from './helpers';

let runtime: TestRuntime;
let fake: FakeEmbeddingsServer;
let token: GeneratedToken;

beforeAll(async () => {
  fake = await startFakeEmbeddings();
  runtime = await startProductsRuntime({ EMBEDDINGS_URL: fake.url, EMBEDDINGS_MODEL: 'test-embed' });
  token = await generateToken(runtime, { name: 'dispatch' });
});
afterAll(async () => {
  await runtime?.dispose();
  await fake?.close();
});

const productJobs = async () =>
  (await runtime.ctx.queues.get('products').getJobs(['completed', 'failed', 'waiting', 'active', 'delayed'])).filter((job) => job.name === 'product.event');

describe('a process that runs jobs applies what it accepts in place', () => {
  it('stores and embeds a burst of events with no dispatch job and no job per event', async () => {
    const before = (await productJobs()).length;
    const bodies = Array.from({ length: 40 }, (_, index) => productEvent(5_000 + index));
    const answers = await Promise.all(bodies.map((body) => postEvent(runtime, token.token, body)));
    expect(answers.map((answer) => answer.status)).toEqual(bodies.map(() => 202));
    for (const body of bodies) expect(await waitForEventSettled(runtime, body.event_id as string)).toMatchObject({ status: 'processed', success: 1 });
    for (const index of [0, 39]) {
      const row = await productRow(runtime, 5_000 + index);
      expect(row).toMatchObject({ revision: 1, needs_embedding: 0 });
      expect(row?.embedded_hash).toBe(row?.content_hash);
    }
    expect((await productJobs()).length).toBe(before);
    const ids = await Promise.all(bodies.map(async (body) => Number((await eventRow(runtime, body.event_id as string))?.id)));
    const dispatched = (await runtime.ctx.queues.get('products').getJobs(['completed', 'waiting', 'active'])).filter((job) => job.name === 'product.dispatch');
    expect(dispatched.flatMap((job) => (job.data as { items: number[] }).items).filter((id) => ids.includes(id))).toEqual([]);
  });

  it('hands an event whose embedding failed to its own job, which embeds it on retry', async () => {
    const body = productEvent(6_001);
    // 401: a permanent refusal the first time, so the dispatch job does not retry it inline.
    fake.failNext({ status: 401, body: JSON.stringify({ error: { message: 'refused once' } }) });
    expect((await postEvent(runtime, token.token, body)).status).toBe(202);
    const row = await waitForEventSettled(runtime, body.event_id as string);
    expect(row).toMatchObject({ status: 'processed' });
    const job = await waitFor(async () => runtime.ctx.queues.get('products').getJob(`product-event-${row.id}`), 10_000, 'the event job');
    await waitFor(async () => ((await job.getState()) === 'completed' ? true : undefined), 10_000, 'the event job completed');
    const product = await productRow(runtime, 6_001);
    expect(product).toMatchObject({ revision: 1, needs_embedding: 0 });
    expect(product?.embedded_hash).toBe(product?.content_hash);
  });
});

describe('the embeddings client of a dispatch job', () => {
  // A runtime that logs events but runs no jobs: the test runs the dispatch job itself.
  let idle: TestRuntime;
  let idleToken: GeneratedToken;

  beforeAll(async () => {
    idle = await startTestRuntime({ env: { PRODUCTS_RETRY_DELAY_MS: '50' }, domains: [createProductsDomain], processJobs: false });
    idleToken = await generateToken(idle, { name: 'dispatch-embedder' });
  });
  afterAll(async () => {
    await idle?.dispose();
  });

  const dispatchWith = async (embedder: () => Promise<EmbeddingsClient | undefined>, firstProduct: number, count: number) => {
    const { ctx } = idle;
    const log = new ProductEventLog(ctx.db);
    const store = new ProductStore(ctx.db, ctx.config.products.contentHash);
    const processors = productProcessors({
      store,
      applier: new BatchApplier(ctx.db, store, APPLY_BATCH_EVENTS, ctx.config.products.contentHash),
      log,
      enqueuer: new ProductEnqueuer(ctx.queues, log, ctx.config.products.retryDelayMs, ctx.logger),
      logger: ctx.logger,
      sweepAfterMs: 60_000,
      embedder,
      embedding: new EmbeddingBatcher(store),
    });
    const bodies = Array.from({ length: count }, (_, index) => productEvent(firstProduct + index));
    for (const body of bodies) expect((await postEvent(idle, idleToken.token, body)).status).toBe(202);
    const ids = await Promise.all(bodies.map(async (body) => Number((await eventRow(idle, body.event_id as string))?.id)));
    const dispatch = processors['product.dispatch'] as (job: Job) => Promise<unknown>;
    const result = await dispatch({ data: { items: ids }, attemptsMade: 0 } as unknown as Job);
    return { ids, result };
  };

  it('hands concurrent events to the jobs side in dispatch batches (an intake-only process)', async () => {
    const bodies = Array.from({ length: 40 }, (_, index) => productEvent(7_500 + index));
    const answers = await Promise.all(bodies.map((body) => postEvent(idle, idleToken.token, body)));
    expect(answers.map((answer) => answer.status)).toEqual(bodies.map(() => 202));
    const ids = await Promise.all(bodies.map(async (body) => Number((await eventRow(idle, body.event_id as string))?.id)));
    const dispatched = await waitFor(
      async () => {
        const jobs = (await idle.ctx.queues.get('products').getJobs(['waiting', 'prioritized'])).filter((job) => job.name === 'product.dispatch');
        const items = jobs.flatMap((job) => (job.data as { items: number[] }).items).filter((id) => ids.includes(id));
        return items.length === ids.length ? { jobs: jobs.length, items } : undefined;
      },
      10_000,
      'the dispatch jobs',
    );
    expect(dispatched.items.sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    // Batches, not a job per event.
    expect(dispatched.jobs).toBeLessThan(ids.length);
    expect(await productRow(idle, 7_500)).toBeUndefined();
  });

  it('is resolved once per job, however many groups of products it embeds', async () => {
    let resolved = 0;
    const client = new EmbeddingsClient({ url: fake.url, model: 'test-embed' }, idle.ctx.egress.request);
    const { result } = await dispatchWith(
      async () => {
        resolved += 1;
        return client;
      },
      7_000,
      40,
    );
    expect(result).toEqual({ applied: 40, enqueued: 0 });
    expect(resolved).toBe(1);
    for (const id of [7_000, 7_039]) {
      const product = await productRow(idle, id);
      expect(product).toMatchObject({ revision: 1, needs_embedding: 0 });
      expect(product?.embedded_hash).toBe(product?.content_hash);
    }
  });

  it('hands every event to its own job, its first attempt recorded, when it cannot be resolved', async () => {
    const { ids, result } = await dispatchWith(() => Promise.reject(new Error('settings unreadable')), 7_100, 3);
    expect(result).toEqual({ applied: 0, enqueued: 3 });
    for (const id of ids) {
      const row = await idle.ctx.db.selectFrom('synchub_product_events').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'processed', attempts: 2, error: 'settings unreadable' });
      const job = await idle.ctx.queues.get('products').getJob(`product-event-${id}`);
      expect(job?.data).toEqual({ eventLogId: id, attemptsBefore: 1 });
    }
    expect(await productRow(idle, 7_100)).toMatchObject({ revision: 1, needs_embedding: 1 });
  });
});

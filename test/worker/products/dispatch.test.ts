import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startFakeEmbeddings, type FakeEmbeddingsServer } from '../../fakes/embeddings/server';
import type { TestRuntime } from '../../support/runtime';
import { generateToken, postEvent, productEvent, productRow, startProductsRuntime, waitFor, waitForEventSettled, type GeneratedToken } from './helpers';

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

describe('the dispatch job applies its batch in place', () => {
  it('stores and embeds a burst of events with no job per event', async () => {
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
    const dispatched = (await runtime.ctx.queues.get('products').getJobs(['completed'])).filter((job) => job.name === 'product.dispatch');
    const applied = dispatched.reduce((sum, job) => sum + Number((job.returnvalue as { applied?: number } | null)?.applied ?? 0), 0);
    expect(applied).toBeGreaterThanOrEqual(40);
  });

  it('hands an event whose embedding failed to its own job, which embeds it on retry', async () => {
    const body = productEvent(6_001);
    // 400: a permanent refusal the first time, so the dispatch job does not retry it inline.
    fake.failNext({ status: 400, body: JSON.stringify({ error: { message: 'refused once' } }) });
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

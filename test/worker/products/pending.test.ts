import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { EMBEDDINGS_SETTING } from '../../../worker/src/products';
import { ProductStore } from '../../../worker/src/products/catalog/store';
import { adminHeaders, type TestRuntime } from '../../support/runtime';
import { startFakeEmbeddings, type FakeEmbeddingsServer } from '../../fakes/embeddings/server';
import { eventRow, generateToken, postEvent, productEvent, productRow, startProductsRuntime, waitFor, waitForEventDone, type GeneratedToken } from './helpers';

let runtime: TestRuntime;
let fake: FakeEmbeddingsServer;
let token: GeneratedToken;

beforeAll(async () => {
  fake = await startFakeEmbeddings();
  // No EMBEDDINGS_* in the environment.
  runtime = await startProductsRuntime();
  token = await generateToken(runtime, { name: 'shop' });
});
afterAll(async () => {
  await runtime?.dispose();
  await fake?.close();
});

const stats = async () => (await (await fetch(`${runtime.url}/api/v1/products/stats/`, { headers: adminHeaders() })).json()) as Record<string, number>;

describe('without an embeddings endpoint', () => {
  it('stores products as awaiting embedding and counts them', async () => {
    for (const id of [1, 2, 3]) {
      const body = productEvent(id);
      expect((await postEvent(runtime, token.token, body)).status).toBe(202);
      expect(await waitForEventDone(runtime, body.event_id as string)).toMatchObject({ status: 'processed', success: 1 });
    }
    expect(await stats()).toMatchObject({ active: 3, deleted: 0, awaiting_embedding: 3, chunks: 0 });
    expect(fake.calls).toBe(0);
  });

  it('embeds the backlog once an endpoint is saved in settings (they override the environment)', async () => {
    await runtime.ctx.settings.setJson(EMBEDDINGS_SETTING, { url: fake.url, model: 'saved-model' }, { secret: true });
    await runtime.ctx.queues.get('products').add('products.embed-pending', {});
    await waitFor(async () => ((await stats()).awaiting_embedding === 0 ? true : undefined), 10_000, 'backlog embedded');
    // The backlog's products go together: one call for the three.
    expect(fake.calls).toBe(1);
    expect((await stats()).chunks).toBeGreaterThanOrEqual(3);
    const chunk = await runtime.ctx.db.selectFrom('synchub_product_chunks').select('model').executeTakeFirstOrThrow();
    expect(chunk.model).toBe('saved-model');
  });

  it('works through a backlog larger than one batch in a single run', async () => {
    const wooIds = Array.from({ length: 300 }, (_, index) => 2_000 + index);
    for (let start = 0; start < wooIds.length; start += 50) {
      const bodies = wooIds.slice(start, start + 50).map((id) => productEvent(id));
      const answers = await Promise.all(bodies.map((body) => postEvent(runtime, token.token, body)));
      expect(answers.map((answer) => answer.status)).toEqual(bodies.map(() => 202));
      for (const body of bodies) await waitForEventDone(runtime, body.event_id as string);
    }
    await waitFor(async () => ((await stats()).awaiting_embedding === 0 ? true : undefined), 10_000, 'the new products embedded');
    await new ProductStore(runtime.ctx.db, 'synchub').requestEmbedding(wooIds);
    expect(await stats()).toMatchObject({ awaiting_embedding: 300 });
    const queue = runtime.ctx.queues.get('products');
    const run = await queue.add('products.embed-pending', {}, { attempts: 1 });
    await vi.waitFor(async () => expect(await run.getState()).toBe('completed'), { timeout: 20_000 });
    expect((await queue.getJob(run.id as string))?.returnvalue).toEqual({ embedded: 300 });
    expect(await stats()).toMatchObject({ awaiting_embedding: 0 });
  });

  it('leaves the backlog pending and fails the run when the endpoint refuses it; the next run embeds it', async () => {
    await new ProductStore(runtime.ctx.db, 'synchub').requestEmbedding([1, 2, 3]);
    expect(await stats()).toMatchObject({ awaiting_embedding: 3 });
    fake.reset();
    fake.failNext({ status: 404, body: JSON.stringify({ error: { message: 'backlog refused: no such model' } }) });
    const queue = runtime.ctx.queues.get('products');
    const failed = await queue.add('products.embed-pending', {}, { attempts: 1 });
    await vi.waitFor(async () => expect(await failed.getState()).toBe('failed'), { timeout: 10_000 });
    expect((await queue.getJob(failed.id as string))?.failedReason).toContain('backlog refused');
    // One refused call for the batch, and the run stopped there.
    expect(fake.calls).toBe(1);
    expect(await stats()).toMatchObject({ awaiting_embedding: 3 });
    const next = await queue.add('products.embed-pending', {}, { attempts: 1 });
    await vi.waitFor(async () => expect(await next.getState()).toBe('completed'), { timeout: 10_000 });
    expect((await queue.getJob(next.id as string))?.returnvalue).toEqual({ embedded: 3 });
    expect(await stats()).toMatchObject({ awaiting_embedding: 0 });
  });
});

describe('the sweeper', () => {
  it('enqueues events that were logged but never enqueued (Redis was down)', async () => {
    const inserted = await runtime.ctx.db
      .insertInto('synchub_product_events')
      .values({
        owner: 'default',
        event_id: 'stranded-1',
        token_id: token.id,
        event_type: 'product.created',
        product_id: 77,
        payload: JSON.stringify(productEvent(77, {}, { event_id: 'stranded-1', event_type: 'product.created' })),
        version: null,
        source_ip: '127.0.0.1',
        user_agent: null,
        intake_token: 'x'.repeat(22),
        status: 'received',
        received_at: new Date(Date.now() - 60_000),
      })
      .executeTakeFirstOrThrow();
    expect(Number(inserted.insertId)).toBeGreaterThan(0);
    await runtime.ctx.queues.get('products').add('products.sweep', {});
    expect(await waitForEventDone(runtime, 'stranded-1')).toMatchObject({ status: 'processed' });
    expect(await productRow(runtime, 77)).toMatchObject({ is_active: 1, name: 'Product 77' });
  });
});

describe('a batch with one bad stored payload', () => {
  it('applies the good events and fails only the bad one, without retrying it', async () => {
    const base = {
      owner: 'default',
      token_id: token.id,
      event_type: 'product.updated',
      version: null,
      source_ip: null,
      user_agent: null,
      intake_token: 'y'.repeat(22),
      status: 'received' as const,
    };
    const good = await runtime.ctx.db
      .insertInto('synchub_product_events')
      .values({ ...base, event_id: 'batch-good', product_id: 88, payload: JSON.stringify(productEvent(88, {}, { event_id: 'batch-good' })) })
      .executeTakeFirstOrThrow();
    const bad = await runtime.ctx.db
      .insertInto('synchub_product_events')
      .values({
        ...base,
        event_id: 'batch-bad',
        product_id: 89,
        payload: JSON.stringify({ event_id: 'batch-bad', event_type: 'product.updated', product: { id: 89 } }),
      })
      .executeTakeFirstOrThrow();
    const queue = runtime.ctx.queues.get('products');
    await queue.addBulk(
      [Number(good.insertId), Number(bad.insertId)].map((id) => ({
        name: 'product.event',
        data: { eventLogId: id },
        opts: { jobId: `product-event-${id}`, attempts: 3, backoff: { type: 'exponential', delay: 50 } },
      })),
    );
    expect(await waitForEventDone(runtime, 'batch-good')).toMatchObject({ status: 'processed', success: 1 });
    expect(await waitForEventDone(runtime, 'batch-bad')).toMatchObject({ status: 'failed', success: 0 });
    // The event log row is marked failed inside the job; BullMQ records the attempt just after.
    const job = await vi.waitFor(async () => {
      const found = await queue.getJob(`product-event-${Number(bad.insertId)}`);
      expect(await found?.getState()).toBe('failed');
      return found;
    });
    // Ran once, not retried: one attempt on the event's row, and still one a moment later
    // (BullMQ's own attemptsMade was read as 0 once on a loaded machine, so the row is the witness).
    expect(job?.failedReason).toContain('no longer validates');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await eventRow(runtime, 'batch-bad')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(await productRow(runtime, 88)).toMatchObject({ is_active: 1, revision: 1 });
    expect(await productRow(runtime, 89)).toBeUndefined();
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { adminHeaders, type TestRuntime } from '../../support/runtime';
import { fakeVector, startFakeEmbeddings, type FakeEmbeddingsServer } from '../../fakes/embeddings/server';
import {
  generateToken,
  postEvent,
  productEvent,
  productRow,
  startProductsRuntime,
  waitFor,
  waitForEventDone,
  waitForEventSettled,
  waitForProductJobsIdle,
  type GeneratedToken,
} from './helpers';

let runtime: TestRuntime;
let fake: FakeEmbeddingsServer;
let token: GeneratedToken;

beforeAll(async () => {
  fake = await startFakeEmbeddings({ apiKey: 'sk-embed' });
  runtime = await startProductsRuntime({ EMBEDDINGS_URL: fake.url, EMBEDDINGS_MODEL: 'test-embed', EMBEDDINGS_API_KEY: 'sk-embed' });
  token = await generateToken(runtime, { name: 'shop', rate_limit_per_minute: 100_000 });
});
afterAll(async () => {
  await runtime?.dispose();
  await fake?.close();
});
// An earlier test's late job (a burst's second embedding of the same text) must not take this one's fake answers.
beforeEach(async () => {
  await waitForProductJobsIdle(runtime);
  fake.reset();
});

async function send(body: Record<string, unknown>) {
  const response = await postEvent(runtime, token.token, body);
  expect(response.status).toBe(202);
  return waitForEventSettled(runtime, body.event_id as string);
}

const chunks = (productId: number) =>
  runtime.ctx.db.selectFrom('synchub_product_chunks').selectAll().where('product_id', '=', productId).orderBy('chunk_index').execute();

describe('processing product events', () => {
  it('creates a product, chunks its text and embeds it', async () => {
    const longDescription = `<p>${'Sturdy stoneware that keeps coffee warm. '.repeat(60)}</p>`;
    await send(productEvent(100, { description: longDescription }, { event_type: 'product.created', sequence: 1 }));
    const row = await productRow(runtime, 100);
    expect(row).toMatchObject({ external_id: 'woo_100', owner: 'default', name: 'Product 100', price: '10.00', is_active: 1, needs_embedding: 0, revision: 1 });
    expect(row?.embedded_hash).toBe(row?.content_hash);
    const stored = await chunks(row?.id ?? 0);
    expect(stored.length).toBeGreaterThan(1);
    expect(stored.every((chunk) => chunk.model === 'test-embed')).toBe(true);
    expect(JSON.parse(stored[0]?.embedding ?? '[]')).toEqual(fakeVector(stored[0]?.content ?? ''));
    expect(fake.calls).toBe(1);
    expect(fake.inputs).toEqual(stored.map((chunk) => chunk.content));
    expect(fake.inputs.join(' ')).not.toContain('<p>');
  });

  it('makes zero embedding calls when only price, stock or images change', async () => {
    await send(productEvent(101, {}, { sequence: 1 }));
    expect(fake.calls).toBe(1);
    const before = await productRow(runtime, 101);
    await send(
      productEvent(
        101,
        { price: '7.50', sale_price: '7.00', stock_quantity: 0, stock_status: 'outofstock', image: 'https://shop.test/new.jpg' },
        { sequence: 2 },
      ),
    );
    await send(productEvent(101, { price: '7.25', categories: ['Kitchen'], tags: ['blue'] }, { sequence: 3 }));
    expect(fake.calls).toBe(1);
    const after = await productRow(runtime, 101);
    expect(after).toMatchObject({ price: '7.25', sale_price: null, stock_quantity: 5, revision: 3, needs_embedding: 0, content_hash: before?.content_hash });
  });

  it('re-embeds when the text changes, replacing the chunks', async () => {
    await send(productEvent(102, {}, { sequence: 1 }));
    const first = await productRow(runtime, 102);
    await send(productEvent(102, { description: '<p>Now with a lid.</p>' }, { sequence: 2 }));
    expect(fake.calls).toBe(2);
    const second = await productRow(runtime, 102);
    expect(second?.content_hash).not.toBe(first?.content_hash);
    const stored = await chunks(second?.id ?? 0);
    expect(stored.map((chunk) => chunk.content).join(' ')).toContain('Now with a lid.');
    expect(stored.map((chunk) => chunk.content).join(' ')).not.toContain('A longer description');
  });

  it('soft-deletes (inactive, chunks removed) and a re-creation restores and re-embeds', async () => {
    await send(productEvent(103, {}, { sequence: 1 }));
    const id = (await productRow(runtime, 103))?.id ?? 0;
    expect((await chunks(id)).length).toBeGreaterThan(0);
    await send({ event_id: `del-103-${Date.now()}`, event_type: 'product.deleted', product: { id: 103 }, sequence: 2 });
    expect(await productRow(runtime, 103)).toMatchObject({ is_active: 0, needs_embedding: 0, embedded_hash: null, name: 'Product 103' });
    expect((await productRow(runtime, 103))?.deleted_at).not.toBeNull();
    expect(await chunks(id)).toHaveLength(0);
    await send(productEvent(103, {}, { event_type: 'product.created', sequence: 3 }));
    expect(await productRow(runtime, 103)).toMatchObject({ id, is_active: 1, deleted_at: null, needs_embedding: 0 });
    expect((await chunks(id)).length).toBeGreaterThan(0);
    expect(fake.calls).toBe(2);
  });

  it('never lets an older event overwrite a newer state', async () => {
    await send(productEvent(104, { name: 'Newest name', price: '30.00' }, { sequence: 20 }));
    const stale = await send(productEvent(104, { name: 'Old name', price: '10.00' }, { sequence: 10 }));
    expect(stale).toMatchObject({ status: 'stale', success: 1 });
    expect(await productRow(runtime, 104)).toMatchObject({ name: 'Newest name', price: '30.00', revision: 1 });
    // Times work as versions too: an update modified before the stored one is ignored.
    await send(productEvent(105, { name: 'B' }, { occurred_at: '2026-11-23T10:00:02Z' }));
    await send(productEvent(105, { name: 'A' }, { occurred_at: '2026-11-23T10:00:01Z' }));
    expect((await productRow(runtime, 105))?.name).toBe('B');
  });

  it('keeps a deletion that arrives before an older update (tombstone)', async () => {
    await send({ event_id: `del-106-${Date.now()}`, event_type: 'product.deleted', product: { id: 106 }, sequence: 50 });
    const late = await send(productEvent(106, {}, { event_type: 'product.created', sequence: 40 }));
    expect(late.status).toBe('stale');
    expect(await productRow(runtime, 106)).toMatchObject({ is_active: 0 });
    expect(fake.calls).toBe(0);
  });

  it('applies a burst of out-of-order events for one product to the newest one', async () => {
    const bodies = Array.from({ length: 12 }, (_, i) => productEvent(107, { name: `Version ${i + 1}`, price: `${i + 1}.00` }, { sequence: i + 1 }));
    const shuffled = [...bodies].sort(() => Math.random() - 0.5);
    const responses = await Promise.all(shuffled.map((body) => postEvent(runtime, token.token, body)));
    expect(responses.every((response) => response.status === 202)).toBe(true);
    for (const body of bodies) await waitForEventDone(runtime, body.event_id as string);
    expect(await productRow(runtime, 107)).toMatchObject({ name: 'Version 12', price: '12.00', source_version: 12 });
    // Its embedding settles here, so no call of this test reaches the next one's fake answers.
    await waitFor(
      async () => {
        const product = await productRow(runtime, 107);
        return product && product.needs_embedding === 0 && product.embedded_hash === product.content_hash ? true : undefined;
      },
      10_000,
      'the burst product embedded',
    );
  });

  it('retries a failed embedding call with backoff and then succeeds', async () => {
    fake.failNext({ status: 503 });
    const body = productEvent(108, {}, { sequence: 1 });
    expect((await postEvent(runtime, token.token, body)).status).toBe(202);
    const row = await waitFor(
      async () => {
        const product = await productRow(runtime, 108);
        return product && product.needs_embedding === 0 && product.embedded_hash ? product : undefined;
      },
      10_000,
      'embedding after retry',
    );
    expect(fake.calls).toBe(2);
    expect(row.revision).toBe(1);
    const event = await waitForEventDone(runtime, body.event_id as string);
    const recovered = await waitFor(
      async () => ((await waitForEventDone(runtime, body.event_id as string)).error === null ? true : undefined),
      5_000,
      'error cleared',
    );
    expect(recovered).toBe(true);
    expect(event).toMatchObject({ status: 'processed', success: 1 });
    // One failed attempt (the 503) and the applying one.
    expect((await waitForEventDone(runtime, body.event_id as string)).attempts).toBe(2);
  });

  it('gives up after 3 attempts, leaves the text pending and the job as a dead letter', async () => {
    fake.failNext({ status: 500 }, { status: 500 }, { status: 500 });
    const body = productEvent(109, {}, { sequence: 1 });
    expect((await postEvent(runtime, token.token, body)).status).toBe(202);
    const failed = await waitFor(
      async () => {
        const jobs = await runtime.ctx.queues.get('products').getFailed();
        return jobs.find((job) => (job.data as { eventLogId?: number }).eventLogId !== undefined && job.failedReason?.includes('HTTP 500'));
      },
      10_000,
      'dead letter',
    );
    expect(failed.failedReason).toContain('HTTP 500');
    // The first attempt was the dispatch job's; the event's own job made the other two.
    expect(failed.attemptsMade + Number((failed.data as { attemptsBefore?: number }).attemptsBefore ?? 0)).toBe(3);
    expect(fake.calls).toBe(3);
    expect(await productRow(runtime, 109)).toMatchObject({ is_active: 1, needs_embedding: 1, embedded_hash: null });
    const stats = (await (await fetch(`${runtime.url}/api/v1/products/stats/`, { headers: adminHeaders() })).json()) as { awaiting_embedding: number };
    expect(stats.awaiting_embedding).toBeGreaterThanOrEqual(1);
  });

  it('fails a permanently refused embedding without retrying', async () => {
    // A permanent refusal refuses every time it is asked; each 400 to base64 is asked once more for numbers.
    const tooLong = { status: 400, body: '{"error":{"message":"input too long"}}' };
    fake.failNext(tooLong, tooLong, tooLong, tooLong);
    const body = productEvent(110, {}, { sequence: 1 });
    expect((await postEvent(runtime, token.token, body)).status).toBe(202);
    const job = await waitFor(
      async () => (await runtime.ctx.queues.get('products').getFailed()).find((entry) => entry.failedReason?.includes('input too long')),
      10_000,
      'failed job',
    );
    // Refused in the dispatch job, asked once more by the event's own job, which then fails at once (no retry):
    // two attempts of two calls, base64 then numbers.
    expect(job.attemptsMade).toBe(1);
    expect(fake.calls).toBe(4);
    expect(fake.encodings).toEqual(['base64', undefined, 'base64', undefined]);
    const event = await waitFor(
      async () => {
        const row = await waitForEventDone(runtime, body.event_id as string);
        return row.success === 0 ? row : undefined;
      },
      5_000,
      'event marked unsuccessful',
    );
    // Applied (the product is stored) but not successful: the embedding was refused.
    expect(event).toMatchObject({ status: 'processed', success: 0 });
    expect(event.error).toContain('input too long');
    expect(await productRow(runtime, 110)).toMatchObject({ is_active: 1, needs_embedding: 1 });
  });

  it('reports counts of active, deleted and awaiting products', async () => {
    const response = await fetch(`${runtime.url}/api/v1/products/stats/`, { headers: adminHeaders() });
    const stats = (await response.json()) as Record<string, number>;
    const rows = await runtime.ctx.db.selectFrom('synchub_products').select(['is_active', 'needs_embedding']).execute();
    expect(stats).toMatchObject({
      total: rows.length,
      active: rows.filter((row) => row.is_active).length,
      deleted: rows.filter((row) => !row.is_active).length,
      awaiting_embedding: rows.filter((row) => row.is_active && row.needs_embedding).length,
    });
    expect(stats.deleted).toBeGreaterThanOrEqual(1);
  });

  it('serves the product store by external_id', async () => {
    const response = await fetch(`${runtime.url}/api/v1/products/?external_id=woo_101`, { headers: adminHeaders() });
    const body = (await response.json()) as { count: number; results: Array<Record<string, unknown>> };
    expect(body.count).toBe(1);
    expect(body.results[0]).toMatchObject({
      external_id: 'woo_101',
      woo_id: 101,
      categories: ['Kitchen'],
      tags: ['blue'],
      is_active: true,
      needs_embedding: false,
    });
  });
});

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { EMBEDDINGS_SETTING } from '../../../worker/src/products';
import { ProductStore } from '../../../worker/src/products/catalog/store';
import { startFakeEmbeddings, type FakeEmbeddingsServer } from '../../fakes/embeddings/server';
import type { TestRuntime } from '../../support/runtime';
import { generateToken, postEvent, productEvent, startProductsRuntime, waitForEventDone } from './helpers';

let runtime: TestRuntime;
let fake: FakeEmbeddingsServer;

beforeAll(async () => {
  // An endpoint that takes at most 8 texts per request, as TEI does with --max-client-batch-size 8.
  fake = await startFakeEmbeddings({ maxInputs: 8 });
  runtime = await startProductsRuntime();
});
afterAll(async () => {
  await runtime?.dispose();
  await fake?.close();
});

const wooIds = Array.from({ length: 40 }, (_, index) => 5_000 + index);

async function embedPending(): Promise<unknown> {
  const queue = runtime.ctx.queues.get('products');
  const run = await queue.add('products.embed-pending', {}, { attempts: 1 });
  await vi.waitFor(async () => expect(await run.getState()).toBe('completed'), { timeout: 20_000 });
  return (await queue.getJob(run.id as string))?.returnvalue;
}

describe('an endpoint with a smaller request limit than the default 64 texts', () => {
  it('embeds every product, and the size it learned holds for the next run', async () => {
    const token = await generateToken(runtime, { name: 'shop' });
    const bodies = wooIds.map((id) => productEvent(id));
    // No endpoint yet: the products wait for embedding.
    for (const body of bodies) expect((await postEvent(runtime, token.token, body)).status).toBe(202);
    for (const body of bodies) await waitForEventDone(runtime, body.event_id as string);
    await runtime.ctx.settings.setJson(EMBEDDINGS_SETTING, { url: fake.url, model: 'small-batches' }, { secret: true });

    expect(await embedPending()).toEqual({ embedded: 40 });
    expect(fake.refusedAsTooLarge).toBeGreaterThan(0);

    fake.reset();
    await new ProductStore(runtime.ctx.db, 'synchub').requestEmbedding(wooIds);
    expect(await embedPending()).toEqual({ embedded: 40 });
    expect(fake.refusedAsTooLarge).toBe(0);
    expect(fake.calls).toBeGreaterThanOrEqual(Math.ceil(fake.inputs.length / 8));
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { EmbeddingsClient } from '../../../worker/src/connectors/embeddings';
import { EmbeddingBatcher } from '../../../worker/src/products/catalog/embedding';
import { ProductStore } from '../../../worker/src/products/catalog/store';
import { startFakeEmbeddings, type FakeEmbeddingsServer } from '../../fakes/embeddings/server';
import type { TestRuntime } from '../../support/runtime';
import { generateToken, postEvent, productEvent, productRow, startProductsRuntime, waitForEventDone } from './helpers';

let runtime: TestRuntime;
let store: ProductStore;
let fake: FakeEmbeddingsServer;
const ids = new Map<number, number>();

const WOO_IDS = [801, 802, 803, 804, 805, 806, 807, 808];

beforeAll(async () => {
  fake = await startFakeEmbeddings();
  // No embeddings endpoint configured: the products stay pending for the batcher below.
  runtime = await startProductsRuntime();
  store = new ProductStore(runtime.ctx.db, 'synchub');
  const token = await generateToken(runtime, { name: 'embedding-batcher' });
  for (const wooId of WOO_IDS) {
    const body = productEvent(wooId, { description: `<p>Cuenco de cerámica ${wooId}, esmaltado a mano.</p>` });
    expect((await postEvent(runtime, token.token, body)).status).toBe(202);
    await waitForEventDone(runtime, body.event_id as string);
    ids.set(wooId, Number((await productRow(runtime, wooId))?.id));
  }
});
afterAll(async () => {
  await runtime?.dispose();
  await fake?.close();
});
beforeEach(() => fake.reset());

const client = (model = 'test-embed') => new EmbeddingsClient({ url: fake.url, model }, runtime.ctx.egress.request);
const idOf = (wooId: number): number => ids.get(wooId) as number;
const chunkModels = async (wooId: number) =>
  (await runtime.ctx.db.selectFrom('synchub_product_chunks').select('model').where('product_id', '=', idOf(wooId)).execute()).map((row) => row.model);

describe('EmbeddingBatcher', () => {
  it('embeds the products of concurrent jobs together: one call and one save for those that waited', async () => {
    const batcher = new EmbeddingBatcher(store, 256, 1, 0);
    // The first job's product starts a batch at once; the next two jobs' wait and go together.
    const [first, second, third] = await Promise.all([
      batcher.embed([idOf(801)], client()),
      batcher.embed([idOf(802), idOf(803)], client()),
      batcher.embed([idOf(804)], client()),
    ]);
    expect(fake.calls).toBe(2);
    expect([...first!.values(), ...second!.values(), ...third!.values()]).toEqual([true, true, true, true]);
    expect([...second!.keys()]).toEqual([idOf(802), idOf(803)]);
    for (const wooId of [801, 802, 803, 804]) {
      const row = await productRow(runtime, wooId);
      expect(row).toMatchObject({ needs_embedding: 0 });
      expect(row?.embedded_hash).toBe(row?.content_hash);
      expect(await chunkModels(wooId)).toEqual(['test-embed']);
    }
  });

  it('answers false for a product with nothing left to embed, and makes no call for it', async () => {
    const batcher = new EmbeddingBatcher(store);
    const outcomes = await batcher.embed([idOf(801)], client());
    expect(outcomes.get(idOf(801))).toBe(false);
    expect(fake.calls).toBe(0);
  });

  it('gives the products of a failed call the error, and leaves them pending', async () => {
    const batcher = new EmbeddingBatcher(store);
    fake.failNext({ status: 401, body: JSON.stringify({ error: { message: 'input refused' } }) });
    const outcomes = await batcher.embed([idOf(805), idOf(806)], client());
    for (const id of [idOf(805), idOf(806)]) {
      const outcome = outcomes.get(id);
      expect(outcome).toBeInstanceOf(Error);
      expect((outcome as Error).message).toMatch(/input refused/);
    }
    expect(await productRow(runtime, 805)).toMatchObject({ needs_embedding: 1, embedded_hash: null });
    expect(await chunkModels(805)).toEqual([]);
  });

  it('keeps products whose jobs resolved different settings apart: each embedded with its own model', async () => {
    const batcher = new EmbeddingBatcher(store, 256, 1, 0);
    const [warm, first, second] = await Promise.all([
      batcher.embed([idOf(805)], client('model-a')),
      batcher.embed([idOf(806)], client('model-a')),
      batcher.embed([idOf(807), idOf(808)], client('model-b')),
    ]);
    expect([...warm!.values(), ...first!.values(), ...second!.values()]).toEqual([true, true, true, true]);
    // The first batch (805) alone, then one call per model for the batch that waited.
    expect(fake.calls).toBe(3);
    expect(await chunkModels(805)).toEqual(['model-a']);
    expect(await chunkModels(806)).toEqual(['model-a']);
    expect(await chunkModels(807)).toEqual(['model-b']);
    expect(await chunkModels(808)).toEqual(['model-b']);
  });

  it('holds a short batch for the linger: jobs a few milliseconds apart share one call and one save', async () => {
    await store.requestEmbedding([801, 802, 803, 804]);
    const batcher = new EmbeddingBatcher(store, 256, 2, 200);
    const started = Date.now();
    const first = batcher.embed([idOf(801)], client());
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = batcher.embed([idOf(802), idOf(803)], client());
    await new Promise((resolve) => setTimeout(resolve, 20));
    const third = batcher.embed([idOf(804)], client());
    const outcomes = await Promise.all([first, second, third]);
    expect(outcomes.flatMap((outcome) => [...outcome.values()])).toEqual([true, true, true, true]);
    expect(fake.calls).toBe(1);
    expect(fake.inputs).toHaveLength(4);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    for (const wooId of [801, 802, 803, 804]) expect(await productRow(runtime, wooId)).toMatchObject({ needs_embedding: 0 });
  });

  it('sends a full batch at once, without the linger', async () => {
    await store.requestEmbedding([805, 806]);
    const batcher = new EmbeddingBatcher(store, 2, 2, 60_000);
    const outcomes = await batcher.embed([idOf(805), idOf(806)], client());
    expect([...outcomes.values()]).toEqual([true, true]);
    expect(fake.calls).toBe(1);
  });
});

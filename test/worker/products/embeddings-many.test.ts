import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { chunkRowsPerStatement, emptyProduct, ProductStore } from '../../../worker/src/products/catalog/store';
import type { TestRuntime } from '../../support/runtime';
import { generateToken, postEvent, productEvent, productRow, startProductsRuntime, waitForEventDone } from './helpers';

let runtime: TestRuntime;
let store: ProductStore;

beforeAll(async () => {
  // No embeddings endpoint: the products stay pending for the store calls below.
  runtime = await startProductsRuntime();
  store = new ProductStore(runtime.ctx.db, 'synchub');
  const token = await generateToken(runtime, { name: 'many' });
  for (const id of [701, 702, 703]) {
    const body = productEvent(id, { description: `<p>Texto del producto ${id}, hecho a mano.</p>` });
    expect((await postEvent(runtime, token.token, body)).status).toBe(202);
    await waitForEventDone(runtime, body.event_id as string);
  }
});
afterAll(async () => {
  await runtime?.dispose();
});

const idOf = async (wooId: number) => Number((await productRow(runtime, wooId))?.id);

describe('saveEmbeddingsMany', () => {
  it('saves several products in one call and skips one whose text changed meanwhile', async () => {
    const ids = await Promise.all([701, 702, 703].map(idOf));
    const documents = await store.pendingDocuments(ids, 1_000, 100);
    expect([...documents.keys()].sort()).toEqual([...ids].sort());
    const items = ids.map((productId, index) => {
      const document = documents.get(productId)!;
      // The third product's text changed after its document was read: its hash no longer matches.
      return { productId, hash: index === 2 ? 'f'.repeat(64) : document.hash, chunks: document.chunks, vectors: document.chunks.map(() => [0.6, 0.8]) };
    });
    const saved = await store.saveEmbeddingsMany(items, 'test-model');
    expect([...saved].sort()).toEqual([ids[0], ids[1]].sort());
    for (const [wooId, embedded] of [
      [701, true],
      [702, true],
      [703, false],
    ] as const) {
      const row = await productRow(runtime, wooId);
      expect(row?.needs_embedding).toBe(embedded ? 0 : 1);
      expect(row?.embedded_hash === row?.content_hash).toBe(embedded);
    }
    const chunks = await runtime.ctx.db.selectFrom('synchub_product_chunks').select(['product_id', 'model']).where('product_id', 'in', ids).execute();
    expect(new Set(chunks.map((chunk) => Number(chunk.product_id)))).toEqual(new Set([ids[0], ids[1]]));
    expect(chunks.every((chunk) => chunk.model === 'test-model')).toBe(true);
    // Saved products are no longer pending; the skipped one still is.
    expect([...(await store.pendingDocuments(ids, 1_000, 100)).keys()]).toEqual([ids[2]]);
  });

  it('replaces the chunks of a product saved again', async () => {
    const id = await idOf(701);
    const row = await productRow(runtime, 701);
    await runtime.ctx.db.updateTable('synchub_products').set({ needs_embedding: 1 }).where('id', '=', id).execute();
    const saved = await store.saveEmbeddingsMany(
      [
        {
          productId: id,
          hash: row!.content_hash!,
          chunks: ['uno', 'dos'],
          vectors: [
            [1, 0],
            [0, 1],
          ],
        },
      ],
      'test-model',
    );
    expect(saved.has(id)).toBe(true);
    const chunks = await runtime.ctx.db.selectFrom('synchub_product_chunks').select('content').where('product_id', '=', id).orderBy('chunk_index').execute();
    expect(chunks.map((chunk) => chunk.content)).toEqual(['uno', 'dos']);
  });

  it("writes a small model's chunks many rows per statement, every one stored", async () => {
    // 300 products of one chunk at 2 dimensions: a full 256-row statement (prepared) and a 44-row one (text).
    expect(chunkRowsPerStatement(2)).toBe(256);
    const rows = Array.from({ length: 300 }, (_, index) => ({
      ...emptyProduct('synchub', `woo_${800_000 + index}`, 800_000 + index),
      is_active: 1,
      needs_embedding: 1,
      content_hash: index.toString(16).padStart(64, '0'),
      last_event_log_id: 0,
      last_event_id: `seed-${index}`,
      revision: 1,
    }));
    await runtime.ctx.db.insertInto('synchub_products').values(rows).execute();
    const stored = await runtime.ctx.db.selectFrom('synchub_products').select(['id', 'content_hash']).where('woo_id', '>=', 800_000).orderBy('id').execute();
    const saved = await store.saveEmbeddingsMany(
      stored.map((row, index) => ({ productId: Number(row.id), hash: row.content_hash!, chunks: [`texto ${index}`], vectors: [[index % 2, 1]] })),
      'small-model',
    );
    expect(saved.size).toBe(300);
    const chunks = await runtime.ctx.db
      .selectFrom('synchub_product_chunks')
      .select(['product_id', 'content', 'embedding'])
      .where('model', '=', 'small-model')
      .orderBy('product_id')
      .execute();
    expect(chunks).toHaveLength(300);
    expect(chunks[299]).toMatchObject({ product_id: stored[299]!.id, content: 'texto 299', embedding: '[1,1]' });
  });
});

describe('chunkRowsPerStatement', () => {
  it('keeps a statement near 640 KB: more rows for small vectors, fewer for large, at least one', () => {
    expect(chunkRowsPerStatement(8)).toBe(256);
    expect(chunkRowsPerStatement(384)).toBe(32);
    expect(chunkRowsPerStatement(1536)).toBe(16);
    expect(chunkRowsPerStatement(3072)).toBe(8);
    expect(chunkRowsPerStatement(1_000_000)).toBe(1);
    for (const dimensions of [8, 384, 768, 1536, 3072, 4096]) {
      const rows = chunkRowsPerStatement(dimensions);
      expect(Math.log2(rows) % 1).toBe(0);
      // JSON (about 20 characters a number) and float32 bytes per dimension, and up to a kilobyte of text.
      expect(rows * (24 * dimensions + 1_200)).toBeLessThanOrEqual(640 * 1024);
    }
  });
});

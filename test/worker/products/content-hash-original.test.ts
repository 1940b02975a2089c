import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { contentHash, originalContentHash } from '../../../worker/src/products/catalog/content';
import { startFakeEmbeddings, type FakeEmbeddingsServer } from '../../fakes/embeddings/server';
import type { TestRuntime } from '../../support/runtime';
import { generateToken, postEvent, productEvent, productRow, startProductsRuntime, waitForEventSettled, waitForProductJobsIdle } from './helpers';

/** Computed by the original backend's own code (Python hashlib), not by ours. */
const ORIGINAL_VECTORS: Array<{ text: { name: string; short_description: string; description: string; categories: string[]; tags: string[] }; hash: string }> =
  [
    {
      text: {
        name: 'Taza azul',
        short_description: 'Corta y <b>clara</b>',
        description: '<p>Larga  descripción</p>',
        categories: ['Cocina', 'Hogar'],
        tags: ['azul', 'cerámica'],
      },
      hash: '7548de602ea4792b0094edcabe8aac6b17f6431dbfaef4a74958082c9a546de1',
    },
    {
      text: { name: 'Product 300', short_description: 'Short text.', description: '<p>A longer description.</p>', categories: ['Kitchen'], tags: ['blue'] },
      hash: '244cf4569475b35007d2a9744030840d1af8484b882a088696be4a024ddac72f',
    },
  ];

describe('the original content hash formula', () => {
  it.each(ORIGINAL_VECTORS)('reproduces the original backend’s hash of $text.name', ({ text, hash }) => {
    expect(originalContentHash(text)).toBe(hash);
    expect(contentHash(text, 'original')).toBe(hash);
    expect(contentHash(text)).not.toBe(hash);
  });

  it('is sensitive to what the original was sensitive to (term order, whitespace)', () => {
    const [first] = ORIGINAL_VECTORS;
    if (!first) throw new Error('no vector');
    const { text } = first;
    expect(originalContentHash({ ...text, categories: [...text.categories].reverse() })).not.toBe(originalContentHash(text));
    expect(contentHash({ ...text, categories: [...text.categories].reverse() })).toBe(contentHash(text));
  });
});

/**
 * A catalogue moved from the original backend keeps its stored hashes; with PRODUCTS_CONTENT_HASH=original
 * the next event with the same text is recognised as already embedded.
 */
describe.each([
  ['original', 0],
  ['synchub', 1],
] as const)('a moved catalogue under PRODUCTS_CONTENT_HASH=%s', (formula, expectedCalls) => {
  let runtime: TestRuntime;
  let fake: FakeEmbeddingsServer;

  beforeAll(async () => {
    fake = await startFakeEmbeddings();
    runtime = await startProductsRuntime({ EMBEDDINGS_URL: fake.url, EMBEDDINGS_MODEL: 'test-embed', PRODUCTS_CONTENT_HASH: formula });
  });
  afterAll(async () => {
    await runtime?.dispose();
    await fake?.close();
  });
  beforeEach(async () => {
    await waitForProductJobsIdle(runtime);
    fake.reset();
  });

  it(`makes ${expectedCalls} embedding call(s) for an unchanged text`, async () => {
    const moved = ORIGINAL_VECTORS[1]?.hash ?? '';
    // The row as an import from the original backend leaves it: its hash, embedded, with its chunk.
    const inserted = await runtime.ctx.db
      .insertInto('synchub_products')
      .values({
        owner: 'default',
        external_id: 'woo_300',
        woo_id: 300,
        name: 'Product 300',
        short_description: 'Short text.',
        description: '<p>A longer description.</p>',
        categories: '["Kitchen"]',
        tags: '["blue"]',
        variations: '[]',
        content_hash: moved,
        embedded_hash: moved,
        needs_embedding: 0,
        is_active: 1,
        last_event_log_id: 0,
        last_event_id: 'import',
        revision: 1,
      })
      .executeTakeFirstOrThrow();
    await runtime.ctx.db
      .insertInto('synchub_product_chunks')
      .values({
        product_id: Number(inserted.insertId),
        chunk_index: 0,
        content: 'Product 300',
        content_hash: 'x'.repeat(64),
        embedding: '[0.1,0.2]',
        model: 'test-embed',
      })
      .execute();

    const token = await generateToken(runtime, { name: 'shop' });
    const event = productEvent(300, {
      price: '12.00',
      on_sale: true,
      images: [{ src: 'https://shop.test/a.jpg' }, { src: 'https://shop.test/b.jpg' }, 'https://shop.test/c.jpg'],
    });
    expect((await postEvent(runtime, token.token, event)).status).toBe(202);
    const settled = await waitForEventSettled(runtime, event.event_id as string);
    expect(settled?.status).toBe('processed');
    expect(fake.calls).toBe(expectedCalls);
    const row = await productRow(runtime, 300);
    expect(row).toMatchObject({ price: '12.00', needs_embedding: 0, on_sale: 1, external_source: 'woocommerce', image: 'https://shop.test/a.jpg' });
    expect(JSON.parse(row?.gallery_images ?? '[]')).toEqual(['https://shop.test/b.jpg', 'https://shop.test/c.jpg']);
    expect(row?.content_hash === moved).toBe(formula === 'original');
  });
});

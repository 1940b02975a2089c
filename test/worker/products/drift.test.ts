import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { compareProducts, type CatalogProductView, type StoreProductView } from '../../../worker/src/products/drift-rules';
import { startFakeEmbeddings, type FakeEmbeddingsServer } from '../../fakes/embeddings/server';
import { addStoreProduct, touchStoreProduct } from '../../fakes/woocommerce-db/catalog';
import { EVENT_PRODUCT_ID, MERCH_PRODUCT_ID, SIMPLE_EVENT_PRODUCT_ID } from '../../fakes/woocommerce-db/data';
import { createWooCommerceFixture, type WooFixture } from '../../fakes/woocommerce-db/fixture';
import type { TestRuntime } from '../../support/runtime';
import { generateToken, postEvent, productEvent, productRow, startProductsRuntime, uniqueEventId, waitFor, waitForEventSettled } from './helpers';

const HOUR = 3_600_000;
const now = Date.now();
const store = (id: number, modifiedAt = now - HOUR): StoreProductView => ({ id, name: `P${id}`, modifiedAt });
const held = (wooId: number, options: Partial<CatalogProductView> = {}): CatalogProductView => ({ wooId, name: `P${wooId}`, active: true, contentHash: 'h1', embeddedHash: 'h1', updatedAt: now - HOUR / 2, ...options });

describe('products drift rules', () => {
  it.each([
    { name: 'published and ingested', store: [store(1)], catalog: [held(1)], kinds: [] },
    { name: 'published, never ingested', store: [store(1)], catalog: [], kinds: ['1:missing_in_catalog'] },
    { name: 'published, ingested as deleted', store: [store(1)], catalog: [held(1, { active: false })], kinds: ['1:missing_in_catalog'] },
    { name: 'ingested, not published any more', store: [], catalog: [held(1)], kinds: ['1:not_in_store'] },
    { name: 'edited in the store after the last event', store: [store(1, now)], catalog: [held(1)], kinds: ['1:changed_since_ingest'] },
    { name: 'edited within the skew: no drift', store: [store(1, now - HOUR / 2 + 60_000)], catalog: [held(1)], kinds: [] },
    { name: 'embedded from older text', store: [store(1)], catalog: [held(1, { embeddedHash: 'h0' })], kinds: ['1:embedding_stale'] },
    { name: 'never embedded', store: [store(1)], catalog: [held(1, { embeddedHash: null })], kinds: ['1:embedding_stale'] },
    { name: 'nothing to embed (no content hash)', store: [store(1)], catalog: [held(1, { contentHash: null, embeddedHash: null })], kinds: [] },
    { name: 'two owners, one active', store: [store(1)], catalog: [held(1, { active: false }), held(1)], kinds: [] },
  ])('$name', ({ store: published, catalog, kinds }) => {
    expect(compareProducts(published, catalog).map((item) => `${item.id}:${item.kind}`)).toEqual(kinds);
  });

  it('only a stale embedding is re-synced from the worker', () => {
    const items = compareProducts([store(1), store(2, now)], [held(2), held(3, { embeddedHash: 'x' }), held(1, { embeddedHash: 'x' })]);
    expect(items.map((item) => [item.id, item.kind, item.resyncable])).toEqual([
      ['2', 'changed_since_ingest', false],
      ['3', 'not_in_store', false],
      ['1', 'embedding_stale', true],
    ]);
  });
});

/** Published products in a real WooCommerce database (MariaDB) against products ingested through the webhook. */
describe('products drift against a real store database', () => {
  let fixture: WooFixture;
  let runtime: TestRuntime;
  let embeddings: FakeEmbeddingsServer;
  let started = 0;
  const check = async () => {
    started = Date.now();
    const response = await fetch(`${runtime.url}/api/v1/drift/check`, { method: 'POST', headers: { Authorization: 'Bearer test-admin-token-0123456789abcdef', 'Content-Type': 'application/json' }, body: JSON.stringify({ domains: ['products'] }) });
    expect(response.status).toBe(202);
    return waitFor(async () => {
      const body = (await (await fetch(`${runtime.url}/api/v1/drift/products`, { headers: { Authorization: 'Bearer test-admin-token-0123456789abcdef' } })).json()) as { running: unknown; report: Record<string, any> | null };
      return body.running === null && body.report && Date.parse(body.report.checkedAt) >= started ? body.report : undefined;
    }, 15_000, 'the products drift report');
  };

  beforeAll(async () => {
    fixture = await createWooCommerceFixture({ storage: 'hpos', label: 'drift_pr', spec: { paidOrders: 0 } });
    await addStoreProduct(fixture, { id: 45, name: 'Taza', sku: 'TAZA' });
    await addStoreProduct(fixture, { id: 46, name: 'Borrador', status: 'draft' });
    embeddings = await startFakeEmbeddings({ apiKey: 'sk-embed' });
    runtime = await startProductsRuntime({ ...fixture.env, EMBEDDINGS_URL: embeddings.url, EMBEDDINGS_MODEL: 'test-embed', EMBEDDINGS_API_KEY: 'sk-embed' });
    const token = await generateToken(runtime, { name: 'shop', rate_limit_per_minute: 100_000 });
    for (const id of [EVENT_PRODUCT_ID, MERCH_PRODUCT_ID, SIMPLE_EVENT_PRODUCT_ID, 99]) {
      const body = productEvent(id, {}, { event_type: 'product.created', sequence: 1, event_id: uniqueEventId('drift') });
      expect((await postEvent(runtime, token.token, body)).status).toBe(202);
      await waitForEventSettled(runtime, body.event_id as string);
    }
    await waitFor(async () => (await productRow(runtime, 99))?.embedded_hash ?? undefined, 10_000, 'the embeddings');
  });
  afterAll(async () => {
    await runtime?.dispose();
    await embeddings?.close();
    await fixture?.drop();
  });

  it('finds a published product never ingested and an ingested one the store does not publish', async () => {
    const report = await check();
    expect(report).toMatchObject({ status: 'drift', compared: 4, kinds: { missing_in_catalog: 1, not_in_store: 1 } });
    expect(report.items.map((item: { id: string; kind: string }) => `${item.id}:${item.kind}`)).toEqual(['45:missing_in_catalog', '99:not_in_store']);
  });

  it('finds an edit in the store after the last event and a stale embedding; "re-sync these" embeds again', async () => {
    await touchStoreProduct(fixture, MERCH_PRODUCT_ID, new Date(Date.now() + HOUR).toISOString().slice(0, 19).replace('T', ' '));
    await runtime.ctx.db.updateTable('synchub_products').set({ embedded_hash: 'older-text' }).where('woo_id', '=', SIMPLE_EVENT_PRODUCT_ID).execute();
    const report = await check();
    expect(report.kinds).toEqual({ missing_in_catalog: 1, not_in_store: 1, changed_since_ingest: 1, embedding_stale: 1 });

    const resync = (await (await fetch(`${runtime.url}/api/v1/drift/products/resync`, { method: 'POST', headers: { Authorization: 'Bearer test-admin-token-0123456789abcdef', 'Content-Type': 'application/json' }, body: JSON.stringify({ ids: [String(SIMPLE_EVENT_PRODUCT_ID), '12345'] }) })).json()) as Record<string, unknown>;
    expect(resync).toEqual({ status: 'queued', enqueued: 1, skipped: ['12345'] });
    await waitFor(async () => {
      const row = await productRow(runtime, SIMPLE_EVENT_PRODUCT_ID);
      return row && row.embedded_hash === row.content_hash;
    }, 10_000, 'the new embedding');
    expect((await check()).kinds).toEqual({ missing_in_catalog: 1, not_in_store: 1, changed_since_ingest: 1 });
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { chunk, StoreClient } from '../../../../worker/src/connectors/store/client';
import { stockEndpoint } from '../../../../worker/src/connectors/store/config';
import { StoreRejectedError, StoreUnavailableError } from '../../../../worker/src/connectors/store/errors';
import { FakeStore } from '../../../fakes/store/server';
import { LOOPBACK_FETCH } from '../../../support/egress';

const SECRET = 'store-client-webhook-secret-0123456789';

describe('StoreClient', () => {
  let store: FakeStore;
  beforeEach(async () => {
    store = new FakeStore(SECRET);
    await store.start();
  });
  afterEach(() => store.stop());

  it.each([
    [0, 100, []],
    [1, 100, [1]],
    [100, 100, [100]],
    [250, 100, [100, 100, 50]],
  ])('chunk(%i items, %i) → sizes %j', (count, size, sizes) => {
    expect(
      chunk(
        Array.from({ length: count }, (_, index) => index),
        size,
      ).map((part) => part.length),
    ).toEqual(sizes);
  });

  it.each([
    ['https://shop.example', 'https://shop.example/wp-json/sync-hub/v1/stock'],
    ['https://shop.example/', 'https://shop.example/wp-json/sync-hub/v1/stock'],
    ['https://example.com/shop', 'https://example.com/shop/wp-json/sync-hub/v1/stock'],
  ])('endpoint of %s', (base, expected) => {
    expect(stockEndpoint(base)).toBe(expected);
  });

  it('signs each request, sends at most 100 items per request and answers per item', async () => {
    for (let index = 0; index < 240; index += 1) store.add(`S${index}`);
    store.add('UNMANAGED', { manageStock: false });
    const client = new StoreClient({ storeUrl: store.url, webhookSecret: SECRET, batchSize: 100, timeoutMs: 5_000 }, LOOPBACK_FETCH);
    const items = [
      ...Array.from({ length: 240 }, (_, index) => ({ sku: `S${index}`, stock_quantity: index })),
      { sku: 'NOPE', stock_quantity: 1 },
      { sku: 'UNMANAGED', stock_quantity: 2 },
    ];
    const results = await client.setStock(items);
    expect(store.requests.map((request) => request.items)).toEqual([100, 100, 42]);
    expect(client.requests).toBe(3);
    expect(store.stockOf('S239')).toBe(239);
    expect(results.find((result) => result.sku === 'NOPE')?.status).toBe('unknown_sku');
    expect(results.find((result) => result.sku === 'UNMANAGED')?.status).toBe('not_managed');
    expect(store.rejected).toBe(0);
  });

  it('a wrong secret is rejected (not retryable); 5xx and 429 are retryable', async () => {
    store.add('A');
    const wrong = new StoreClient({ storeUrl: store.url, webhookSecret: 'other', batchSize: 100, timeoutMs: 5_000 }, LOOPBACK_FETCH);
    const error = await wrong.setStock([{ sku: 'A', stock_quantity: 1 }]).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(StoreRejectedError);
    expect((error as StoreRejectedError).retryable).toBe(false);
    expect(store.stockOf('A')).toBe(0);

    const client = new StoreClient({ storeUrl: store.url, webhookSecret: SECRET, batchSize: 100, timeoutMs: 5_000 }, LOOPBACK_FETCH);
    for (const status of [500, 503, 429]) {
      store.failNext(1, status);
      const failed = await client.setStock([{ sku: 'A', stock_quantity: 1 }]).catch((thrown: unknown) => thrown);
      expect(failed).toBeInstanceOf(StoreUnavailableError);
    }
    await store.stop();
    await expect(client.setStock([{ sku: 'A', stock_quantity: 1 }])).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});

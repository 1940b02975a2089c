import { describe, expect, it } from 'vitest';

import { contentHash } from '../../../worker/src/products/catalog/content';
import { isNewer, isOnSale, planEvent, type IncomingEvent, type Mark, type StoredState } from '../../../worker/src/products/catalog/plan';
import type { ProductInput } from '../../../worker/src/products/ingest/payload';

describe('isNewer', () => {
  it.each([
    ['nothing stored yet', { version: 5, eventLogId: 1 }, null, true],
    ['higher version', { version: 6, eventLogId: 1 }, { version: 5, eventLogId: 9 }, true],
    ['lower version, later arrival', { version: 4, eventLogId: 9 }, { version: 5, eventLogId: 1 }, false],
    ['same version, later arrival', { version: 5, eventLogId: 9 }, { version: 5, eventLogId: 1 }, true],
    ['same version, earlier arrival', { version: 5, eventLogId: 1 }, { version: 5, eventLogId: 9 }, false],
    ['unversioned, later arrival', { version: null, eventLogId: 9 }, { version: 5, eventLogId: 1 }, true],
    ['unversioned, earlier arrival', { version: null, eventLogId: 1 }, { version: null, eventLogId: 9 }, false],
    ['the same event again', { version: 5, eventLogId: 3 }, { version: 5, eventLogId: 3 }, true],
  ] as Array<[string, Mark, Mark | null, boolean]>)('%s → %s', (_label, incoming, current, expected) => {
    expect(isNewer(incoming, current)).toBe(expected);
  });
});

const product = (over: Partial<ProductInput> = {}): ProductInput => ({
  id: 7,
  sku: 'MUG-1',
  name: 'Mug',
  short_description: 'Short',
  description: 'Long',
  price: '10.00',
  regular_price: '10.00',
  sale_price: null,
  currency: 'EUR',
  stock_quantity: 3,
  stock_status: 'instock',
  categories: ['Kitchen'],
  tags: ['blue'],
  on_sale: null,
  image: null,
  gallery_images: [],
  permalink: null,
  external_source: 'woocommerce',
  date_modified_gmt: undefined,
  variations: [],
  ...over,
});

const event = (over: Partial<IncomingEvent> = {}): IncomingEvent => ({
  eventLogId: 10,
  eventId: 'e10',
  eventType: 'product.updated',
  version: 100,
  product: product(),
  ...over,
});
const hash = contentHash(product());
const stored = (over: Partial<StoredState> = {}): StoredState => ({
  is_active: 1,
  content_hash: hash,
  embedded_hash: hash,
  source_version: 50,
  last_event_log_id: 5,
  ...over,
});

describe('planEvent', () => {
  it.each([
    ['a new product', null, event(), { kind: 'upsert', needsEmbedding: true, contentChanged: true, restored: false }],
    [
      'a price-only edit of an embedded product',
      stored(),
      event({ product: product({ price: '12.00', sale_price: '11.00', stock_quantity: 1 }) }),
      { kind: 'upsert', needsEmbedding: false, contentChanged: false },
    ],
    [
      'a price-only edit of a product still waiting for embedding',
      stored({ embedded_hash: null }),
      event({ product: product({ price: '12.00' }) }),
      { kind: 'upsert', needsEmbedding: true, contentChanged: false },
    ],
    ['a text edit', stored(), event({ product: product({ description: 'New words' }) }), { kind: 'upsert', needsEmbedding: true, contentChanged: true }],
    ['an older event', stored({ source_version: 200 }), event(), { kind: 'stale' }],
    ['a deletion', stored(), event({ eventType: 'product.deleted', product: null }), { kind: 'delete', existed: true }],
    ['a deletion of an unknown product', null, event({ eventType: 'product.deleted', product: null }), { kind: 'delete', existed: false }],
    ['an older deletion', stored({ source_version: 200 }), event({ eventType: 'product.deleted', product: null }), { kind: 'stale' }],
    [
      'a re-creation after deletion',
      stored({ is_active: 0, embedded_hash: null }),
      event({ eventType: 'product.created' }),
      { kind: 'upsert', needsEmbedding: true, restored: true },
    ],
    ['an update older than the deletion', stored({ is_active: 0, source_version: 200 }), event(), { kind: 'stale' }],
  ] as Array<[string, StoredState | null, IncomingEvent, Record<string, unknown>]>)('%s', (_label, current, incoming, expected) => {
    expect(planEvent(current, incoming)).toMatchObject(expected);
  });

  it('marks the state with the event and keeps the highest version', () => {
    const plan = planEvent(stored({ source_version: 50 }), event({ version: null, eventLogId: 11, eventId: 'e11' }));
    expect(plan).toMatchObject({ kind: 'upsert', mark: { source_version: 50, last_event_log_id: 11, last_event_id: 'e11' } });
  });

  it('stores terms and variations as JSON and the text hash', () => {
    const plan = planEvent(
      null,
      event({
        product: product({
          variations: [
            {
              id: 8,
              sku: 'MUG-1-RED',
              attributes: { color: 'Red' },
              price: '11',
              regular_price: null,
              sale_price: null,
              stock_quantity: 1,
              stock_status: 'instock',
            },
          ],
        }),
      }),
    );
    if (plan.kind !== 'upsert') throw new Error('expected an upsert');
    expect(JSON.parse(plan.columns.categories)).toEqual(['Kitchen']);
    expect(JSON.parse(plan.columns.variations)).toEqual([
      { id: 8, sku: 'MUG-1-RED', attributes: { color: 'Red' }, price: '11', regular_price: null, sale_price: null, stock_quantity: 1, stock_status: 'instock' },
    ]);
    expect(plan.columns.content_hash).toBe(hash);
  });
});

describe('isOnSale', () => {
  it.each([
    ['as the sender says', { on_sale: true, sale_price: null, regular_price: '10' }, true],
    ['as the sender says, even with a lower sale price', { on_sale: false, sale_price: '5', regular_price: '10' }, false],
    ['a sale price below the regular one', { on_sale: null, sale_price: '7.50', regular_price: '10.00' }, true],
    ['a sale price equal to the regular one', { on_sale: null, sale_price: '10.00', regular_price: '10.00' }, false],
    ['no sale price', { on_sale: null, sale_price: null, regular_price: '10.00' }, false],
    ['a sale price and no regular one', { on_sale: null, sale_price: '3', regular_price: null }, true],
  ])('%s', (_label, input, expected) => {
    expect(isOnSale(input)).toBe(expected);
  });
});

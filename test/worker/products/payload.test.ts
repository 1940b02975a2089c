import { describe, expect, it } from 'vitest';

import { eventVersion, webhookBody } from '../../../worker/src/products/ingest/payload';

const valid = {
  event_id: 'evt-1',
  event_type: 'product.updated',
  product: {
    id: 12,
    sku: 'SKU',
    name: 'Mug',
    price: '10.50',
    categories: [{ id: 1, name: 'Kitchen', slug: 'kitchen' }],
    tags: ['blue'],
    image: { src: 'https://shop.test/mug.jpg' },
  },
};

const fieldsOf = (input: unknown): string[] => {
  const result = webhookBody.safeParse(input);
  if (result.success) return [];
  return [...new Set(result.error.issues.map((issue) => issue.path.join('.') || '_'))];
};

describe('webhookBody', () => {
  it('normalizes a WooCommerce-shaped product', () => {
    const body = webhookBody.parse(valid);
    if (body.event_type === 'product.deleted') throw new Error('unexpected');
    expect(body.product).toMatchObject({
      id: 12,
      sku: 'SKU',
      name: 'Mug',
      price: '10.50',
      regular_price: null,
      categories: ['Kitchen'],
      tags: ['blue'],
      image: 'https://shop.test/mug.jpg',
      description: '',
      variations: [],
    });
  });

  it('gives a product sent with only its id and name every field, unset ones empty, in one order', () => {
    const body = webhookBody.parse({
      event_id: 'min-1',
      event_type: 'product.created',
      product: { id: 7, name: ' Mug ', images: [{ src: '' }, 'https://shop.test/a.jpg', { src: 'https://shop.test/b.jpg' }] },
    });
    if (body.event_type === 'product.deleted') throw new Error('unexpected');
    // The stored product columns and the content hash are built from this object.
    expect(Object.entries(body.product)).toEqual(
      Object.entries({
        id: 7,
        sku: null,
        name: 'Mug',
        short_description: '',
        description: '',
        price: null,
        regular_price: null,
        sale_price: null,
        currency: null,
        stock_quantity: null,
        stock_status: null,
        categories: [],
        tags: [],
        on_sale: null,
        image: 'https://shop.test/a.jpg',
        permalink: null,
        external_source: 'woocommerce',
        variations: [],
        gallery_images: ['https://shop.test/b.jpg'],
      }),
    );
  });

  it('accepts a deletion carrying only the id', () => {
    expect(webhookBody.parse({ event_id: 'd1', event_type: 'product.deleted', product: { id: 3 } })).toMatchObject({
      event_type: 'product.deleted',
      product: { id: 3 },
    });
  });

  it('accepts variations in both attribute shapes', () => {
    const body = webhookBody.parse({
      ...valid,
      product: {
        ...valid.product,
        variations: [
          { id: 1, attributes: [{ name: 'Color', option: 'Red' }], price: 9 },
          { id: 2, attributes: { size: 'L' } },
        ],
      },
    });
    if (body.event_type === 'product.deleted') throw new Error('unexpected');
    expect(body.product.variations.map((v) => v.attributes)).toEqual([{ Color: 'Red' }, { size: 'L' }]);
    expect(body.product.variations[0]?.price).toBe('9');
  });

  it.each([
    ['missing event_id', { ...valid, event_id: undefined }, ['event_id']],
    ['empty event_id', { ...valid, event_id: '' }, ['event_id']],
    ['event_id with spaces', { ...valid, event_id: 'a b' }, ['event_id']],
    ['missing event_type', { ...valid, event_type: undefined }, ['event_type']],
    ['unknown event_type', { ...valid, event_type: 'product.exploded' }, ['event_type']],
    ['missing product', { ...valid, product: undefined }, ['product']],
    ['product id as a string', { ...valid, product: { ...valid.product, id: '12' } }, ['product.id']],
    ['negative product id', { ...valid, product: { ...valid.product, id: -1 } }, ['product.id']],
    ['missing name on update', { ...valid, product: { id: 1 } }, ['product.name']],
    ['price as an object', { ...valid, product: { ...valid.product, price: { amount: 1 } } }, ['product.price']],
    ['price as words', { ...valid, product: { ...valid.product, price: 'cheap' } }, ['product.price']],
    ['stock as a string', { ...valid, product: { ...valid.product, stock_quantity: '3' } }, ['product.stock_quantity']],
    ['unknown stock status', { ...valid, product: { ...valid.product, stock_status: 'plenty' } }, ['product.stock_status']],
    ['categories as a string', { ...valid, product: { ...valid.product, categories: 'Kitchen' } }, ['product.categories']],
    ['a bad currency', { ...valid, product: { ...valid.product, currency: 'EURO' } }, ['product.currency']],
    ['sequence as a float', { ...valid, sequence: 1.5 }, ['sequence']],
    ['occurred_at not a date', { ...valid, occurred_at: 'yesterday' }, ['occurred_at']],
    ['an array body', [valid], ['_']],
    ['a null body', null, ['_']],
  ])('rejects %s', (_label, input, fields) => {
    expect(fieldsOf(input)).toEqual(fields);
  });

  it("accepts the plugin's payload as ProductPayload builds it (WooCommerce getters: '' for unset prices)", () => {
    const fromPlugin = {
      event_id: '0b5c2f3e-4a1d-4f7e-9a51-7c3d2e1f0a9b',
      event_type: 'product.updated',
      occurred_at: '2026-11-23T12:00:00Z',
      sequence: 1795435200123456,
      product: {
        id: 41,
        sku: '',
        name: 'Mug',
        short_description: '',
        description: '<p>x</p>',
        price: '',
        regular_price: '',
        sale_price: '',
        currency: 'EUR',
        stock_quantity: null,
        stock_status: 'instock',
        categories: ['Kitchen'],
        tags: [],
        image: null,
        permalink: 'http://shop.test/?post_type=product&p=41',
        date_modified_gmt: '2026-11-23T11:59:59',
        type: 'variable',
        variations: [
          {
            id: 42,
            sku: 'MUG-RED',
            attributes: { pa_color: 'red' },
            price: '8.50',
            regular_price: '',
            sale_price: '',
            stock_quantity: 2,
            stock_status: 'instock',
          },
        ],
      },
    };
    const body = webhookBody.parse(fromPlugin);
    if (body.event_type === 'product.deleted') throw new Error('unexpected');
    expect(body.product).toMatchObject({
      sku: null,
      price: null,
      stock_quantity: null,
      variations: [{ id: 42, price: '8.50', regular_price: null, attributes: { pa_color: 'red' } }],
    });
    expect(eventVersion(body)).toBe(1795435200123456);
    expect(
      webhookBody.parse({ event_id: 'x', event_type: 'product.deleted', occurred_at: '2026-11-23T12:00:00Z', sequence: 1, product: { id: 41 } }),
    ).toMatchObject({ product: { id: 41 } });
  });

  it('keeps script and SQL text as plain strings', () => {
    const body = webhookBody.parse({ ...valid, product: { ...valid.product, name: "<script>alert(1)</script>'); DROP TABLE x; --" } });
    if (body.event_type === 'product.deleted') throw new Error('unexpected');
    expect(body.product.name).toBe("<script>alert(1)</script>'); DROP TABLE x; --");
  });
});

describe('eventVersion', () => {
  it.each([
    ['sequence wins', { sequence: 42, occurred_at: '2026-01-01T00:00:00Z', product: {} }, 42],
    ['occurred_at in microseconds', { occurred_at: '2026-01-01T00:00:00.5Z', product: {} }, Date.parse('2026-01-01T00:00:00.5Z') * 1000],
    ['date_modified_gmt without zone is UTC', { product: { date_modified_gmt: '2026-01-01T00:00:01' } }, Date.parse('2026-01-01T00:00:01Z') * 1000],
    ['unreadable date', { product: { date_modified_gmt: 'soon' } }, null],
    ['nothing', { product: {} }, null],
  ])('%s', (_label, input, expected) => {
    expect(eventVersion(input)).toBe(expected);
  });
});

describe('the original backend’s product fields', () => {
  const parse = (product: Record<string, unknown>) => {
    const body = webhookBody.parse({ event_id: 'o1', event_type: 'product.updated', product: { id: 5, name: 'Taza', ...product } });
    if (body.event_type === 'product.deleted') throw new Error('unexpected');
    return body.product;
  };

  it.each([
    [
      'gallery (the original name)',
      { image: 'https://s/a.jpg', gallery: ['https://s/b.jpg', { src: 'https://s/c.jpg' }] },
      'https://s/a.jpg',
      ['https://s/b.jpg', 'https://s/c.jpg'],
    ],
    [
      'WooCommerce images: the first is the main one',
      { images: [{ src: 'https://s/a.jpg' }, { src: 'https://s/b.jpg' }] },
      'https://s/a.jpg',
      ['https://s/b.jpg'],
    ],
    [
      'image beside images',
      { image: 'https://s/x.jpg', images: [{ src: 'https://s/a.jpg' }, { src: 'https://s/b.jpg' }] },
      'https://s/x.jpg',
      ['https://s/b.jpg'],
    ],
    ['no images', {}, null, []],
  ])('main image and gallery from %s', (_label, product, image, gallery) => {
    expect(parse(product)).toMatchObject({ image, gallery_images: gallery });
  });

  it('keeps external_source (default woocommerce) and on_sale as sent', () => {
    expect(parse({})).toMatchObject({ external_source: 'woocommerce', on_sale: null });
    expect(parse({ external_source: 'shopify', on_sale: true })).toMatchObject({ external_source: 'shopify', on_sale: true });
    expect(webhookBody.safeParse({ event_id: 'o2', event_type: 'product.updated', product: { id: 5, name: 'T', external_source: 'Not valid!' } }).success).toBe(
      false,
    );
  });
});

import { describe, expect, it } from 'vitest';

import { EVENT_PRODUCT_ID } from '../../../fakes/woocommerce-db/data';
import { storesInBothStorages } from '../../../fakes/woocommerce-db/both-storages';

const storeIn = storesInBothStorages('items', { paidOrders: 12, seed: 11 });

describe.each(['hpos', 'legacy'] as const)('line items read from the store (%s storage)', (storage) => {
  const store = () => storeIn(storage);

  it('reads each item of the product with its name and amounts, in item id order', async () => {
    const { fixture, woo } = store();
    const order = fixture.orders.find((candidate) => candidate.items.length > 0) as (typeof fixture.orders)[number];
    const productIds = (await woo.findProduct(EVENT_PRODUCT_ID)).map((product) => product.id);
    const [loaded] = await (await woo.source()).loadOrders([order.id], productIds);
    const expected = order.items.filter((item) => productIds.includes(item.productId) || productIds.includes(item.variationId));
    expect(loaded?.items.map((item) => item.id)).toEqual(expected.map((item) => item.id).sort((a, b) => a - b));
    for (const item of loaded?.items ?? []) {
      const source = expected.find((candidate) => candidate.id === item.id) as (typeof expected)[number];
      expect(item).toMatchObject({
        orderId: order.id,
        name: source.name,
        productId: source.productId,
        variationId: source.variationId,
        quantity: source.quantity,
      });
      expect(Number(item.total)).toBeGreaterThan(0);
    }
  });

  it('a repeated item meta key reads as its newest row; a key spelled in another case is not the key', async () => {
    const { fixture, woo } = store();
    const order = fixture.orders.find((candidate) => candidate.items.some((item) => item.productId === EVENT_PRODUCT_ID)) as (typeof fixture.orders)[number];
    const item = order.items.find((candidate) => candidate.productId === EVENT_PRODUCT_ID) as (typeof order.items)[number];
    const itemmeta = `\`${fixture.prefix}woocommerce_order_itemmeta\``;
    // The row WooCommerce wrote becomes the older duplicate; a newer `_qty` row holds the right quantity.
    await fixture.query(`UPDATE ${itemmeta} SET meta_value = '97' WHERE order_item_id = ? AND meta_key = '_qty'`, [item.id]);
    await fixture.query(`INSERT INTO ${itemmeta} (order_item_id, meta_key, meta_value) VALUES (?, '_qty', ?)`, [item.id, String(item.quantity)]);
    await fixture.query(`INSERT INTO ${itemmeta} (order_item_id, meta_key, meta_value) VALUES (?, '_line_total', '123.45')`, [item.id]);
    await fixture.query(`INSERT INTO ${itemmeta} (order_item_id, meta_key, meta_value) VALUES (?, '_QTY', '98')`, [item.id]);
    try {
      const [loaded] = await (await woo.source()).loadOrders([order.id], [EVENT_PRODUCT_ID]);
      const read = loaded?.items.find((candidate) => candidate.id === item.id);
      expect(read).toMatchObject({ quantity: item.quantity, total: '123.45', name: item.name });
    } finally {
      await fixture.query(`DELETE FROM ${itemmeta} WHERE order_item_id = ? AND meta_value IN ('123.45', '98', '97')`, [item.id]);
    }
  });
});

describe('legacy order fields read from postmeta', () => {
  it('a repeated order meta key reads as its newest row; a key spelled in another case is not the key', async () => {
    const { fixture, woo } = storeIn('legacy');
    const order = fixture.orders[0] as (typeof fixture.orders)[number];
    const postmeta = `\`${fixture.prefix}postmeta\``;
    await fixture.query(`UPDATE ${postmeta} SET meta_value = 'old@example.com' WHERE post_id = ? AND meta_key = '_billing_email'`, [order.id]);
    await fixture.query(`INSERT INTO ${postmeta} (post_id, meta_key, meta_value) VALUES (?, '_billing_email', 'new@example.com')`, [order.id]);
    await fixture.query(`INSERT INTO ${postmeta} (post_id, meta_key, meta_value) VALUES (?, '_BILLING_EMAIL', 'shout@example.com')`, [order.id]);
    try {
      const [loaded] = await (await woo.source()).loadOrders([order.id], [EVENT_PRODUCT_ID]);
      expect(loaded?.billing).toMatchObject({ email: 'new@example.com', firstName: order.billing.firstName, lastName: order.billing.lastName });
      expect(loaded?.currency).toBe(order.currency);
    } finally {
      await fixture.query(`DELETE FROM ${postmeta} WHERE post_id = ? AND meta_value IN ('old@example.com', 'shout@example.com')`, [order.id]);
    }
  });
});

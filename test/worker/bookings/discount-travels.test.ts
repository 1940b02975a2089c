import { serialize } from 'php-serialize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createWooCommerceFixture, type WooFixture } from '../../fakes/woocommerce-db/fixture';
import { startHarness, untilFirstSweepDone, type Harness } from './harness';

/**
 * The discount the customer was charged travels with the order; the sweep reads it from the
 * store (the cart's decision in order meta, else the order's fee lines) and never recomputes one,
 * whatever the worker's environment once said (4 persons here would have meant 5 %).
 */
describe.each(['hpos', 'legacy'] as const)('the sweep keeps each order’s own discount (%s)', (storage) => {
  let fixture: WooFixture;
  let h: Harness;
  const cases = new Map<string, { orderId: number; subtotal: number }>();

  beforeAll(async () => {
    fixture = await createWooCommerceFixture({ storage, spec: { paidOrders: 6, unpaidOrders: 0, seed: 11 }, label: 'dsc' });
    const paid = fixture.orders.filter((order) => order.paidAt && order.items.length > 0).slice(0, 4);
    if (paid.length < 4) throw new Error('fixture without enough orders');
    h = await startHarness({ env: fixture.env });
    await untilFirstSweepDone(h);
    const from = Date.parse('2026-12-01T18:30:00Z') / 1000;
    const meta = async (orderId: number, value: string) => {
      if (storage === 'hpos')
        await fixture.query(`INSERT INTO \`${fixture.prefix}wc_orders_meta\` (order_id, meta_key, meta_value) VALUES (?, '_synchub_volume_discount', ?)`, [
          orderId,
          value,
        ]);
      else
        await fixture.query(`INSERT INTO \`${fixture.prefix}postmeta\` (post_id, meta_key, meta_value) VALUES (?, '_synchub_volume_discount', ?)`, [
          orderId,
          value,
        ]);
    };
    const names = ['store rule said none', 'cart applied 7.5', 'fee line only', 'nothing at all'];
    for (const [index, order] of paid.entries()) {
      const item = order.items[0];
      if (!item) continue;
      // Only the first line is a booking here: the discount is measured against the booked classes.
      await fixture.query(
        `INSERT INTO \`${fixture.prefix}woocommerce_order_itemmeta\` (order_item_id, meta_key, meta_value) VALUES (?, 'yith_booking_data', ?)`,
        [item.id, serialize({ from, to: from + 3600, persons: 4 })],
      );
      cases.set(names[index] as string, { orderId: order.id, subtotal: Math.round(item.unitPrice * item.quantity * 100) / 100 });
      await fixture.setOrderStatus(order.id, order.status);
    }
    await meta(cases.get('store rule said none')?.orderId ?? 0, serialize({ percent: 0, threshold: 6 }));
    await meta(cases.get('cart applied 7.5')?.orderId ?? 0, serialize({ percent: 7.5, threshold: 4 }));
    const fee = cases.get('fee line only');
    if (!fee) throw new Error('no fee case');
    const off = Math.round(fee.subtotal * 10) / 100;
    await fixture.query(
      `INSERT INTO \`${fixture.prefix}woocommerce_order_items\` (order_item_name, order_item_type, order_id) VALUES ('Descuento por volumen (10%)', 'fee', ?)`,
      [fee.orderId],
    );
    await fixture.query(
      `INSERT INTO \`${fixture.prefix}woocommerce_order_itemmeta\` (order_item_id, meta_key, meta_value) VALUES (LAST_INSERT_ID(), '_line_total', ?)`,
      [(-off).toFixed(2)],
    );
  });
  afterAll(async () => {
    await h?.dispose();
    await fixture?.drop();
  });

  it('sends Odoo the discount each order carries', async () => {
    expect(await h.service().sweep()).toMatchObject({ imported: 4 });
    const discountOf = async (label: string): Promise<number> => {
      const orderId = cases.get(label)?.orderId ?? 0;
      await h.waitForOrder(orderId, 'synced');
      const [sale] = h.saleOrders(`WC-${orderId}`);
      const lines = h.odoo.orm.search('sale.order.line', [['order_id', '=', Number(sale?.id)]]);
      expect(lines.length).toBeGreaterThan(0);
      return Number(lines[0]?.discount);
    };
    expect(await discountOf('store rule said none')).toBe(0);
    expect(await discountOf('cart applied 7.5')).toBe(7.5);
    expect(await discountOf('fee line only')).toBeCloseTo(10, 1);
    expect(await discountOf('nothing at all')).toBe(0);
  });
});

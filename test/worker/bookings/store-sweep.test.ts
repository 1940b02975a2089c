import { serialize } from 'php-serialize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createWooCommerceFixture, type WooFixture } from '../../fakes/woocommerce-db/fixture';
import { wcOrder } from './fixtures';
import { startHarness, untilFirstSweepDone, type Harness } from './harness';

describe.each(['hpos', 'legacy'] as const)('the sweep reads paid booking orders from the store database (%s)', (storage) => {
  let fixture: WooFixture;
  let h: Harness;
  let booked: number[];
  let unpaidBooked: number;

  beforeAll(async () => {
    fixture = await createWooCommerceFixture({ storage, spec: { paidOrders: 4, unpaidOrders: 2, seed: 7 }, label: 'bk' });
    const paid = fixture.orders.filter((order) => order.paidAt && order.items.length > 0);
    const unpaid = fixture.orders.find((order) => !order.paidAt && order.items.length > 0);
    if (paid.length < 3 || !unpaid) throw new Error('fixture without enough orders');
    booked = paid.slice(0, 3).map((order) => order.id);
    unpaidBooked = unpaid.id;
    h = await startHarness({ env: fixture.env });
    // The first sweep finishes before the store gets bookings.
    await untilFirstSweepDone(h);
    const from = Date.parse('2026-12-01T18:30:00Z') / 1000;
    for (const order of [...paid.slice(0, 3), unpaid]) {
      const item = order.items[0];
      if (!item) continue;
      await fixture.query(
        `INSERT INTO \`${fixture.prefix}woocommerce_order_itemmeta\` (order_item_id, meta_key, meta_value) VALUES (?, 'yith_booking_data', ?), (?, '_booking_id', ?)`,
        [item.id, serialize({ from, to: from + 3600, persons: 2 }), item.id, String(7000 + order.id)],
      );
      await fixture.setOrderStatus(order.id, order.status); // touches the modified date
    }
    // The first booked order already arrived by webhook and is synced.
    const first = fixture.orders.find((order) => order.id === booked[0]);
    await h.post(wcOrder(booked[0] as number, { email: first?.billing.email }));
    await h.waitForOrder(booked[0] as number, 'synced');
  });
  afterAll(async () => {
    await h?.dispose();
    await fixture?.drop();
  });

  it('imports the paid booking orders whose webhook never came, and syncs them once', async () => {
    expect(await h.service().sweep()).toEqual({ enqueued: 2, imported: 2 });
    for (const id of booked) await h.waitForOrder(id, 'synced');
    for (const id of booked) expect(h.saleOrders(`WC-${id}`)).toHaveLength(1);
    expect(h.saleOrders(`WC-${unpaidBooked}`)).toHaveLength(0);
    const imported = fixture.orders.find((order) => order.id === booked[1]);
    const [sale] = h.saleOrders(`WC-${booked[1]}`);
    const partner = h.odoo.orm.get('res.partner', Number(sale?.partner_id));
    expect(partner?.email).toBe(imported?.billing.email.toLowerCase());
    const [line] = h.odoo.orm.search('sale.order.line', [['order_id', '=', Number(sale?.id)]]);
    expect(line?.name).toBe(`${imported?.items[0]?.name} - 2026-12-01 18:30 (2 persons)`);
    // Nothing left for the next sweep.
    expect(await h.service().sweep()).toEqual({ enqueued: 0, imported: 0 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { compareBookings, expectedAmount, type LinkView, type OdooOrderView } from '../../../worker/src/bookings/drift-rules';
import type { BookingOrder } from '../../../worker/src/bookings/orders/parse';
import { wcOrder } from './fixtures';
import { startHarness, type Harness } from './harness';

const order = (
  id: number,
  slots: Array<[number, number]> = [[1, 30]],
  discountPercent: number | null = null,
  extra: Partial<BookingOrder> = {},
): BookingOrder => ({
  id,
  number: String(id),
  email: `a${id}@example.com`,
  name: 'Ana',
  phone: null,
  paidAt: new Date(Date.now() - 3_600_000).toISOString(),
  slots: slots.map(([quantity, unitPrice], index) => ({
    itemId: index + 1,
    productId: 42,
    className: 'Yoga',
    start: '2030-01-01 10:00',
    end: null,
    persons: 1,
    personTypes: [],
    bookingId: null,
    quantity,
    unitPrice,
    subtotal: quantity * unitPrice,
    subtotalTax: 0,
    taxRateIds: [],
  })),
  discountPercent,
  currency: 'EUR',
  pricesIncludeTax: false,
  taxRates: [],
  fees: [],
  total: null,
  totalTax: null,
  ...extra,
});
const link = (orderId: number, saleOrderId: number): [number, LinkView] => [orderId, { orderId, saleOrderId, saleOrderName: `S${saleOrderId}` }];
const sale = (id: number, amountUntaxed: number, state = 'sale', amountTotal = amountUntaxed): [number, OdooOrderView] => [
  id,
  { id, name: `S${id}`, state, amountUntaxed, amountTotal },
];

describe('bookings drift rules', () => {
  it.each([
    { name: 'lines, no tax', order: order(1, [[1, 30]]), expected: { amount: 30, field: 'untaxed' } },
    {
      name: 'lines less the cart discount',
      order: order(
        1,
        [
          [1, 30],
          [1, 12.5],
        ],
        5,
      ),
      expected: { amount: 40.38, field: 'untaxed' },
    },
    { name: "WooCommerce's total when the order has it", order: order(1, [[1, 30]], null, { total: 36.3 }), expected: { amount: 36.3, field: 'total' } },
    { name: 'prices with tax: against the total', order: order(1, [[1, 30]], null, { pricesIncludeTax: true }), expected: { amount: 30, field: 'total' } },
    {
      name: 'a compound tax cannot be mapped',
      order: order(1, [[1, 30]], null, {
        taxRates: [{ rateId: 1, label: 'IVA+', percent: 5, compound: true }],
        slots: order(1).slots.map((slot) => ({ ...slot, taxRateIds: [1] })),
      }),
      expected: null,
    },
  ])('expected Odoo amount: $name', ({ order: given, expected }) => {
    expect(expectedAmount(given)).toEqual(expected);
  });

  it.each([
    { name: 'linked, same total', links: [link(1, 11)], odoo: [sale(11, 30)], kinds: [] },
    { name: 'never linked', links: [], odoo: [], kinds: ['1:not_in_odoo'] },
    { name: 'sale order deleted in Odoo', links: [link(1, 11)], odoo: [], kinds: ['1:sale_order_missing'] },
    { name: 'sale order cancelled in Odoo', links: [link(1, 11)], odoo: [sale(11, 30, 'cancel')], kinds: ['1:cancelled_in_odoo'] },
    { name: 'total edited in Odoo', links: [link(1, 11)], odoo: [sale(11, 25)], kinds: ['1:total_differs'] },
    { name: 'a cent of rounding is no drift', links: [link(1, 11)], odoo: [sale(11, 30.01)], kinds: [] },
    { name: 'taxes in Odoo do not count against an untaxed order', links: [link(1, 11)], odoo: [sale(11, 30, 'sale', 34.5)], kinds: [] },
  ])('$name', ({ links, odoo, kinds }) => {
    expect(compareBookings([order(1)], new Map(links), new Map(odoo)).map((item) => `${item.id}:${item.kind}`)).toEqual(kinds);
  });

  it('re-syncs what a new sale order fixes, not what a person must fix in Odoo', () => {
    const items = compareBookings(
      [order(1), order(2), order(3), order(4)],
      new Map([link(2, 12), link(3, 13), link(4, 14)]),
      new Map([sale(13, 1), sale(14, 30, 'cancel')]),
    );
    expect(items.map((item) => [item.kind, item.resyncable])).toEqual([
      ['not_in_odoo', true],
      ['sale_order_missing', true],
      ['total_differs', false],
      ['cancelled_in_odoo', false],
    ]);
    expect(items[2]?.detail).toMatchObject({ woocommerce_total: 30, odoo_total: 1 });
  });
});

/**
 * Against the Odoo protocol fake (XML-RPC, its ORM rules) and real MariaDB; the same steps run
 * against a real Odoo once test/support/odoo-peer.ts exists (startHarness with its URL).
 */
describe('bookings drift against Odoo', () => {
  let h: Harness;
  let started = 0;
  const check = async () => {
    started = Date.now();
    expect((await h.admin('POST', '/api/v1/drift/check', { domains: ['bookings'] })).status).toBe(202);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const body = (await (await h.admin('GET', '/api/v1/drift/bookings')).json()) as { running: unknown; report: Record<string, any> | null };
      if (body.running === null && body.report && Date.parse(body.report.checkedAt) >= started) return body.report;
      if (Date.now() > deadline) throw new Error(`no bookings drift report: ${JSON.stringify(body)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('in sync after the orders were sent', async () => {
    for (const id of [2001, 2002, 2003]) {
      expect((await h.post(wcOrder(id, { slots: [{ persons: 2 }, { name: 'Pilates', subtotal: '12.50' }], discountPercent: 5 }))).status).toBe(202);
      await h.waitForOrder(id, 'synced');
    }
    expect(await check()).toMatchObject({ status: 'in_sync', compared: 3, differing: 0 });
  });

  it('finds a deleted sale order, an edited total and an order never sent; "re-sync these" makes a new sale order', async () => {
    const [deleted] = h.saleOrders('WC-2002');
    h.odoo.orm.tables.get('sale.order')?.delete(Number(deleted?.id));
    const [edited] = h.saleOrders('WC-2003');
    const before = edited ? { ...edited } : undefined;
    // Edited by hand in Odoo: its amounts no longer match the store's.
    if (edited) edited.amount_untaxed = edited.amount_total = 10;
    expect((await h.post(wcOrder(2004, { email: null }))).status).toBe(202);
    await h.waitForOrder(2004, 'failed');

    const report = await check();
    expect(report).toMatchObject({ status: 'drift', compared: 4, kinds: { sale_order_missing: 1, total_differs: 1, not_in_odoo: 1 } });
    expect(report.items.find((item: { kind: string }) => item.kind === 'sale_order_missing')).toMatchObject({
      id: '2002',
      resyncable: true,
      detail: { sale_order: deleted?.name },
    });
    expect(report.items.find((item: { kind: string }) => item.kind === 'total_differs')).toMatchObject({
      id: '2003',
      detail: { woocommerce_total: Number(before?.amount_total), odoo_total: 10 },
    });

    const resync = (await (await h.admin('POST', '/api/v1/drift/bookings/resync', { ids: ['2002', '9999'] })).json()) as Record<string, unknown>;
    expect(resync).toEqual({ status: 'queued', enqueued: 1, skipped: ['9999'] });
    const deadline = Date.now() + 10_000;
    while (h.saleOrders('WC-2002').length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const [created] = h.saleOrders('WC-2002');
    expect(created?.id).not.toBe(deleted?.id);
    await h.waitForOrder(2002, 'synced');
    const after = await check();
    expect(after.kinds).toEqual({ total_differs: 1, not_in_odoo: 1 });
  });
});

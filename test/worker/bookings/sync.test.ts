import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { adminHeaders } from '../../support/runtime';
import { odooDatetime, PAID_AT, wcOrder } from './fixtures';
import { startHarness, type Harness } from './harness';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.dispose();
});

describe('order.paid → Odoo', () => {
  it('creates partner, service products and a confirmed sale order with the volume discount', async () => {
    const order = wcOrder(1001, { slots: [{ persons: 3 }, { name: 'Pilates', start: '2026-12-02 09:00', persons: 1, subtotal: '12.50' }], discountPercent: 5 });
    expect((await h.post(order)).status).toBe(202);
    await h.waitForOrder(1001, 'synced');

    const [sale] = h.saleOrders('WC-1001');
    expect(sale).toMatchObject({ origin: 'WooCommerce #1001', date_order: odooDatetime(PAID_AT), state: 'sale' });
    const partner = h.odoo.orm.get('res.partner', Number(sale?.partner_id));
    expect(partner).toMatchObject({ name: 'Ana García', email: 'ana1001@example.com', phone: '+34 600 000 000' });
    const lines = h.odoo.orm.search('sale.order.line', [['order_id', '=', Number(sale?.id)]]);
    const products = lines.map((line) => h.odoo.orm.get('product.product', Number(line.product_id)));
    expect(products.map((product) => [product?.name, product?.default_code, product?.type, product?.detailed_type])).toEqual([
      ['Yoga Flow - 2026-12-01 18:30 (3 persons)', 'WCB-42-202612011830-P3', 'service', 'service'],
      ['Pilates - 2026-12-02 09:00 (1 person)', 'WCB-42-202612020900-P1', 'service', 'service'],
    ]);
    // The cart charged 5 % (4 persons); that discount travels with the order onto every line.
    expect(lines.map((line) => [line.product_uom_qty, line.price_unit, line.discount])).toEqual([
      [1, 30, 5],
      [1, 12.5, 5],
    ]);
    const link = await h.runtime.ctx.db.selectFrom('synchub_bookings_links').selectAll().where('wc_order_id', '=', 1001).executeTakeFirstOrThrow();
    expect(link).toMatchObject({ odoo_sale_order_id: sale?.id, odoo_sale_order_name: sale?.name, state: 'sale' });
  });

  it('reuses the partner by email and the product by internal reference, in ≤ 5 calls', async () => {
    h.odoo.resetCalls();
    const order = wcOrder(1002, { slots: [{ persons: 3 }] });
    (order.billing as Record<string, string>).email = 'ANA1001@example.com';
    await h.post(order);
    await h.waitForOrder(1002, 'synced');
    expect(h.odoo.orm.search('res.partner', [['email', '=', 'ana1001@example.com']])).toHaveLength(1);
    expect(h.odoo.orm.search('product.product', [['default_code', '=', 'WCB-42-202612011830-P3']])).toHaveLength(1);
    // ref lookup, create, confirm, paid date back (confirmation stamps now), names read back.
    expect(h.odoo.totalCalls()).toBeLessThanOrEqual(5);
    const [sale] = h.saleOrders('WC-1002');
    expect(h.odoo.orm.search('sale.order.line', [['order_id', '=', Number(sale?.id)]]).map((line) => line.discount)).toEqual([0]);
  });

  it('acknowledges an order without booking items and ignores it without calling Odoo', async () => {
    h.odoo.resetCalls();
    const response = await h.post(wcOrder(1003, { plainItems: true }), 'evt-plain-1003');
    expect(response.status).toBe(202);
    await h.waitForInbound('evt-plain-1003', 'ignored');
    expect(h.odoo.totalCalls()).toBe(0);
    expect(await h.runtime.ctx.db.selectFrom('synchub_bookings_orders').select('wc_order_id').where('wc_order_id', '=', 1003).execute()).toHaveLength(0);
  });

  it('answers a bad signature with 401 and stores nothing', async () => {
    const response = await fetch(`${h.runtime.url}/webhook/order`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-WC-Webhook-Signature': 'bm9wZQ==', 'X-WC-Webhook-Topic': 'order.paid' },
      body: JSON.stringify(wcOrder(1004)),
    });
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe('invalid_signature');
  });

  it('dead-letters an order without customer email with a clear reason', async () => {
    await h.post(wcOrder(1005, { email: null }));
    const row = await h.waitForOrder(1005, 'failed');
    expect(row.last_error).toMatch(/Order #1005 has no customer email/);
    expect(h.saleOrders('WC-1005')).toHaveLength(0);
  });

  it("dead-letters an Odoo validation error with Odoo's message, and Retry syncs it once fixed", async () => {
    h.odoo.inject({ match: 'sale.order.create', kind: 'fault', fault: { code: 2, message: 'The customer is blocked.' } });
    await h.post(wcOrder(1006));
    const row = await h.waitForOrder(1006, 'failed');
    expect(row).toMatchObject({ error_kind: 'validation' });
    expect(row.last_error).toContain('The customer is blocked.');
    const failed = await h.admin('GET', '/api/v1/bookings/orders?status=failed');
    expect((await failed.json()).items.map((item: { wc_order_id: number }) => item.wc_order_id)).toContain(1006);
    expect((await h.admin('POST', '/api/v1/bookings/orders/1006/retry')).status).toBe(202);
    await h.waitForOrder(1006, 'synced');
    expect(h.saleOrders('WC-1006')).toHaveLength(1);
  });

  it('forgets cached Odoo ids after a validation error, so Retry finds the merged customer', async () => {
    await h.post(wcOrder(1009));
    await h.waitForOrder(1009, 'synced');
    // In Odoo the customer is archived and replaced (a merge): the cached id now fails.
    const [first] = h.saleOrders('WC-1009');
    const oldPartner = Number(first?.partner_id);
    Object.assign(h.odoo.orm.get('res.partner', oldPartner) ?? {}, { email: 'merged-away@example.com' });
    const replacement = h.odoo.orm.createOne('res.partner', { name: 'Ana García', email: 'ana1009@example.com' });
    h.odoo.inject({ match: 'sale.order.create', kind: 'fault', fault: { code: 2, message: 'The customer is archived.' } });
    const again = wcOrder(1010);
    (again.billing as Record<string, string>).email = 'ana1009@example.com';
    await h.post(again);
    expect((await h.waitForOrder(1010, 'failed')).last_error).toContain('The customer is archived.');
    expect((await h.admin('POST', '/api/v1/bookings/orders/1010/retry')).status).toBe(202);
    await h.waitForOrder(1010, 'synced');
    const [second] = h.saleOrders('WC-1010');
    expect(Number(second?.partner_id)).toBe(replacement);
  });

  it('retries after HTTP 500 and syncs', async () => {
    h.odoo.inject({ match: 'sale.order.search_read', kind: 'http500' });
    await h.post(wcOrder(1007));
    await h.waitForOrder(1007, 'synced', 15_000);
    expect(h.saleOrders('WC-1007')).toHaveLength(1);
  });

  it('honours Retry-After on HTTP 429 without spending an attempt', async () => {
    h.odoo.resetCalls();
    h.odoo.inject({ match: 'sale.order.search_read', kind: 'http429', retryAfterSeconds: 1 });
    await h.post(wcOrder(1008), 'evt-1008');
    await h.waitForOrder(1008, 'synced', 15_000);
    expect(h.odoo.calls['sale.order.search_read']).toBeGreaterThanOrEqual(2);
    expect(h.saleOrders('WC-1008')).toHaveLength(1);
    const inboundId = (await h.runtime.ctx.db.selectFrom('synchub_inbound_events').select('id').where('event_id', '=', 'evt-1008').executeTakeFirstOrThrow())
      .id;
    const queue = h.runtime.ctx.queues.get('bookings');
    // The order is linked a moment before BullMQ records the job as finished: wait for that.
    const deadline = Date.now() + 10_000;
    while ((await queue.getJobState(`inbound-${inboundId}`)) !== 'completed' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    const job = await queue.getJob(`inbound-${inboundId}`);
    // Moved to delayed for Retry-After, not failed into a backoff retry (that would make 2).
    expect(job?.attemptsMade).toBe(1);
  });

  it('groups a burst of live webhooks into shared Odoo calls', async () => {
    h.odoo.resetCalls();
    const ids = Array.from({ length: 20 }, (_, index) => 1100 + index);
    await Promise.all(ids.map((id) => h.post(wcOrder(id, { slots: [{ persons: 1 + (id % 3) }] }))));
    for (const id of ids) await h.waitForOrder(id, 'synced');
    for (const id of ids) expect(h.saleOrders(`WC-${id}`)).toHaveLength(1);
    // One call per order would be 20 creates; batches share them.
    expect(h.odoo.calls['sale.order.create']).toBeLessThan(20);
    expect(h.odoo.totalCalls()).toBeLessThan(4 * 20);
  });

  it('reports odoo_connection in /health', async () => {
    const response = await fetch(`${h.runtime.url}/health`, { headers: adminHeaders() });
    expect((await response.json()).odoo_connection).toBe(true);
  });
});

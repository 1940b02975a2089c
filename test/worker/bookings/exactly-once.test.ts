import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { parseBookingOrder } from '../../../worker/src/bookings/orders/parse';
import { wcOrder } from './fixtures';
import { startHarness, type Harness } from './harness';
import { until } from '../../support/until';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.dispose();
});

/** An order the worker holds but never synced (its webhook job died), last touched long ago. */
async function strandedOrder(id: number): Promise<void> {
  const parsed = parseBookingOrder(wcOrder(id));
  if (parsed.kind !== 'bookings') throw new Error('fixture has no bookings');
  await h.service().store.upsertOrder(parsed.order);
  await h.runtime.ctx.db
    .updateTable('synchub_bookings_orders')
    .set({ updated_at: sql`CURRENT_TIMESTAMP(3) - INTERVAL 10 MINUTE` })
    .where('wc_order_id', '=', id)
    .execute();
}

const waitUntil = (check: () => boolean | Promise<boolean>, timeoutMs = 10_000) => until('the condition', check, Boolean, timeoutMs, 40);

describe('exactly one sale order per WooCommerce order', () => {
  it('a repeated webhook (same event id, then a new event id) creates nothing more', async () => {
    const order = wcOrder(2001);
    expect((await h.post(order, 'evt-2001')).status).toBe(202);
    await h.waitForOrder(2001, 'synced');
    const again = await h.post(order, 'evt-2001');
    expect(again.status).toBe(200);
    expect((await again.json()).status).toBe('skipped');

    h.odoo.resetCalls();
    await h.post(order, 'evt-2001-redelivered');
    await h.waitForInbound('evt-2001-redelivered', 'processed');
    expect(h.saleOrders('WC-2001')).toHaveLength(1);
    expect(h.odoo.totalCalls()).toBe(0);
  });

  it('a retry after a lost response finds the order Odoo did create', async () => {
    h.odoo.inject({ match: 'sale.order.create', kind: 'lost-response' });
    await h.post(wcOrder(2002), 'evt-2002');
    await h.waitForOrder(2002, 'synced', 15_000);
    // The order row is marked synced before the inbound job records its own outcome.
    await h.waitForInbound('evt-2002', 'processed');
    // The first attempt failed (no answer), the second found the order by client_order_ref.
    const inbound = await h.runtime.ctx.db.selectFrom('synchub_inbound_events').select('attempts').where('event_id', '=', 'evt-2002').executeTakeFirstOrThrow();
    expect(inbound.attempts).toBeGreaterThanOrEqual(2);
    const orders = h.saleOrders('WC-2002');
    expect(orders).toHaveLength(1);
    expect(orders[0]?.state).toBe('sale');
    const link = await h.runtime.ctx.db.selectFrom('synchub_bookings_links').selectAll().where('wc_order_id', '=', 2002).executeTakeFirstOrThrow();
    expect(link.odoo_sale_order_id).toBe(orders[0]?.id);
  });

  it('lost answers to the partner and product creates leave one of each', async () => {
    h.odoo.inject({ match: 'res.partner.create', kind: 'lost-response' });
    h.odoo.inject({ match: 'product.product.create', kind: 'lost-response' });
    await h.post(wcOrder(2007, { slots: [{ persons: 7, start: '2027-01-05 08:00' }] }));
    await h.waitForOrder(2007, 'synced', 20_000);
    expect(h.odoo.orm.search('res.partner', [['email', '=', 'ana2007@example.com']])).toHaveLength(1);
    expect(h.odoo.orm.search('product.product', [['default_code', '=', 'WCB-42-202701050800-P7']])).toHaveLength(1);
    expect(h.saleOrders('WC-2007')).toHaveLength(1);
  });

  it('a lost answer to action_confirm does not confirm twice or dead-letter', async () => {
    h.odoo.inject({ match: 'sale.order.action_confirm', kind: 'lost-response' });
    await h.post(wcOrder(2003));
    await h.waitForOrder(2003, 'synced', 15_000);
    expect(h.saleOrders('WC-2003')).toMatchObject([{ state: 'sale' }]);
  });

  it('the sweep syncs a stranded order and links (not duplicates) one Odoo already has', async () => {
    await strandedOrder(2004);
    await strandedOrder(2005);
    // 2005 reached Odoo before the worker died: only the answer was lost.
    const partner = h.odoo.orm.createOne('res.partner', { name: 'Ana', email: 'ana2005@example.com' });
    h.odoo.orm.createOne('sale.order', { partner_id: partner, client_order_ref: 'WC-2005' });
    expect(await h.service().sweep()).toEqual({ enqueued: 2, imported: 0 });
    await h.waitForOrder(2004, 'synced');
    await h.waitForOrder(2005, 'synced');
    expect(h.saleOrders('WC-2004')).toHaveLength(1);
    expect(h.saleOrders('WC-2005')).toHaveLength(1);
    expect(await h.service().sweep()).toEqual({ enqueued: 0, imported: 0 });
  });

  it('a manual sync of a synced order creates nothing', async () => {
    const response = await h.admin('POST', '/sync/manual', { order_id: 2001 });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ status: 'queued', orders: 1, mode: 'single' });
    const queue = h.runtime.ctx.queues.get('bookings');
    await waitUntil(
      async () => (await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')).waiting === 0 && (await queue.getActiveCount()) === 0,
    );
    expect(h.saleOrders('WC-2001')).toHaveLength(1);
  });

  it('the webhook, a redelivery and a manual sync racing on one order make one sale order', async () => {
    h.odoo.latencyMs = 30;
    try {
      const order = wcOrder(2006);
      await Promise.all([h.post(order, 'evt-2006-a'), h.post(order, 'evt-2006-b')]);
      await waitUntil(async () => (await h.service().store.loadOrders([2006])).size === 1);
      await h.admin('POST', '/sync/manual', { order_id: 2006 });
      await h.waitForOrder(2006, 'synced', 15_000);
      await h.waitForInbound('evt-2006-a', 'processed', 15_000);
      await h.waitForInbound('evt-2006-b', 'processed', 15_000);
      expect(h.saleOrders('WC-2006')).toHaveLength(1);
    } finally {
      h.odoo.latencyMs = 0;
    }
  });

  it('manual "all unsynced" takes dead letters and stranded orders, in batch mode for a backlog', async () => {
    for (let id = 3000; id < 3025; id += 1) await strandedOrder(id);
    h.odoo.resetCalls();
    const response = await h.admin('POST', '/sync/manual', {});
    expect(response.status).toBe(202);
    const body = await response.json();
    expect(body).toMatchObject({ status: 'queued', mode: 'batch' });
    expect(body.orders).toBeGreaterThanOrEqual(25);
    for (let id = 3000; id < 3025; id += 1) await h.waitForOrder(id, 'synced');
    for (let id = 3000; id < 3025; id += 1) expect(h.saleOrders(`WC-${id}`)).toHaveLength(1);
    // One batch: ref lookup, partners (search + create), products (search), create, confirm, read.
    expect(h.odoo.totalCalls()).toBeLessThanOrEqual(10);
    expect(h.odoo.calls['sale.order.create']).toBe(1);
  });
});

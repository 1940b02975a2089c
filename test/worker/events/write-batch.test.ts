import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEventsDomain } from '../../../worker/src/events';
import type { DesiredOrder } from '../../../worker/src/events/rules';
import { applyBatch, ensureEvent, ensureTiers, type BatchTarget } from '../../../worker/src/events/sync/tickets';
import { startTestRuntime, type TestRuntime } from '../../support/runtime';

let runtime: TestRuntime;
beforeAll(async () => {
  runtime = await startTestRuntime({ domains: [createEventsDomain], processJobs: false });
});
afterAll(async () => {
  await runtime?.dispose();
});

/** 1,201 paid orders (three INSERT statements of orders) with 1 to 3 tickets each (more statements of tickets). */
const desiredOrders = (): DesiredOrder[] =>
  Array.from({ length: 1_201 }, (_, index) => {
    const wooOrderId = 50_000 + index * 3;
    const tickets = Array.from({ length: (index % 3) + 1 }, (__, seat) => ({
      itemId: wooOrderId * 10,
      sequence: seat + 1,
      productId: 10,
      variationId: index % 2 === 0 ? 0 : 11,
      attendeeName: `Asistente ${index}-${seat}`,
      attendeeEmail: `a${index}-${seat}@example.es`,
      price: '40.00',
      serviceFee: '2.00',
      issuedAt: new Date(Date.now() - index * 60_000).toISOString(),
    }));
    return {
      wooOrderId,
      status: 'active',
      sourceStatus: 'wc-completed',
      currency: 'EUR',
      subtotal: `${40 * tickets.length}.00`,
      tax: '0.00',
      serviceFee: `${2 * tickets.length}.00`,
      total: `${42 * tickets.length}.00`,
      buyerName: `Comprador ${index}`,
      buyerEmail: `c${index}@example.es`,
      orderedAt: null,
      paidAt: null,
      tickets,
      hash: `hash-${index}`,
    };
  });

async function targetFor(configurationId: number, consecutiveIds: boolean): Promise<BatchTarget> {
  const eventId = await ensureEvent(runtime.ctx.db, {
    id: configurationId,
    event_name: `Evento ${configurationId}`,
    event_description: '',
    organizer_email: 'org@example.es',
    organizer_name: 'Org',
  });
  const tiers = new Map<string, number>();
  await ensureTiers(
    runtime.ctx.db,
    eventId,
    [
      { productId: 10, variationId: 0, name: 'General' },
      { productId: 10, variationId: 11, name: 'VIP' },
    ],
    tiers,
  );
  return { configurationId, eventId, tiers, notifyState: 'skipped', consecutiveIds };
}

/** Each stored ticket as (WooCommerce order id, item, seat, attendee): what a wrong order row id would scramble. */
async function storedTickets(eventId: number): Promise<string[]> {
  const rows = await runtime.ctx.db
    .selectFrom('synchub_event_tickets as t')
    .innerJoin('synchub_event_ticket_orders as o', 'o.id', 't.ticket_order_id')
    .select(['o.woocommerce_order_id', 't.woocommerce_order_item_id', 't.sequence', 't.attendee_email'])
    .where('t.event_id', '=', eventId)
    .execute();
  return rows.map((row) => `${row.woocommerce_order_id}/${row.woocommerce_order_item_id}/${row.sequence}/${row.attendee_email}`).sort();
}

describe('applyBatch: new orders in multi-row statements', () => {
  for (const consecutiveIds of [true, false]) {
    it(`links every ticket to its own order row (${consecutiveIds ? 'ids known from the insert' : 'ids read back'})`, async () => {
      const desired = desiredOrders();
      const target = await targetFor(consecutiveIds ? 9_001 : 9_002, consecutiveIds);
      const metrics = await runtime.ctx.db.transaction().execute((trx) => applyBatch(trx, target, desired));
      const expected = desired
        .flatMap((order) => order.tickets.map((ticket) => `${order.wooOrderId}/${ticket.itemId}/${ticket.sequence}/${ticket.attendeeEmail}`))
        .sort();
      expect(metrics).toMatchObject({ newOrders: 1_201, newTickets: expected.length });
      expect(await storedTickets(target.eventId)).toEqual(expected);

      const again = await runtime.ctx.db.transaction().execute((trx) => applyBatch(trx, target, desired));
      expect(again).toMatchObject({ newOrders: 0, updatedOrders: 0, newTickets: 0 });
    });
  }

  it('writes nothing when a statement fails part-way (the caller rolls the page back)', async () => {
    const target = await targetFor(9_003, true);
    const desired = desiredOrders().slice(0, 700);
    // A ticket whose tier is unknown fails after the orders went in: the transaction must leave no order behind.
    const broken = desired.map((order, index) => (index === 650 ? { ...order, tickets: [{ ...order.tickets[0]!, variationId: 99 }] } : order));
    await expect(runtime.ctx.db.transaction().execute((trx) => applyBatch(trx, target, broken))).rejects.toThrow(/no tier/);
    const orders = await runtime.ctx.db.selectFrom('synchub_event_ticket_orders').select('id').where('configuration_id', '=', 9_003).execute();
    expect(orders).toHaveLength(0);
  });
});

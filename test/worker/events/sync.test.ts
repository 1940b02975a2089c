import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEventsDomain } from '../../../worker/src/events';
import { EVENT_PRODUCT_ID, PAID_STATUSES } from '../../fakes/woocommerce-db/data';
import { createWooCommerceFixture, type WooFixture } from '../../fakes/woocommerce-db/fixture';
import type { FixtureOrder } from '../../fakes/woocommerce-db/data';
import { startTestRuntime, type TestRuntime } from '../../support/runtime';
import { startSmtp } from '../../support/smtp';
import { api, BASE, configurationBody, runSync } from './support';

describe.each(['hpos', 'legacy'] as const)('events sync from %s storage', (storage) => {
  let fixture: WooFixture;
  let runtime: TestRuntime;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let configurationId: number;

  beforeAll(async () => {
    fixture = await createWooCommerceFixture({
      storage,
      label: storage,
      spec: { paidOrders: 240, unpaidOrders: 30, refundedOrders: 8, unrelatedOrders: 25, ticketPostShare: 0.1, orderMetaShare: 0.05, seed: 7 },
    });
    smtp = await startSmtp();
    runtime = await startTestRuntime({
      env: { ...fixture.env, WOOCOMMERCE_SYNC_BATCH_SIZE: '37', SMTP_URL: smtp.url, MIGRATION_MODE: 'true' },
      domains: [createEventsDomain],
    });
    const created = await api<{ id: number }>(runtime.url, 'POST', `${BASE}/configurations/`, configurationBody());
    expect(created.status).toBe(201);
    configurationId = created.body.id;
  });

  afterAll(async () => {
    await runtime?.dispose();
    await smtp?.close();
    await fixture?.drop();
  });

  const paidEventOrders = () =>
    fixture.orders.filter((order) => PAID_STATUSES.includes(order.status) && order.items.some((item) => item.productId === EVENT_PRODUCT_ID));
  /** Orders of the run with FooEvents ticket posts: rows a fingerprint does not cover, so always re-read. */
  const withTicketPosts = () =>
    fixture.orders.filter((order) => order.attendeeSource === 'posts' && order.items.some((item) => item.productId === EVENT_PRODUCT_ID)).length;

  it('imports exactly the paid orders of the product, one ticket per unit, with original dates', async () => {
    const execution = await runSync(runtime.url, configurationId);
    expect(execution).toMatchObject({
      status: 'completed',
      success: true,
      new_orders: fixture.expected.paidOrders,
      new_tickets: fixture.expected.tickets,
      updated_orders: 0,
      updated_tickets: 0,
    });
    expect(execution.skipped_orders).toBe(fixture.expected.skipped);
    expect(execution.progress).toEqual({
      processed: fixture.expected.paidOrders + fixture.expected.skipped,
      total: fixture.expected.paidOrders + fixture.expected.skipped,
      percent: 100,
    });
    expect(execution.execution_time).toMatch(/^\d{2}:\d{2}:\d{2}$/);

    const db = runtime.ctx.db;
    const orders = await db.selectFrom('synchub_event_ticket_orders').selectAll().execute();
    expect(orders).toHaveLength(fixture.expected.paidOrders);
    const paid = fixture.orders.filter((order) => PAID_STATUSES.includes(order.status) && order.items.some((item) => item.productId === EVENT_PRODUCT_ID));
    for (const source of paid.slice(0, 60)) {
      const row = orders.find((order) => Number(order.woocommerce_order_id) === source.id);
      expect(row, `order ${source.id}`).toBeDefined();
      expect(row?.ordered_at?.toISOString()).toBe(source.createdAt.toISOString().replace(/\.\d{3}Z$/, '.000Z'));
      expect(row?.paid_at?.getTime()).toBe(Math.floor((source.paidAt as Date).getTime() / 1000) * 1000);
      expect(row?.buyer_email).toBe(source.billing.email);
    }
    const tickets = await db.selectFrom('synchub_event_tickets').selectAll().execute();
    expect(tickets).toHaveLength(fixture.expected.tickets);
    expect(new Set(tickets.map((ticket) => `${ticket.woocommerce_order_item_id}:${ticket.sequence}`)).size).toBe(tickets.length);
    expect(tickets.every((ticket) => ticket.notify_state === 'skipped')).toBe(true);
    // Never "now": every ticket carries the order's paid date (2019–2025).
    expect(tickets.every((ticket) => ticket.issued_at !== null && ticket.issued_at.getUTCFullYear() <= 2025)).toBe(true);
  });

  it('takes attendees from FooEvents ticket posts and serialized meta, billing otherwise', async () => {
    const db = runtime.ctx.db;
    const withAttendees = fixture.orders.filter((order) => order.attendeeSource !== 'none');
    expect(withAttendees.some((order) => order.attendeeSource === 'posts')).toBe(true);
    expect(withAttendees.some((order) => order.attendeeSource === 'meta')).toBe(true);
    for (const source of withAttendees) {
      const rows = await db
        .selectFrom('synchub_event_tickets as t')
        .innerJoin('synchub_event_ticket_orders as o', 'o.id', 't.ticket_order_id')
        .select(['t.attendee_email', 't.attendee_name'])
        .where('o.woocommerce_order_id', '=', source.id)
        .execute();
      expect(rows.map((row) => row.attendee_email).sort()).toEqual(source.attendees.map((attendee) => attendee.email).sort());
    }
    const plain = fixture.orders.find(
      (order) => order.attendeeSource === 'none' && PAID_STATUSES.includes(order.status) && order.items.some((item) => item.productId === EVENT_PRODUCT_ID),
    );
    const row = await db
      .selectFrom('synchub_event_tickets as t')
      .innerJoin('synchub_event_ticket_orders as o', 'o.id', 't.ticket_order_id')
      .select(['t.attendee_name', 't.attendee_email'])
      .where('o.woocommerce_order_id', '=', plain?.id as number)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ attendee_name: `${plain?.billing.firstName} ${plain?.billing.lastName}`, attendee_email: plain?.billing.email });
  });

  it('creates an unlisted event, the organizer by email and private tiers per variation, and applies the service fee', async () => {
    const list = await api<{ count: number; results: Array<{ id: number; visibility: string }> }>(runtime.url, 'GET', '/api/v1/events/');
    expect(list.body.count).toBe(1);
    const event = await api<{
      visibility: string;
      organizer: { email: string };
      ticket_tiers: Array<{ name: string; is_public: boolean; tickets_valid: number }>;
    }>(runtime.url, 'GET', `/api/v1/events/${list.body.results[0]?.id}/`);
    expect(event.body.visibility).toBe('unlisted');
    expect(event.body.organizer.email).toBe('eventos@example.co');
    expect(event.body.ticket_tiers).toHaveLength(3);
    expect(event.body.ticket_tiers.every((tier) => !tier.is_public && tier.name.startsWith('Tickets Concierto de Año Nuevo (Migrated from WooCommerce)'))).toBe(
      true,
    );
    expect(event.body.ticket_tiers.reduce((sum, tier) => sum + tier.tickets_valid, 0)).toBe(fixture.expected.tickets);
    const order = await runtime.ctx.db.selectFrom('synchub_event_ticket_orders').selectAll().orderBy('id').executeTakeFirstOrThrow();
    expect(Number(order.service_fee)).toBeCloseTo(Math.round(Number(order.subtotal) * 7.5) / 100, 2);
    const tickets = await api<{ count: number }>(runtime.url, 'GET', `/api/v1/events/${list.body.results[0]?.id}/tickets/?page_size=5`);
    expect(tickets.body.count).toBe(fixture.expected.tickets);
  });

  it('writes nothing on a re-run without source changes (incremental and full)', async () => {
    const before = await runtime.ctx.db.selectFrom('synchub_event_ticket_orders').select(['id', 'updated_at']).execute();
    const incremental = await runSync(runtime.url, configurationId);
    expect(incremental).toMatchObject({ status: 'completed', new_orders: 0, updated_orders: 0, new_tickets: 0, updated_tickets: 0 });
    const full = await runSync(runtime.url, configurationId, { full: true });
    expect(full).toMatchObject({
      status: 'completed',
      new_orders: 0,
      updated_orders: 0,
      new_tickets: 0,
      updated_tickets: 0,
      voided_tickets: 0,
      orders_processed: fixture.expected.paidOrders + fixture.expected.skipped,
      // Counted as a full read counts them, though only orders with ticket posts were re-read.
      tickets_processed: fixture.expected.tickets,
      skipped_orders: fixture.expected.skipped,
      unchanged_orders: fixture.expected.paidOrders + fixture.expected.skipped - withTicketPosts(),
    });
    const after = await runtime.ctx.db.selectFrom('synchub_event_ticket_orders').select(['id', 'updated_at']).execute();
    expect(after).toEqual(before);
  });

  it('a forced re-scan re-reads an order changed without a new modified date, and every order once the rules change', async () => {
    const total = fixture.expected.paidOrders + fixture.expected.skipped;
    const order = paidEventOrders().filter((candidate) => candidate.attendeeSource === 'none')[7] as FixtureOrder;
    // A direct database edit: the modified date stays, so an incremental run cannot see it.
    if (storage === 'hpos') {
      await fixture.query(`UPDATE \`${fixture.prefix}wc_order_addresses\` SET email = 'nuevo@example.co' WHERE order_id = ? AND address_type = 'billing'`, [
        order.id,
      ]);
    } else {
      await fixture.query(`UPDATE \`${fixture.prefix}postmeta\` SET meta_value = 'nuevo@example.co' WHERE post_id = ? AND meta_key = '_billing_email'`, [
        order.id,
      ]);
    }
    expect(await runSync(runtime.url, configurationId)).toMatchObject({ status: 'completed', updated_orders: 0 });
    const full = await runSync(runtime.url, configurationId, { full: true });
    expect(full).toMatchObject({
      status: 'completed',
      updated_orders: 1,
      new_orders: 0,
      orders_processed: total,
      unchanged_orders: total - withTicketPosts() - 1,
    });
    const row = await runtime.ctx.db
      .selectFrom('synchub_event_ticket_orders')
      .select('buyer_email')
      .where('woocommerce_order_id', '=', order.id)
      .executeTakeFirstOrThrow();
    expect(row.buyer_email).toBe('nuevo@example.co');
    expect(await runSync(runtime.url, configurationId, { full: true })).toMatchObject({ updated_orders: 0, unchanged_orders: total - withTicketPosts() });

    // Another service fee maps every order differently: nothing may be skipped as unchanged.
    expect((await api(runtime.url, 'PUT', `${BASE}/configurations/${configurationId}/`, { service_fee_percentage: 5 })).status).toBe(200);
    const refee = await runSync(runtime.url, configurationId, { full: true });
    expect(refee).toMatchObject({ status: 'completed', unchanged_orders: 0, orders_processed: total, updated_orders: fixture.expected.paidOrders });
    expect(await runSync(runtime.url, configurationId, { full: true })).toMatchObject({ updated_orders: 0, unchanged_orders: total - withTicketPosts() });
    expect((await api(runtime.url, 'PUT', `${BASE}/configurations/${configurationId}/`, { service_fee_percentage: 7.5 })).status).toBe(200);
    expect(await runSync(runtime.url, configurationId, { full: true })).toMatchObject({ unchanged_orders: 0, updated_orders: fixture.expected.paidOrders });
  });

  it('a source change that maps alike, and rows stored before fingerprints, are re-read once and then skipped again', async () => {
    const total = fixture.expected.paidOrders + fixture.expected.skipped;
    const db = runtime.ctx.db;
    const order = paidEventOrders().filter((candidate) => candidate.attendeeSource === 'none')[9] as FixtureOrder;
    const item = order.items.find((entry) => entry.productId === EVENT_PRODUCT_ID) as FixtureOrder['items'][number];
    const fingerprintOf = async () =>
      (await db.selectFrom('synchub_event_ticket_orders').select('source_fingerprint').where('woocommerce_order_id', '=', order.id).executeTakeFirstOrThrow())
        .source_fingerprint;
    const before = await fingerprintOf();
    // The line subtotal is read (so fingerprinted) but no ticket depends on it.
    await fixture.query(
      `UPDATE \`${fixture.prefix}woocommerce_order_itemmeta\` SET meta_value = '1.00' WHERE order_item_id = ? AND meta_key = '_line_subtotal'`,
      [item.id],
    );
    expect(await runSync(runtime.url, configurationId, { full: true })).toMatchObject({ updated_orders: 0, unchanged_orders: total - withTicketPosts() - 1 });
    expect(await fingerprintOf()).not.toBe(before);
    expect(await runSync(runtime.url, configurationId, { full: true })).toMatchObject({ updated_orders: 0, unchanged_orders: total - withTicketPosts() });

    // Rows written before this version have no fingerprint: one full read stores them, writing nothing else.
    const rows = await db.selectFrom('synchub_event_ticket_orders').select(['id', 'updated_at']).execute();
    await db.updateTable('synchub_event_ticket_orders').set({ source_fingerprint: null, ticket_count: 0 }).execute();
    await db.deleteFrom('synchub_event_skipped_orders').execute();
    expect(await runSync(runtime.url, configurationId, { full: true })).toMatchObject({
      new_orders: 0,
      updated_orders: 0,
      unchanged_orders: 0,
      orders_processed: total,
      tickets_processed: fixture.expected.tickets,
    });
    expect(await db.selectFrom('synchub_event_ticket_orders').select(['id', 'updated_at']).execute()).toEqual(rows);
    expect(await runSync(runtime.url, configurationId, { full: true })).toMatchObject({
      unchanged_orders: total - withTicketPosts(),
      tickets_processed: fixture.expected.tickets,
      skipped_orders: fixture.expected.skipped,
    });
  });

  it('voids the tickets of a refunded order, updates a changed quantity, and counts both', async () => {
    const paid = fixture.orders.filter((order) => PAID_STATUSES.includes(order.status) && order.items.some((item) => item.productId === EVENT_PRODUCT_ID));
    const refunded = paid[3] as (typeof paid)[number];
    const changed = paid[5] as (typeof paid)[number];
    const item = changed.items.find((entry) => entry.productId === EVENT_PRODUCT_ID) as (typeof changed.items)[number];
    await fixture.setOrderStatus(refunded.id, 'wc-refunded');
    await fixture.setItemQuantity(changed.id, item.id, item.quantity + 2);
    const execution = await runSync(runtime.url, configurationId);
    const refundedUnits = refunded.items.filter((entry) => entry.productId === EVENT_PRODUCT_ID).reduce((sum, entry) => sum + entry.quantity, 0);
    expect(execution).toMatchObject({ status: 'completed', new_orders: 0, updated_orders: 2, new_tickets: 2, voided_tickets: refundedUnits });
    const voided = await runtime.ctx.db
      .selectFrom('synchub_event_tickets as t')
      .innerJoin('synchub_event_ticket_orders as o', 'o.id', 't.ticket_order_id')
      .select(['t.status', 'o.status as order_status'])
      .where('o.woocommerce_order_id', '=', refunded.id)
      .execute();
    expect(voided).toHaveLength(refundedUnits);
    expect(voided.every((row) => row.status === 'void' && row.order_status === 'void')).toBe(true);
    expect(smtp.messages).toHaveLength(0);
  });
});

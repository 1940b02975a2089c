import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEventsDomain } from '../../../worker/src/events';
import { compareTicketOrders, type TicketOrderView } from '../../../worker/src/events/drift-rules';
import { EVENT_PRODUCT_ID, PAID_STATUSES } from '../../fakes/woocommerce-db/data';
import { createWooCommerceFixture, type WooFixture } from '../../fakes/woocommerce-db/fixture';
import { startTestRuntime, type TestRuntime } from '../../support/runtime';
import { api, BASE, configurationBody, runSync, waitFor } from './support';

const view = (orderId: number, active: boolean, tickets: number): TicketOrderView => ({ orderId, active, tickets });

describe('events drift rules', () => {
  it.each([
    { name: 'migrated as paid', store: [view(1, true, 2)], migrated: [view(1, true, 2)], kinds: [] },
    { name: 'unpaid and not migrated', store: [view(1, false, 2)], migrated: [], kinds: [] },
    { name: 'unpaid and void', store: [view(1, false, 2)], migrated: [view(1, false, 0)], kinds: [] },
    { name: 'paid, not migrated', store: [view(1, true, 2)], migrated: [], kinds: ['7:1:order_missing'] },
    { name: 'paid, migrated as void', store: [view(1, true, 2)], migrated: [view(1, false, 0)], kinds: ['7:1:order_missing'] },
    { name: 'another number of tickets', store: [view(1, true, 3)], migrated: [view(1, true, 2)], kinds: ['7:1:tickets_differ'] },
    { name: 'no longer paid in the store', store: [view(1, false, 2)], migrated: [view(1, true, 2)], kinds: ['7:1:order_not_paid'] },
    { name: 'gone from the store', store: [], migrated: [view(1, true, 2)], kinds: ['7:1:order_not_paid'] },
  ])('$name', ({ store, migrated, kinds }) => {
    expect(compareTicketOrders(7, store, migrated).map((item) => `${item.id}:${item.kind}`)).toEqual(kinds);
  });
});

/** A real WooCommerce database (MariaDB, HPOS) read like a sync run reads it. */
describe('events drift against a real store database', () => {
  let fixture: WooFixture;
  let runtime: TestRuntime;
  let configurationId: number;
  let started = 0;
  const check = async () => {
    started = Date.now();
    expect((await api(runtime.url, 'POST', '/api/v1/drift/check', { domains: ['events'] })).status).toBe(202);
    const body = await waitFor(
      async () => (await api<{ running: unknown; report: Record<string, any> | null }>(runtime.url, 'GET', '/api/v1/drift/events')).body,
      (value) => value.running === null && value.report !== null && Date.parse(value.report.checkedAt) >= started,
      20_000,
      'the events drift report',
    );
    return body.report as Record<string, any>;
  };

  beforeAll(async () => {
    fixture = await createWooCommerceFixture({
      storage: 'hpos',
      label: 'drift_ev',
      spec: { paidOrders: 40, unpaidOrders: 6, refundedOrders: 3, unrelatedOrders: 5, seed: 16 },
    });
    runtime = await startTestRuntime({ env: { ...fixture.env, WOOCOMMERCE_SYNC_BATCH_SIZE: '15' }, domains: [createEventsDomain] });
    const created = await api<{ id: number }>(runtime.url, 'POST', `${BASE}/configurations/`, configurationBody());
    configurationId = created.body.id;
  });
  afterAll(async () => {
    await runtime?.dispose();
    await fixture?.drop();
  });

  it('is in sync after a run', async () => {
    expect((await runSync(runtime.url, configurationId)).status).toBe('completed');
    const report = await check();
    expect(report).toMatchObject({ status: 'in_sync', compared: fixture.expected.paidOrders, differing: 0 });
  });

  it('finds a migrated order deleted, a changed quantity and an order no longer paid; "re-sync these" fixes them', async () => {
    const paid = fixture.orders.filter((order) => PAID_STATUSES.includes(order.status) && order.items.some((item) => item.productId === EVENT_PRODUCT_ID));
    const [lost, grown, cancelled] = paid;
    const db = runtime.ctx.db;
    // Behind the worker's back: a migrated order removed from the events store…
    const row = await db.selectFrom('synchub_event_ticket_orders').select('id').where('woocommerce_order_id', '=', lost!.id).executeTakeFirstOrThrow();
    await db.deleteFrom('synchub_event_tickets').where('ticket_order_id', '=', row.id).execute();
    await db.deleteFrom('synchub_event_ticket_orders').where('id', '=', row.id).execute();
    // …and two orders changed in the store.
    const item = grown!.items.find((entry) => entry.productId === EVENT_PRODUCT_ID)!;
    await fixture.setItemQuantity(grown!.id, item.id, item.quantity + 2);
    await fixture.setOrderStatus(cancelled!.id, 'wc-cancelled');

    const report = await check();
    expect(report).toMatchObject({ status: 'drift', kinds: { order_missing: 1, tickets_differ: 1, order_not_paid: 1 } });
    const byKind = Object.fromEntries(report.items.map((entry: { kind: string; id: string }) => [entry.kind, entry.id]));
    expect(byKind).toEqual({
      order_missing: `${configurationId}:${lost!.id}`,
      tickets_differ: `${configurationId}:${grown!.id}`,
      order_not_paid: `${configurationId}:${cancelled!.id}`,
    });

    const resync = await api<{ enqueued: number; skipped: string[] }>(runtime.url, 'POST', '/api/v1/drift/events/resync', { ids: Object.values(byKind) });
    expect(resync).toMatchObject({ status: 202, body: { enqueued: 1, skipped: [] } });
    await waitFor(
      async () => db.selectFrom('synchub_event_executions').select('status').where('status', '=', 'running').execute(),
      (rows) => rows.length === 0,
      30_000,
      'the full run',
    );
    const after = await check();
    expect(after).toMatchObject({ status: 'in_sync', differing: 0, compared: fixture.expected.paidOrders - 1 });
  });
});

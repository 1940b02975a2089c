import { createHmac } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEventsDomain } from '../../../worker/src/events';
import { EVENT_PRODUCT_ID, PAID_STATUSES } from '../../fakes/woocommerce-db/data';
import { createWooCommerceFixture, type WooFixture } from '../../fakes/woocommerce-db/fixture';
import { startTestRuntime, TEST_WEBHOOK_SECRET, type TestRuntime } from '../../support/runtime';
import { pluginHeaders } from '../../support/signing';
import { startSmtp } from '../../support/smtp';
import { api, BASE, configurationBody, runSync, waitFor } from './support';

describe('live sync and attendee emails', () => {
  let fixture: WooFixture;
  let runtime: TestRuntime;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let configurationId: number;

  beforeAll(async () => {
    fixture = await createWooCommerceFixture({ storage: 'legacy', label: 'live', spec: { paidOrders: 40, unpaidOrders: 5, seed: 11 } });
    smtp = await startSmtp();
    runtime = await startTestRuntime({ env: { ...fixture.env, SMTP_URL: smtp.url, ADMIN_EMAILS: 'ops@example.co' }, domains: [createEventsDomain] });
    configurationId = (await api<{ id: number }>(runtime.url, 'POST', `${BASE}/configurations/`, configurationBody())).body.id;
  });
  afterAll(async () => {
    await runtime?.dispose();
    await smtp?.close();
    await fixture?.drop();
  });

  const paidOrders = () =>
    fixture.orders.filter((order) => PAID_STATUSES.includes(order.status) && order.items.some((item) => item.productId === EVENT_PRODUCT_ID));

  async function deliver(orderId: number, eventId: string): Promise<number> {
    const source = fixture.orders.find((order) => order.id === orderId);
    const body = JSON.stringify({
      id: orderId,
      status: 'processing',
      line_items: source?.items.map((item) => ({ id: item.id, product_id: item.productId, variation_id: item.variationId, quantity: item.quantity })),
    });
    const response = await fetch(`${runtime.url}/webhook/order`, {
      method: 'POST',
      headers: pluginHeaders(body, eventId),
      body,
    });
    return response.status;
  }

  it('syncs a paid order announced by the plugin within seconds and emails each attendee once', async () => {
    const order = paidOrders()[0];
    if (!order) throw new Error('fixture has no paid order');
    const units = order.items.filter((item) => item.productId === EVENT_PRODUCT_ID).reduce((sum, item) => sum + item.quantity, 0);
    expect(await deliver(order.id, 'evt-live-1')).toBe(202);
    const tickets = await waitFor(
      () =>
        runtime.ctx.db
          .selectFrom('synchub_event_tickets as t')
          .innerJoin('synchub_event_ticket_orders as o', 'o.id', 't.ticket_order_id')
          .select(['t.id', 't.notify_state'])
          .where('o.woocommerce_order_id', '=', order.id)
          .execute(),
      (rows) => rows.length === units && rows.every((row) => row.notify_state === 'sent'),
      10_000,
      'live tickets sent',
    );
    expect(tickets).toHaveLength(units);
    expect(smtp.messages).toHaveLength(units);
    expect(smtp.messages.every((message) => message.to.includes(order.billing.email))).toBe(true);
    expect(smtp.messages[0]?.raw).toMatch(/^Subject: /m);
    expect(smtp.messages[0]?.raw).toMatch(/Your ticket for Concierto de A/);
    expect(smtp.messages[0]?.raw).toMatch(/^Message-ID: <ticket-\d+@127\.0\.0\.1>/im);

    // The same order again (redelivery, a second paid hook): nothing new, no second email.
    expect(await deliver(order.id, 'evt-live-2')).toBe(202);
    await waitFor(
      () => runtime.ctx.db.selectFrom('synchub_inbound_events').select('status').where('event_id', '=', 'evt-live-2').executeTakeFirst(),
      (row) => row?.status === 'processed',
      10_000,
      'second delivery',
    );
    expect(smtp.messages).toHaveLength(units);
  });

  it('syncs a paid order announced by WooCommerce’s own webhook (order.updated, processing) too', async () => {
    const order = paidOrders()[1];
    if (!order) throw new Error('fixture has no second paid order');
    const units = order.items.filter((item) => item.productId === EVENT_PRODUCT_ID).reduce((sum, item) => sum + item.quantity, 0);
    const before = smtp.messages.length;
    const body = JSON.stringify({
      id: order.id,
      status: 'processing',
      line_items: order.items.map((item) => ({ id: item.id, product_id: item.productId, variation_id: item.variationId, quantity: item.quantity })),
    });
    const signature = createHmac('sha256', TEST_WEBHOOK_SECRET).update(body).digest('base64');
    const response = await fetch(`${runtime.url}/webhook/order`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-WC-Webhook-Signature': signature, 'X-WC-Webhook-Topic': 'order.updated' },
      body,
    });
    expect(response.status).toBe(202);
    const tickets = await waitFor(
      () =>
        runtime.ctx.db
          .selectFrom('synchub_event_tickets as t')
          .innerJoin('synchub_event_ticket_orders as o', 'o.id', 't.ticket_order_id')
          .select(['t.notify_state'])
          .where('o.woocommerce_order_id', '=', order.id)
          .execute(),
      (rows) => rows.length === units && rows.every((row) => row.notify_state === 'sent'),
      10_000,
      'tickets of the natively announced order',
    );
    expect(tickets).toHaveLength(units);
    await waitFor(
      async () => smtp.messages.length,
      (n) => n === before + units,
      10_000,
      'its emails',
    );
  });

  it('ignores orders without a configured product', async () => {
    const status = await (async () => {
      const body = JSON.stringify({ id: 77, status: 'processing', line_items: [{ product_id: 20, variation_id: 0, quantity: 1 }] });
      return fetch(`${runtime.url}/webhook/order`, { method: 'POST', headers: pluginHeaders(body, 'evt-merch'), body }).then((r) => r.status);
    })();
    expect(status).toBe(202);
    const row = await waitFor(
      () => runtime.ctx.db.selectFrom('synchub_inbound_events').select('status').where('event_id', '=', 'evt-merch').executeTakeFirst(),
      (r) => r?.status === 'ignored',
      10_000,
      'ignored',
    );
    expect(row?.status).toBe('ignored');
  });

  it('a full run in live mode emails only the tickets not notified yet; a migration configuration emails none', async () => {
    const before = smtp.messages.length;
    const execution = await runSync(runtime.url, configurationId);
    const liveUnits = execution.new_tickets;
    expect(execution.status).toBe('completed');
    expect(liveUnits).toBe(fixture.expected.tickets - (smtp.messages.length > 0 ? before : 0));
    await waitFor(
      async () => smtp.messages.length,
      (n) => n === before + liveUnits,
      15_000,
      'emails',
    );
    const recipients = smtp.messages.map((message) => message.raw.match(/^Message-ID: <ticket-(\d+)@/im)?.[1]);
    expect(recipients.every(Boolean)).toBe(true);
    expect(new Set(recipients).size).toBe(recipients.length);

    const migration = (
      await api<{ id: number }>(
        runtime.url,
        'POST',
        `${BASE}/configurations/`,
        configurationBody({ name: 'Migración', is_migration: true, event_name: 'Migración' }),
      )
    ).body.id;
    const migrated = await runSync(runtime.url, migration);
    expect(migrated.new_tickets).toBe(fixture.expected.tickets);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(smtp.messages).toHaveLength(before + liveUnits);
  });

  it('re-sends notices a crashed process had claimed but not sent; a fresh claim is left alone', async () => {
    const sent = await runtime.ctx.db.selectFrom('synchub_event_tickets').select(['id']).where('notify_state', '=', 'sent').orderBy('id').limit(4).execute();
    const [fresh, ...crashed] = sent.map((row) => Number(row.id));
    // As a process that died mid-claim leaves them: claimed 20 minutes ago, never sent.
    await runtime.ctx.db
      .updateTable('synchub_event_tickets')
      .set({ notify_state: 'sending', notify_claim: 'c'.repeat(22), notify_claimed_at: new Date(Date.now() - 20 * 60_000) })
      .where('id', 'in', crashed)
      .execute();
    await runtime.ctx.db
      .updateTable('synchub_event_tickets')
      .set({ notify_state: 'sending', notify_claim: 'f'.repeat(22), notify_claimed_at: new Date() })
      .where('id', '=', fresh as number)
      .execute();
    const before = smtp.messages.length;
    await runtime.ctx.queues.get('events').add('schedule.tick', {});
    await waitFor(
      async () => smtp.messages.length,
      (n) => n === before + crashed.length,
      15_000,
      're-sent notices',
    );
    const resent = smtp.messages.slice(before).map((message) => Number(message.raw.match(/^Message-ID: <ticket-(\d+)@/im)?.[1]));
    expect(resent.sort((a, b) => a - b)).toEqual(crashed);
    const states = await runtime.ctx.db
      .selectFrom('synchub_event_tickets')
      .select(['id', 'notify_state'])
      .where(
        'id',
        'in',
        sent.map((row) => row.id),
      )
      .orderBy('id')
      .execute();
    expect(states.map((row) => row.notify_state)).toEqual(['sending', 'sent', 'sent', 'sent']);
  });
});

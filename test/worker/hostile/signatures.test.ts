// Hostile callers of `POST /webhook/order`: forged, stale, replayed, redirected and re-labelled
// deliveries. Every case asserts the status and counts the inbound rows before and after.
import { randomUUID } from 'node:crypto';

import { Migrator, type Migration } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { signBody } from '../../../worker/src/core/crypto';
import { openDatabase } from '../../../worker/src/core/db';
import { migrateToLatest } from '../../../worker/src/core/db/migrate';
import type { CreateDomain, InboundEvent } from '../../../worker/src/core/domain';
import * as coreSettingsAndInbound from '../../../worker/src/core/migrations/202611230001_core_settings_and_inbound';
import { SIGNATURE_WINDOW_SECONDS } from '../../../worker/src/core/signing';
import { createTestDatabase } from '../../support/db';
import { startTestRuntime, TEST_WEBHOOK_SECRET, type TestRuntime } from '../../support/runtime';
import { pluginHeaders } from '../../support/signing';

let runtime: TestRuntime;
/** What reached the one domain that acts on `order.paid`. */
const paidEvents: InboundEvent[] = [];
const paidListener: CreateDomain = () => ({
  name: 'bookings',
  inbound: {
    topics: ['order.paid'],
    handler: async (event) => {
      paidEvents.push(event);
      return 'processed';
    },
  },
});

beforeAll(async () => {
  runtime = await startTestRuntime({ domains: [paidListener] });
});
afterAll(async () => {
  await runtime?.dispose();
});

let nextOrder = 5_000;
const order = (status = 'processing') => JSON.stringify({ id: (nextOrder += 1), number: String(nextOrder), status, total: '12.00', line_items: [] });
const nowSeconds = () => Math.floor(Date.now() / 1000);
const W = SIGNATURE_WINDOW_SECONDS;

function post(body: string, headers: Record<string, string>) {
  return fetch(`${runtime.url}/webhook/order`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
}

async function rows(): Promise<number> {
  const row = await runtime.ctx.db
    .selectFrom('synchub_inbound_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function stored(eventId: string) {
  return runtime.ctx.db.selectFrom('synchub_inbound_events').select(['id', 'topic', 'status']).where('event_id', '=', eventId).executeTakeFirst();
}

/** Sends, then checks status, error code and that the table did not change. */
async function refused(body: string, headers: Record<string, string>, status: number, code: string): Promise<void> {
  const before = await rows();
  const response = await post(body, headers);
  expect(response.status).toBe(status);
  expect(await response.json()).toEqual({ error: { code, message: expect.any(String) } });
  expect(await rows()).toBe(before);
}

/** The headers WooCommerce 8.9 sends with a native webhook delivery (body-only signature). */
function wooCommerceHeaders(body: string, topic = 'order.updated', deliveryId = String(Math.floor(Math.random() * 1e6))): Record<string, string> {
  const [resource, event] = topic.split('.');
  return {
    'User-Agent': 'WooCommerce/8.9.1 Hookshot (WordPress/6.5.3)',
    'X-WC-Webhook-Source': 'http://shop.example/',
    'X-WC-Webhook-Topic': topic,
    'X-WC-Webhook-Resource': resource ?? 'order',
    'X-WC-Webhook-Event': event ?? 'updated',
    'X-WC-Webhook-Signature': signBody(body, TEST_WEBHOOK_SECRET),
    'X-WC-Webhook-ID': '7',
    'X-WC-Webhook-Delivery-ID': deliveryId,
  };
}

describe('v2 signatures (plugin → worker)', () => {
  it('no signature at all → 401, nothing stored', async () => {
    const body = order();
    await refused(body, { 'X-SyncHub-Event-Id': randomUUID(), 'X-SyncHub-Topic': 'order.paid' }, 401, 'missing_signature');
  });

  it('signed with another secret → 401, nothing stored', async () => {
    const body = order();
    await refused(body, pluginHeaders(body, randomUUID(), { secret: `${TEST_WEBHOOK_SECRET}-not` }), 401, 'invalid_signature');
  });

  it.each([
    ['older than the window', -(W + 1)],
    ['far older (an hour)', -3_600],
    ['ahead of the window', W + 1],
    ['far ahead (a day)', 86_400],
  ])('correctly signed but %s → 401 signature_expired, nothing stored', async (_label, offset) => {
    const body = order();
    await refused(body, pluginHeaders(body, randomUUID(), { nowMs: (nowSeconds() + offset) * 1000 }), 401, 'signature_expired');
  });

  it('a replay inside the window is 200 skipped; the same request after the window is 401, nothing stored', async () => {
    const body = order();
    const eventId = randomUUID();
    // Signed W - 2 seconds ago: still valid now, stale three seconds from now.
    const headers = pluginHeaders(body, eventId, { nowMs: (nowSeconds() - (W - 2)) * 1000 });
    const before = await rows();
    expect((await post(body, headers)).status).toBe(202);
    expect(await rows()).toBe(before + 1);

    const replay = await post(body, headers);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ status: 'skipped', event_id: eventId });
    expect(await rows()).toBe(before + 1);

    while (nowSeconds() - Number(headers['X-SyncHub-Timestamp']) <= W) await new Promise((resolve) => setTimeout(resolve, 200));
    await refused(body, headers, 401, 'signature_expired');
  }, 15_000);

  it('a signature made for the other direction (worker → plugin) is refused, nothing stored', async () => {
    const body = order();
    await refused(body, pluginHeaders(body, randomUUID(), { purpose: 'worker-to-plugin' }), 401, 'invalid_signature');
  });

  it('a valid signature with the event id swapped (a replay as a "new" event) → 401, nothing stored', async () => {
    const body = order();
    const headers = pluginHeaders(body, randomUUID());
    expect((await post(body, headers)).status).toBe(202);
    await refused(body, { ...headers, 'X-SyncHub-Event-Id': randomUUID() }, 401, 'invalid_signature');
  });

  it('a valid signature with the topic swapped → 401, nothing stored', async () => {
    const body = order('pending');
    await refused(body, { ...pluginHeaders(body, randomUUID(), { topic: 'order.updated' }), 'X-SyncHub-Topic': 'order.paid' }, 401, 'invalid_signature');
  });

  it('a valid signature with the body changed → 401, nothing stored', async () => {
    const body = order();
    await refused(order(), pluginHeaders(body, randomUUID()), 401, 'invalid_signature');
  });

  it('a broken v2 signature is not rescued by a valid body-only one next to it', async () => {
    const body = order();
    await refused(
      body,
      { ...pluginHeaders(body, randomUUID()), 'X-SyncHub-Signature': 'v2=AAAA', 'X-WC-Webhook-Signature': signBody(body, TEST_WEBHOOK_SECRET) },
      401,
      'invalid_signature',
    );
  });

  it.each([
    ['no timestamp', 'X-SyncHub-Timestamp'],
    ['no event id', 'X-SyncHub-Event-Id'],
    ['no topic', 'X-SyncHub-Topic'],
  ])('%s → 401 incomplete_signature, nothing stored', async (_label, header) => {
    const body = order();
    const headers = pluginHeaders(body, randomUUID());
    delete headers[header];
    await refused(body, headers, 401, 'incomplete_signature');
  });
});

describe('body-only signatures (WooCommerce native webhooks)', () => {
  it('a native WooCommerce order webhook is accepted, and a paid order reaches the order.paid handlers', async () => {
    const body = order('processing');
    const response = await post(body, wooCommerceHeaders(body, 'order.updated'));
    expect(response.status).toBe(202);
    const { event_id: eventId } = (await response.json()) as { event_id: string };
    expect(eventId).toMatch(/^sha256-[0-9a-f]{64}$/);
    expect((await stored(eventId))?.topic).toBe('order.paid');
    const id = JSON.parse(body).id as number;
    for (let i = 0; i < 200 && !paidEvents.some((event) => event.resourceId === String(id)); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(paidEvents.some((event) => event.resourceId === String(id))).toBe(true);
  });

  it('the WooCommerce ping still answers 200 and stores nothing', async () => {
    const before = await rows();
    const response = await fetch(`${runtime.url}/webhook/order`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'webhook_id=7',
    });
    expect(response.status).toBe(200);
    expect(await rows()).toBe(before);
  });

  it('the same body under a new delivery id (and a made-up event id) is a duplicate: 200 skipped, nothing stored', async () => {
    const body = order();
    const first = await post(body, wooCommerceHeaders(body, 'order.updated', '1001'));
    expect(first.status).toBe(202);
    const { event_id: eventId } = (await first.json()) as { event_id: string };
    const before = await rows();
    for (const headers of [
      wooCommerceHeaders(body, 'order.updated', '1002'),
      { ...wooCommerceHeaders(body, 'order.created', '1003'), 'X-SyncHub-Event-Id': randomUUID(), 'X-SyncHub-Topic': 'order.paid' },
    ]) {
      const replay = await post(body, headers);
      expect(replay.status).toBe(200);
      expect(await replay.json()).toEqual({ status: 'skipped', event_id: eventId, reason: 'duplicate body' });
    }
    expect(await rows()).toBe(before);
  });

  it('a body first received v2-signed, replayed with a body-only signature, is a duplicate', async () => {
    const body = order();
    const eventId = randomUUID();
    expect((await post(body, pluginHeaders(body, eventId))).status).toBe(202);
    const before = await rows();
    const replay = await post(body, wooCommerceHeaders(body));
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ status: 'skipped', event_id: eventId });
    expect(await rows()).toBe(before);
  });

  it('an unsigned order.paid topic on an order that is not paid does not escalate', async () => {
    const body = order('pending');
    const response = await post(body, { ...wooCommerceHeaders(body, 'order.paid'), 'X-SyncHub-Topic': 'order.paid' });
    expect(response.status).toBe(202);
    const { event_id: eventId } = (await response.json()) as { event_id: string };
    expect((await stored(eventId))?.topic).toBe('order.updated');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(paidEvents.some((event) => event.eventId === eventId)).toBe(false);
  });

  it('a wrong body-only signature → 401, nothing stored', async () => {
    const body = order();
    await refused(
      body,
      { ...wooCommerceHeaders(body), 'X-WC-Webhook-Signature': signBody(body, 'another-secret-0123456789abcdef0123') },
      401,
      'invalid_signature',
    );
  });
});

describe('bodies received before the upgrade', () => {
  it('a body stored under an old WooCommerce delivery id is still a duplicate after the migration', async () => {
    const database = await createTestDatabase('pre');
    const opened = openDatabase(database.url);
    try {
      const body = order();
      const first: Record<string, Migration> = { '202611230001_core_settings_and_inbound': coreSettingsAndInbound };
      const old = new Migrator({
        db: opened.db,
        provider: { getMigrations: async () => first },
        migrationTableName: 'synchub_migrations',
        migrationLockTableName: 'synchub_migrations_lock',
      });
      expect((await old.migrateToLatest()).error).toBeUndefined();
      await opened.db
        .insertInto('synchub_inbound_events')
        .values({
          event_id: 'wc-7-99',
          topic: 'order.updated',
          source: null,
          resource_id: '1',
          payload: body,
          status: 'processed',
          intake_token: 'x'.repeat(22),
        })
        .execute();
      await migrateToLatest(opened.db, []);
      const later = await startTestRuntime({ domains: [], database });
      try {
        const count = async () =>
          Number(
            (
              await later.ctx.db
                .selectFrom('synchub_inbound_events')
                .select((eb) => eb.fn.countAll<number>().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          );
        const before = await count();
        const replay = await fetch(`${later.url}/webhook/order`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...wooCommerceHeaders(body) },
          body,
        });
        expect(replay.status).toBe(200);
        expect(await replay.json()).toMatchObject({ status: 'skipped', event_id: 'wc-7-99' });
        expect(await count()).toBe(before);
      } finally {
        await later.dispose();
      }
    } finally {
      await opened.close();
      await database.drop();
    }
  });
});

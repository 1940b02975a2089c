import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startFakeOdoo, type FakeOdoo } from '../fakes/odoo/server';
import { createTestDatabase, uniquePrefix, type TestDatabase } from '../support/db';
import { PLUGIN_TEST_MU_PLUGINS, startWordPress, type WordPressSite } from '../support/wordpress';
import { until } from '../support/until';
import { freePort, startWorker, type WorkerProcess } from '../support/worker';

// Bookings end to end: a paid order with a YITH booking item in a real WordPress → the plugin's
// order.paid payload (booking data added by the synchub_order_payload filter) → outbox → signed
// delivery → worker process → fake Odoo over real XML-RPC. Then "Send test order" sends it again
// and nothing is duplicated.

const WEBHOOK_SECRET = 'e2e-bookings-webhook-secret-0123456789';
const ADMIN_TOKEN = 'e2e-bookings-admin-token-0123456789abcdef';

describe('bookings, end to end', () => {
  let odoo: FakeOdoo;
  let workerDb: TestDatabase;
  let worker: WorkerProcess;
  let site: WordPressSite;

  beforeAll(async () => {
    odoo = await startFakeOdoo({ version: 17, activeCurrencies: ['EUR', 'GBP'] });
    workerDb = await createTestDatabase('e2e_bookings');
    worker = await startWorker({
      PORT: String(await freePort()),
      DATABASE_URL: workerDb.url,
      BULLMQ_PREFIX: uniquePrefix('e2e-bookings'),
      WEBHOOK_SECRET,
      SYNCHUB_ADMIN_TOKEN: ADMIN_TOKEN,
      ODOO_URL: odoo.url,
      ODOO_DB: odoo.db,
      ODOO_USERNAME: odoo.login,
      ODOO_API_KEY: odoo.apiKey,
      BOOKINGS_SWEEP_INTERVAL_MS: '3600000',
    });
    site = await startWordPress({ muPlugins: [PLUGIN_TEST_MU_PLUGINS] });
    await site.runPhp(`
      SyncHub\\Settings\\Settings::update( array(
        'worker_url'     => ${JSON.stringify(worker.url)},
        'webhook_secret' => ${JSON.stringify(WEBHOOK_SECRET)},
        'admin_token'    => ${JSON.stringify(ADMIN_TOKEN)},
      ) );
    `);
  });

  afterAll(async () => {
    await worker?.stop();
    await site?.stop();
    await workerDb?.drop();
    await odoo?.close();
  });

  it('turns a paid YITH booking into one confirmed Odoo sale order with the cart discount', async () => {
    const from = Date.parse('2026-12-01T18:30:00Z') / 1000;
    const response = await fetch(`${site.url}/wp-json/synchub-test/v1/orders`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        number: 'B-501',
        currency: 'EUR',
        billing: { first_name: 'Zoë', last_name: 'Núñez', email: 'zoe@example.test', phone: '+34 600 111 222' },
        line_items: [
          {
            id: 31,
            name: 'Yoga Flow',
            product_id: 42,
            quantity: 1,
            subtotal: '60.00',
            total: '60.00',
            meta_data: [
              { id: 1, key: 'yith_booking_data', value: { from, to: from + 3600, persons: 4, person_types: { '71': 4 } } },
              { id: 2, key: '_booking_id', value: '9001' },
            ],
          },
          { id: 32, name: 'Water bottle', product_id: 43, quantity: 1, subtotal: '5.00', total: '5.00', meta_data: [] },
        ],
        meta_data: [{ id: 3, key: '_synchub_volume_discount', value: { percent: 7, threshold: 4 } }],
      }),
    });
    expect(response.status, site.logs()).toBe(201);
    const { order_id: orderId } = (await response.json()) as { order_id: number };
    // The background run the request asked for (WP-Cron; wp-cron.php called directly here).
    expect((await fetch(`${site.url}/wp-cron.php`)).status).toBe(200);

    const [sale] = await until(
      'the Odoo sale order',
      () =>
        odoo.orm.search('sale.order', [
          ['client_order_ref', '=', 'WC-B-501'],
          ['state', '=', 'sale'],
        ]),
      (rows) => rows.length === 1,
    );
    expect(odoo.orm.get('res.partner', Number(sale?.partner_id))).toMatchObject({ name: 'Zoë Núñez', email: 'zoe@example.test' });
    const lines = odoo.orm.search('sale.order.line', [['order_id', '=', Number(sale?.id)]]);
    expect(lines.map((line) => [line.name, line.price_unit, line.discount])).toEqual([['Yoga Flow - 2026-12-01 18:30 (4 persons)', 60, 7]]);

    // 7 %, not the worker's default 5 %: the cart's decision travelled in the payload.
    // "Send test order" sends the same order again: a new event, no second sale order.
    const sent = JSON.parse(await site.runPhp(`echo wp_json_encode( SyncHub\\Bookings\\TestOrder::send( ${orderId} ) );`)) as {
      event_id: string;
      bookings: number;
    };
    expect(sent.bookings).toBe(1);
    await site.runPhp(`SyncHub\\Outbox\\Dispatcher::on_cron();`);
    const orders = await until(
      'the resent order processed',
      async () =>
        (await (await fetch(`${worker.url}/api/v1/bookings/orders?status=synced`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as {
          items: Array<{ wc_order_id: number; attempts: number; odoo_sale_order_name: string }>;
        },
      (body) => (body.items.find((item) => item.wc_order_id === orderId)?.attempts ?? 0) >= 2,
    );
    expect(orders.items.find((item) => item.wc_order_id === orderId)?.odoo_sale_order_name).toBe(sale?.name);
    expect(odoo.orm.search('sale.order', [['client_order_ref', '=', 'WC-B-501']])).toHaveLength(1);
  });
});

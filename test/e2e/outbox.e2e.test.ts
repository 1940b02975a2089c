import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestDatabase, uniquePrefix, type TestDatabase } from '../support/db';
import { PLUGIN_TEST_MU_PLUGINS, startWordPress, type WordPressSite } from '../support/wordpress';
import { until } from '../support/until';
import { freePort, startWorker, type WorkerProcess } from '../support/worker';

// The walking skeleton, end to end and for real: a WooCommerce paid hook in a real WordPress →
// the plugin's outbox row → signed delivery by the plugin's dispatcher → the worker process →
// inbound event persisted → BullMQ job ran. Then the worker goes down and comes back.

const WEBHOOK_SECRET = 'e2e-outbox-webhook-secret-0123456789';
const ADMIN_TOKEN = 'e2e-outbox-admin-token-0123456789abcdef';

interface OutboxRow {
  id: number;
  event_id: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_error: string | null;
}

interface InboundRow {
  event_id: string;
  topic: string;
  status: string;
  payload: string;
  processed_at: Date | null;
}

/** A paid order as WooCommerce's REST API shows it (WooCommerce itself cannot be installed here). */
function wooOrder(label: string) {
  return {
    currency: 'COP',
    total: '120000.00',
    billing: { first_name: 'Ana', last_name: `Pérez ${label}`, email: `ana.${label}@example.test`, country: 'CO' },
    line_items: [{ id: 11, name: 'Ticket', product_id: 42, quantity: 1, subtotal: '120000', total: '120000', sku: 'TICKET-1', meta_data: [] }],
  };
}

describe('plugin outbox → worker, end to end', () => {
  let workerDb: TestDatabase;
  let workerEnv: Record<string, string>;
  let worker: WorkerProcess | undefined;
  let site: WordPressSite;
  let wpDb: Connection;
  let inboundDb: Connection;

  const outboxRow = async (eventId: string): Promise<OutboxRow | undefined> => {
    const [rows] = await wpDb.query<RowDataPacket[]>('SELECT id, event_id, status, attempts, last_error FROM wp_synchub_outbox WHERE event_id = ?', [eventId]);
    return rows[0] as OutboxRow | undefined;
  };
  const inboundRows = async (eventId: string): Promise<InboundRow[]> => {
    const [rows] = await inboundDb.query<RowDataPacket[]>(
      'SELECT event_id, topic, status, payload, processed_at FROM synchub_inbound_events WHERE event_id = ?',
      [eventId],
    );
    return rows as InboundRow[];
  };
  const payOrder = async (label: string): Promise<{ order_id: number; event_id: string }> => {
    const response = await fetch(`${site.url}/wp-json/synchub-test/v1/orders`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(wooOrder(label)),
    });
    expect(response.status, site.logs()).toBe(201);
    return (await response.json()) as { order_id: number; event_id: string };
  };
  /** Time passes: every pending row is due and so is the dispatch cron event; then wp-cron.php runs. */
  const runCronNow = async (): Promise<void> => {
    await site.runPhp(`
      global $wpdb;
      $wpdb->query( "UPDATE {$wpdb->prefix}synchub_outbox SET next_attempt_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE status = 'pending'" );
      wp_clear_scheduled_hook( 'synchub_dispatch_outbox' );
      wp_schedule_event( time() - 1, 'every_minute', 'synchub_dispatch_outbox' );
    `);
    const response = await fetch(`${site.url}/wp-cron.php`);
    expect(response.status, site.logs()).toBe(200);
  };

  beforeAll(async () => {
    workerDb = await createTestDatabase('e2e_outbox');
    workerEnv = {
      PORT: String(await freePort()),
      DATABASE_URL: workerDb.url,
      BULLMQ_PREFIX: uniquePrefix('e2e-outbox'),
      WEBHOOK_SECRET,
      SYNCHUB_ADMIN_TOKEN: ADMIN_TOKEN,
    };
    worker = await startWorker(workerEnv);
    site = await startWordPress({ muPlugins: [PLUGIN_TEST_MU_PLUGINS] });

    const saved = await site.runPhp(`
      echo wp_json_encode( SyncHub\\Settings\\Settings::update( array(
        'worker_url'     => ${JSON.stringify(worker.url)},
        'webhook_secret' => ${JSON.stringify(WEBHOOK_SECRET)},
        'admin_token'    => ${JSON.stringify(ADMIN_TOKEN)},
      ) ) );
    `);
    expect(JSON.parse(saved)).toEqual({ worker_url: worker.url, has_admin_token: true, has_webhook_secret: true });

    const root = new URL(process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
    const connect = (database: string) =>
      createConnection({
        host: root.hostname,
        port: Number(root.port || 3306),
        user: decodeURIComponent(root.username || 'root'),
        password: decodeURIComponent(root.password) || undefined,
        database,
      });
    wpDb = await connect(site.dbName);
    inboundDb = await connect(workerDb.name);
  });

  afterAll(async () => {
    await wpDb?.end();
    await inboundDb?.end();
    await worker?.stop();
    await site?.stop();
    await workerDb?.drop();
  });

  it('delivers a paid order to the worker, which stores it and runs its job', async () => {
    const paid = await payOrder('first');
    expect(paid.event_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    // Nothing is sent inside that request: it asked WP-Cron (no Action Scheduler without
    // WooCommerce) for a background run, due now.
    expect(await outboxRow(paid.event_id)).toMatchObject({ status: 'pending', attempts: 0 });
    const scheduled = await site.runPhp(`echo (int) wp_next_scheduled( 'synchub_deliver_outbox' );`);
    expect(Number(scheduled)).toBeGreaterThan(0);
    expect(Number(scheduled)).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));

    // WP-Cron runs it (here wp-cron.php is called directly: DISABLE_WP_CRON), signed with the shared secret.
    expect((await fetch(`${site.url}/wp-cron.php`)).status).toBe(200);
    const row = await until(
      'outbox row delivered',
      () => outboxRow(paid.event_id),
      (r) => r?.status === 'delivered',
    );
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, last_error: null });

    const inbound = await until(
      'inbound event job outcome',
      () => inboundRows(paid.event_id),
      (rows) => rows.length === 1 && rows[0]?.status !== 'received',
    );
    expect(inbound).toHaveLength(1);
    expect(inbound[0]?.topic).toBe('order.paid');
    // The job ran and recorded its outcome: 'processed', or 'ignored' when no domain has work in
    // this order (bookings ignores orders without booking items).
    expect(['processed', 'ignored']).toContain(inbound[0]?.status);
    expect(inbound[0]?.processed_at).not.toBeNull();
    const payload = JSON.parse(inbound[0]?.payload ?? '{}') as {
      id: number;
      status: string;
      billing: { last_name: string };
      line_items: Array<{ sku: string }>;
    };
    expect(payload.id).toBe(paid.order_id);
    expect(payload.status).toBe('processing');
    expect(payload.billing.last_name).toBe('Pérez first');
    expect(payload.line_items[0]?.sku).toBe('TICKET-1');
  });

  it('keeps the event pending while the worker is down and delivers it exactly once when it is back', async () => {
    await worker?.stop();
    worker = undefined;

    const paid = await payOrder('second');
    await runCronNow();
    const failed = await until(
      'first failed attempt',
      () => outboxRow(paid.event_id),
      (r) => (r?.attempts ?? 0) >= 1,
    );
    expect(failed?.status).toBe('pending');
    expect(failed?.last_error).toMatch(/could not be reached/);

    // A cron run while the worker is still down: one more failed attempt, still pending.
    await runCronNow();
    const stillDown = await until(
      'second failed attempt',
      () => outboxRow(paid.event_id),
      (r) => (r?.attempts ?? 0) >= 2,
    );
    expect(stillDown?.status).toBe('pending');
    expect(await inboundRows(paid.event_id)).toHaveLength(0);

    worker = await startWorker(workerEnv);
    await runCronNow();
    const delivered = await until(
      'delivered after restart',
      () => outboxRow(paid.event_id),
      (r) => r?.status === 'delivered',
    );
    expect(delivered?.attempts).toBe(3);
    expect(delivered?.last_error).toBeNull();

    // More cron runs and the same order's paid hooks again change nothing.
    await runCronNow();
    await site.runPhp(`
      SyncHub\\Orders\\OrderEvents::reset_request_state();
      do_action( 'woocommerce_order_status_completed', ${paid.order_id}, wc_get_order( ${paid.order_id} ), array() );
    `);
    await runCronNow();

    const inbound = await until(
      'inbound job outcome',
      () => inboundRows(paid.event_id),
      (rows) => rows.length === 1 && rows[0]?.status !== 'received',
    );
    expect(inbound).toHaveLength(1);
    const [all] = await inboundDb.query<RowDataPacket[]>("SELECT COUNT(*) AS total FROM synchub_inbound_events WHERE topic = 'order.paid'");
    expect(Number(all[0]?.total)).toBe(2);
    const [outbox] = await wpDb.query<RowDataPacket[]>('SELECT status, COUNT(*) AS total FROM wp_synchub_outbox GROUP BY status');
    expect(outbox.map((r) => [r.status, Number(r.total)])).toEqual([['delivered', 2]]);
  });
});

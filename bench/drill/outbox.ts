// Drill fault 6: the worker unreachable from WordPress. A real WordPress with the plugin (test-only
// WooCommerce order double) records paid orders in its outbox; the plugin's own Dispatcher runs
// with an injected clock through an hour of outbox time while the worker URL refuses connections,
// then the worker is reachable again: every event must arrive exactly once. A second batch is
// left unreachable past the 48-hour deadline: the plugin gives those up (status failed), which
// is the designed end — a person requeues them from wp-admin.
import { randomBytes } from 'node:crypto';

import { createConnection, type RowDataPacket } from 'mysql2/promise';

import { PLUGIN_TEST_MU_PLUGINS, startWordPress } from '../../test/support/wordpress';

export interface OutboxFaultOptions {
  workerUrl: string;
  /** A port in the drill's range where nothing listens. */
  unreachableUrl: string;
  webhookSecret: string;
  adminToken: string;
  /** Rows of synchub_inbound_events with this event id, in the worker's database. */
  inboundCount(eventId: string): Promise<number | null>;
  orders?: number;
}

const php = (value: unknown): string => JSON.stringify(value);

export async function runOutboxFault(options: OutboxFaultOptions): Promise<Record<string, unknown>> {
  let site;
  try {
    site = await startWordPress({ muPlugins: [PLUGIN_TEST_MU_PLUGINS], dbName: `synchub_drill_wp_${randomBytes(3).toString('hex')}` });
  } catch (error) {
    return { skipped: `no WordPress here: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
  const wpdb = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: site.dbName });
  const settings = (url: string) =>
    site.runPhp(
      `SyncHub\\Settings\\Settings::update( array( 'worker_url' => ${php(url)}, 'webhook_secret' => ${php(options.webhookSecret)}, 'admin_token' => ${php(options.adminToken)} ) ); echo 'ok';`,
    );
  const pay = async (label: string): Promise<string> => {
    const response = await fetch(`${site.url}/wp-json/synchub-test/v1/orders`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        currency: 'EUR',
        total: '30.00',
        billing: { first_name: 'Drill', last_name: label, email: `${label}@example.test` },
        line_items: [{ id: 1, name: 'Ticket', product_id: 42, quantity: 1, subtotal: '30', total: '30', sku: 'T-1', meta_data: [] }],
      }),
    });
    if (response.status !== 201) throw new Error(`test order answered ${response.status}: ${site.logs()}`);
    return ((await response.json()) as { event_id: string }).event_id;
  };
  const rows = async (eventIds: string[]) => {
    const [result] = await wpdb.query<RowDataPacket[]>('SELECT event_id, status, attempts FROM wp_synchub_outbox WHERE event_id IN (?)', [eventIds]);
    return result;
  };
  /** The plugin's Dispatcher, run at Unix time `now + offset` (the outbox clock), a few times per step. */
  const dispatchAt = async (offsets: number[]): Promise<string> =>
    site.runPhp(`
      $base = time();
      $dispatcher = new SyncHub\\Outbox\\Dispatcher( null, 120 );
      $totals = array( 'claimed' => 0, 'delivered' => 0, 'retrying' => 0, 'failed' => 0, 'released' => 0 );
      foreach ( json_decode( ${php(JSON.stringify(offsets))}, true ) as $offset ) {
        foreach ( $dispatcher->run( 1000, $base + (int) $offset ) as $key => $count ) { $totals[ $key ] += $count; }
      }
      echo wp_json_encode( $totals );
    `);

  try {
    const count = options.orders ?? 20;
    // 1. An hour of outbox time with the worker unreachable.
    await settings(options.unreachableUrl);
    const hour: string[] = [];
    for (let index = 0; index < count; index += 1) hour.push(await pay(`hour-${index}`));
    const minuteSteps = Array.from({ length: 61 }, (_, minute) => minute * 60 + 1);
    const duringOutage = JSON.parse(await dispatchAt(minuteSteps)) as Record<string, number>;
    const afterHour = await rows(hour);
    const stillPending = afterHour.filter((row) => row.status === 'pending').length;
    const attempts = afterHour.map((row) => Number(row.attempts));

    // 2. The worker is reachable again; the next due attempt (≤ 1 h later, the back-off cap) delivers.
    await settings(options.workerUrl);
    const started = Date.now();
    const recovery = JSON.parse(await dispatchAt([3_600 + 3_600 + 1])) as Record<string, number>;
    const delivered = (await rows(hour)).filter((row) => row.status === 'delivered').length;
    const inbound = await Promise.all(hour.map((eventId) => options.inboundCount(eventId)));
    const lost = inbound.filter((n) => n === 0).length + (count - delivered);
    const duplicated = inbound.reduce<number>((sum, n) => sum + Math.max(0, (n ?? 0) - 1), 0);

    // 3. Past the 48-hour deadline, still unreachable: the plugin gives up (by design).
    await settings(options.unreachableUrl);
    const late: string[] = [];
    for (let index = 0; index < Math.max(3, Math.floor(count / 4)); index += 1) late.push(await pay(`late-${index}`));
    await dispatchAt([48 * 3_600 + 60]);
    const gaveUp = (await rows(late)).filter((row) => row.status === 'failed').length;

    return {
      hour_outage: {
        sent: count,
        outbox_pending_after_one_hour_unreachable: stillPending,
        attempts_per_event_during_the_hour: { min: Math.min(...attempts), max: Math.max(...attempts) },
        dispatcher_during_outage: duringOutage,
        dispatcher_when_back: recovery,
        delivered,
        lost,
        duplicated,
        recovery_seconds_wall_clock: Number(((Date.now() - started) / 1000).toFixed(1)),
        recovery_outbox_time: 'next attempt after the outage (back-off capped at 1 hour)',
        human_action_needed: lost > 0,
      },
      give_up_after_48_hours: {
        sent: late.length,
        given_up: gaveUp,
        human_action_needed: gaveUp > 0,
        note: 'by design: after 48 hours unreachable the plugin marks the rows failed and the admin page offers "retry"; a person requeues them',
      },
    };
  } finally {
    await wpdb.end();
    await site.stop();
  }
}

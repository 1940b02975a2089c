import { createBookingsDomain } from '../../../worker/src/bookings';
import type { BookingsService } from '../../../worker/src/bookings/service';
import { startFakeOdoo, type FakeOdoo, type FakeOdooOptions } from '../../fakes/odoo/server';
import { keepBuilt } from '../../support/domains';
import { adminHeaders, startTestRuntime, type TestRuntime } from '../../support/runtime';
import { pluginHeaders } from '../../support/signing';
import { until } from '../../support/until';

export interface Harness {
  runtime: TestRuntime;
  odoo: FakeOdoo;
  post(order: Record<string, unknown>, eventId?: string): Promise<Response>;
  admin(method: string, path: string, body?: unknown): Promise<Response>;
  waitForOrder(
    orderId: number,
    status: 'synced' | 'failed',
    timeoutMs?: number,
  ): Promise<{ status: string; last_error: string | null; error_kind: string | null }>;
  waitForInbound(eventId: string, status: string, timeoutMs?: number): Promise<void>;
  saleOrders(ref: string): Array<Record<string, unknown>>;
  service(): BookingsService;
  dispose(): Promise<void>;
}

/** The worker with only the bookings domain, wired to a fresh fake Odoo; short timeouts and backoff. */
export async function startHarness(options: { odoo?: FakeOdooOptions; env?: Record<string, string>; apiKey?: string } = {}): Promise<Harness> {
  // The webhook cases sell in EUR and the store-database fixture in COP: their Odoo has both
  // active (Sync Hub never activates a currency itself).
  const odoo = await startFakeOdoo({ activeCurrencies: ['EUR', 'COP'], ...options.odoo });
  const bookings = keepBuilt(createBookingsDomain);
  const runtime = await startTestRuntime({
    domains: [bookings.create],
    env: {
      ODOO_URL: odoo.url,
      ODOO_DB: odoo.db,
      ODOO_USERNAME: odoo.login,
      ODOO_API_KEY: options.apiKey ?? odoo.apiKey,
      ODOO_TIMEOUT_MS: '2000',
      BOOKINGS_RETRY_DELAY_MS: '50',
      BOOKINGS_SWEEP_INTERVAL_MS: '3600000',
      ...options.env,
    },
  });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const harness: Harness = {
    runtime,
    odoo,
    post(order, eventId = `evt-${String(order.id)}-${Math.random().toString(36).slice(2)}`) {
      const body = JSON.stringify(order);
      return fetch(`${runtime.url}/webhook/order`, {
        method: 'POST',
        headers: pluginHeaders(body, eventId),
        body,
      });
    },
    admin(method, path, body) {
      return fetch(`${runtime.url}${path}`, { method, headers: adminHeaders(), body: body === undefined ? undefined : JSON.stringify(body) });
    },
    async waitForOrder(orderId, status, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const row = await runtime.ctx.db
          .selectFrom('synchub_bookings_orders')
          .select(['status', 'last_error', 'error_kind'])
          .where('wc_order_id', '=', orderId)
          .executeTakeFirst();
        if (row?.status === status) return row;
        if (Date.now() > deadline) throw new Error(`order ${orderId} is ${row?.status ?? 'missing'} (${row?.last_error ?? ''}), expected ${status}`);
        await sleep(40);
      }
    },
    async waitForInbound(eventId, status, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const row = await runtime.ctx.db.selectFrom('synchub_inbound_events').select('status').where('event_id', '=', eventId).executeTakeFirst();
        if (row?.status === status) return;
        if (Date.now() > deadline) throw new Error(`event ${eventId} is ${row?.status ?? 'missing'}, expected ${status}`);
        await sleep(40);
      }
    },
    saleOrders: (ref) => odoo.orm.search('sale.order', [['client_order_ref', '=', ref]]),
    service: () => bookings.built().service,
    async dispose() {
      await runtime.dispose();
      await odoo.close();
    },
  };
  return harness;
}

/** The scheduler runs a first sweep at start: waits until it has finished and nothing else is queued. */
export async function untilFirstSweepDone(h: Harness): Promise<void> {
  const queue = h.runtime.ctx.queues.get('bookings');
  await until(
    'the first bookings sweep',
    () => queue.getJobCounts('waiting', 'active', 'completed', 'prioritized'),
    (counts) => (counts.completed ?? 0) > 0 && counts.waiting === 0 && counts.active === 0 && counts.prioritized === 0,
    5_000,
    50,
  );
}

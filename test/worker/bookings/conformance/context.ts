import { createHmac } from 'node:crypto';

import { sql } from 'kysely';

import { createBookingsDomain } from '../../../../worker/src/bookings';
import type { BookingsService } from '../../../../worker/src/bookings/service';
import { keepBuilt } from '../../../support/domains';
import { activateCurrency, type OdooTarget } from '../../../support/odoo-peer';
import { adminHeaders, startTestRuntime, TEST_WEBHOOK_SECRET, type TestRuntime } from '../../../support/runtime';
import { pluginHeaders } from '../../../support/signing';
import { startTcpProxy, type TcpProxy } from '../../../support/tcp-proxy';

/** The worker (bookings only) talking to one Odoo, real or fake, through a cuttable relay. */
export interface CaseContext {
  target: OdooTarget;
  proxy: TcpProxy;
  /** The worker environment pointing at this Odoo (through the relay). */
  env: Record<string, string>;
  runtime: TestRuntime;
  /** A second worker runtime on the same database and queues: another process, as far as Odoo can tell. */
  second: TestRuntime;
  post(body: Record<string, unknown>, runtime?: TestRuntime): Promise<Response>;
  /** WooCommerce's own webhook: body-only signature, topic header. */
  postNative(body: Record<string, unknown>, topic: string): Promise<Response>;
  admin(method: string, path: string, body?: unknown): Promise<Response>;
  waitForOrder(
    orderId: number,
    status: 'synced' | 'failed',
    timeoutMs?: number,
  ): Promise<{ status: string; last_error: string | null; error_kind: string | null }>;
  orderRow(orderId: number): Promise<{ status: string; last_error: string | null; error_kind: string | null } | undefined>;
  saleOrders(ref: string): Promise<Array<Record<string, unknown>>>;
  lines(saleOrderId: number): Promise<Array<Record<string, unknown>>>;
  service(): BookingsService;
  dispose(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startCaseContext(target: OdooTarget): Promise<CaseContext> {
  // The store sells in EUR: its Odoo has EUR active (as its admin would do; Sync Hub never does).
  await activateCurrency(target, 'EUR');

  const proxy = await startTcpProxy(Number(new URL(target.url).port));
  const env = {
    ODOO_URL: proxy.url,
    ODOO_DB: target.db,
    ODOO_USERNAME: target.login,
    ODOO_API_KEY: target.apiKey,
    ODOO_TIMEOUT_MS: '20000',
    BOOKINGS_RETRY_DELAY_MS: '200',
    BOOKINGS_RETRY_MAX_DELAY_MS: '1000',
    BOOKINGS_SWEEP_INTERVAL_MS: '3600000',
  };
  const bookings = keepBuilt(createBookingsDomain);
  const runtime = await startTestRuntime({ domains: [bookings.create], env });
  const second = await startTestRuntime({ domains: [createBookingsDomain], database: runtime.database, env: { ...env, BULLMQ_PREFIX: runtime.prefix } });
  const read = (orderId: number) =>
    runtime.ctx.db.selectFrom('synchub_bookings_orders').select(['status', 'last_error', 'error_kind']).where('wc_order_id', '=', orderId).executeTakeFirst();

  const context: CaseContext = {
    target,
    proxy,
    env,
    runtime,
    second,
    post(body, on = runtime) {
      const raw = JSON.stringify(body);
      return fetch(`${on.url}/webhook/order`, {
        method: 'POST',
        headers: pluginHeaders(raw, `evt-${String(body.id)}-${Math.random().toString(36).slice(2)}`),
        body: raw,
      });
    },
    postNative(body, topic) {
      const raw = JSON.stringify(body);
      const signature = createHmac('sha256', TEST_WEBHOOK_SECRET).update(raw).digest('base64');
      return fetch(`${runtime.url}/webhook/order`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-WC-Webhook-Signature': signature,
          'X-WC-Webhook-Topic': topic,
          'X-WC-Webhook-Source': 'http://shop.example/',
          'X-WC-Webhook-Delivery-ID': String(Math.floor(Math.random() * 1e6)),
        },
        body: raw,
      });
    },
    admin(method, path, body) {
      return fetch(`${runtime.url}${path}`, { method, headers: adminHeaders(), body: body === undefined ? undefined : JSON.stringify(body) });
    },
    async waitForOrder(orderId, status, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const row = await read(orderId);
        if (row?.status === status) return row;
        if (Date.now() > deadline) throw new Error(`order ${orderId} is ${row?.status ?? 'missing'} (${row?.last_error ?? ''}), expected ${status}`);
        await sleep(100);
      }
    },
    orderRow: read,
    async saleOrders(ref) {
      return (await target.call('sale.order', 'search_read', [[['client_order_ref', '=', ref]]], {
        fields: ['name', 'state', 'partner_id', 'date_order', 'amount_untaxed', 'amount_tax', 'amount_total', 'currency_id', 'invoice_ids', 'order_line'],
      })) as Array<Record<string, unknown>>;
    },
    async lines(saleOrderId) {
      return (await target.call('sale.order.line', 'search_read', [[['order_id', '=', saleOrderId]]], {
        fields: ['name', 'product_id', 'product_uom_qty', 'price_unit', 'discount', 'tax_id', 'price_subtotal', 'price_tax', 'price_total'],
        order: 'id asc',
      })) as Array<Record<string, unknown>>;
    },
    service: () => bookings.built().service,
    async dispose() {
      await second.stop();
      await runtime.dispose();
      await proxy.close();
    },
  };
  return context;
}

/** Makes an order look like one an outage dead-lettered (tries exhausted, no link). */
export async function markDeadLetteredByOutage(runtime: TestRuntime, orderId: number): Promise<void> {
  await runtime.ctx.db
    .updateTable('synchub_bookings_orders')
    .set({
      status: 'failed',
      error_kind: 'unavailable',
      last_error: 'Odoo did not answer sale.order.search_read: connect ECONNREFUSED.',
      updated_at: sql`CURRENT_TIMESTAMP(3) - INTERVAL 10 MINUTE`,
    })
    .where('wc_order_id', '=', orderId)
    .execute();
}

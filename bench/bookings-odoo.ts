/**
 * Bookings against real Odoo 18: `npm run bench -- bookings-odoo`.
 * 1,000 paid booking orders the worker holds but never synced (new customers and new class slots
 * mixed: 600 customers, 80 slots, 21 % VAT in EUR, every tenth order with a fee), sent by one
 * "sync all unsynced" (`POST /sync/manual`). Measures sale orders per second end to end and
 * XML-RPC calls per order, then checks Odoo: one sale order per WooCommerce order (0 duplicates),
 * one partner per email, one product per slot, and every order's total and tax equal to what
 * WooCommerce charged. Needs ../shared/peers (or SYNCHUB_PEERS_DIR); writes
 * bench/results/bookings-odoo.json. BENCH_BOOKINGS_ORDERS overrides the number of orders.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createBookingsDomain } from '../worker/src/bookings';
import { parseBookingOrder } from '../worker/src/bookings/orders/parse';
import { keepBuilt } from '../test/support/domains';
import { activateCurrency, odooPeerMissing, startOdooPeer } from '../test/support/odoo-peer';
import { adminHeaders, startTestRuntime } from '../test/support/runtime';
import { taxedOrder } from '../test/worker/bookings/conformance/orders';

const ORDERS = Number(process.env.BENCH_BOOKINGS_ORDERS ?? 1_000);
const CUSTOMERS = Math.max(1, Math.round(ORDERS * 0.6));
const SLOTS = 80;
const VAT = { rateId: 1, percent: 21, label: 'IVA 21%' };

function spec(index: number) {
  const slot = index % SLOTS;
  const day = String(1 + (slot % 28)).padStart(2, '0');
  const hour = String(7 + (slot % 12)).padStart(2, '0');
  const persons = 1 + (slot % 5);
  return taxedOrder({
    id: 200_000 + index,
    email: `bench.customer${index % CUSTOMERS}@example.com`,
    lines: [
      {
        persons,
        quantity: persons,
        amount: Math.round((12.5 + persons * 9.99) * 100) / 100,
        start: `2026-12-${day} ${hour}:00`,
        productId: 40 + (slot % 4),
        tax: VAT,
      },
    ],
    fees: index % 10 === 0 ? [{ name: 'Mat rental', amount: 2.5, tax: VAT }] : [],
  });
}

async function main(): Promise<void> {
  const missing = odooPeerMissing();
  if (missing) {
    console.log(`skipped: bookings-odoo benchmark — ${missing}`);
    return;
  }
  const peer = await startOdooPeer(18, 'bench');
  await activateCurrency(peer, 'EUR');
  const bookings = keepBuilt(createBookingsDomain);
  const runtime = await startTestRuntime({
    domains: [bookings.create],
    env: {
      ODOO_URL: peer.url,
      ODOO_DB: peer.db,
      ODOO_USERNAME: peer.login,
      ODOO_API_KEY: peer.apiKey,
      ODOO_TIMEOUT_MS: '300000',
      BOOKINGS_SWEEP_INTERVAL_MS: '3600000',
      LOG_LEVEL: 'silent',
    },
  });
  const service = bookings.built().service;
  const db = runtime.ctx.db;
  const count = async (status: 'synced' | 'failed'): Promise<number> =>
    Number(
      (
        await db
          .selectFrom('synchub_bookings_orders')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', '=', status)
          .executeTakeFirstOrThrow()
      ).n,
    );

  try {
    const expected = new Map<string, { total: number; tax: number }>();
    for (let index = 0; index < ORDERS; index += 1) {
      const built = spec(index);
      const parsed = parseBookingOrder(built.body);
      if (parsed.kind !== 'bookings') throw new Error('fixture without bookings');
      await service.store.upsertOrder(parsed.order);
      expected.set(`WC-${String(built.body.id)}`, { total: built.total, tax: built.totalTax });
    }
    const client = await service.connector.client();
    const callsBefore = new Map(client.calls);
    const load = os.loadavg();
    const start = performance.now();
    const response = await fetch(`${runtime.url}/sync/manual`, { method: 'POST', headers: adminHeaders(), body: '{}' });
    const queued = (await response.json()) as { mode: string; jobs: number; orders: number };
    const deadline = Date.now() + 20 * 60_000;
    while ((await count('synced')) + (await count('failed')) < ORDERS) {
      if (Date.now() > deadline) throw new Error(`only ${await count('synced')} of ${ORDERS} orders synced in 20 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const seconds = (performance.now() - start) / 1000;
    const byMethod: Record<string, number> = {};
    for (const [name, total] of client.calls) {
      const delta = total - (callsBefore.get(name) ?? 0);
      if (delta > 0) byMethod[name] = delta;
    }
    const calls = Object.entries(byMethod)
      .filter(([name]) => name.startsWith('xmlrpc.'))
      .reduce((sum, [, n]) => sum + n, 0);

    // What Odoo holds now.
    const rows = (await peer.call('sale.order', 'search_read', [[['client_order_ref', '=like', 'WC-2%']]], {
      fields: ['client_order_ref', 'amount_total', 'amount_tax', 'state', 'partner_id'],
    })) as Array<{ client_order_ref: string; amount_total: number; amount_tax: number; state: string }>;
    const refs = new Map<string, number>();
    for (const row of rows) refs.set(row.client_order_ref, (refs.get(row.client_order_ref) ?? 0) + 1);
    const duplicates = [...refs.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    const matching = rows.filter((row) => {
      const want = expected.get(row.client_order_ref);
      return want !== undefined && row.amount_total === want.total && row.amount_tax === want.tax;
    }).length;
    const partners = (await peer.call('res.partner', 'search_read', [[['email', '=like', 'bench.customer%']]], { fields: ['email'] })) as Array<{
      email: string;
    }>;
    const products = (await peer.call('product.product', 'search_read', [[['default_code', '=like', 'WCB-%']]], { fields: ['default_code'] })) as Array<{
      default_code: string;
    }>;
    const perSecond = ORDERS / seconds;
    const result = {
      benchmark: 'bookings-odoo',
      date: new Date().toISOString(),
      odoo: '18.0 (real, loopback, no HTTP workers)',
      machine: { cpus: os.cpus().length, load_average_at_start: load.map((value) => Number(value.toFixed(2))) },
      orders: ORDERS,
      new_customers: CUSTOMERS,
      new_slots: SLOTS,
      queued,
      seconds_end_to_end: Number(seconds.toFixed(2)),
      sale_orders_per_second: Number(perSecond.toFixed(1)),
      xmlrpc_calls: calls,
      calls_per_order: Number((calls / ORDERS).toFixed(3)),
      calls_by_method: byMethod,
      synced: await count('synced'),
      failed: await count('failed'),
      sale_orders_in_odoo: rows.length,
      confirmed: rows.filter((row) => row.state === 'sale').length,
      duplicate_sale_orders: duplicates,
      partners_in_odoo: partners.length,
      duplicate_partners: partners.length - new Set(partners.map((row) => row.email.toLowerCase())).size,
      products_in_odoo: products.length,
      duplicate_products: products.length - new Set(products.map((row) => row.default_code)).size,
      totals_matching: `${matching}/${ORDERS}`,
      anchor: '2-3 sale orders/s per worker at one RPC per record',
      target: '≥ 15 sale orders/s, ≤ 0.1 XML-RPC calls per order, 0 duplicates, all totals matching',
      pass: perSecond >= 15 && calls / ORDERS <= 0.1 && duplicates === 0 && rows.length === ORDERS && matching === ORDERS,
    };
    console.log(JSON.stringify(result, null, 2));
    writeFileSync(path.join('bench', 'results', 'bookings-odoo.json'), `${JSON.stringify(result, null, 2)}\n`);
    if (!result.pass) process.exitCode = 1;
  } finally {
    await runtime.dispose();
    await peer.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

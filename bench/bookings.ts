/**
 * Bookings benchmark: `npm run bench -- bookings`.
 * Against the fake Odoo answering every XML-RPC call after 20 ms:
 *   1. backlog — 1,000 paid booking orders the worker holds but never synced (600 customers,
 *      40 class slots), sent by one "sync all unsynced" (`POST /sync/manual`): batch mode;
 *   2. live — one order.paid webhook for a known customer and slot (warm caches: uid,
 *      fields_get, partner and product ids), from the signed POST to the order being synced;
 *   3. live, cold customer and slot — a new customer booking a new slot;
 *   4. burst — 200 signed webhooks posted at once (live batching of concurrent jobs).
 * Prints and writes bench/results/bookings.json. BENCH_BOOKINGS_ORDERS overrides the backlog size.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { createBookingsDomain } from '../worker/src/bookings';
import { parseBookingOrder } from '../worker/src/bookings/orders/parse';
import { keepBuilt } from '../test/support/domains';
import { startFakeOdoo } from '../test/fakes/odoo/server';
import { adminHeaders, startTestRuntime } from '../test/support/runtime';
import { pluginHeaders } from '../test/support/signing';
import { wcOrder } from '../test/worker/bookings/fixtures';

const ORDERS = Number(process.env.BENCH_BOOKINGS_ORDERS ?? 1_000);
const LATENCY_MS = 20;

function order(id: number, customer: number, slot: number): Record<string, unknown> {
  const day = String(1 + (slot % 28)).padStart(2, '0');
  const hour = String(7 + (slot % 12)).padStart(2, '0');
  const body = wcOrder(id, { slots: [{ persons: 1 + (slot % 5), start: `2026-12-${day} ${hour}:00`, productId: 40 + (slot % 4) }] });
  (body.billing as Record<string, string>).email = `customer${customer}@example.com`;
  return body;
}

async function main(): Promise<void> {
  const odoo = await startFakeOdoo({ version: 17, latencyMs: LATENCY_MS, activeCurrencies: ['EUR'] });
  const bookings = keepBuilt(createBookingsDomain);
  const runtime = await startTestRuntime({
    domains: [bookings.create],
    env: {
      ODOO_URL: odoo.url,
      ODOO_DB: odoo.db,
      ODOO_USERNAME: odoo.login,
      ODOO_API_KEY: odoo.apiKey,
      BOOKINGS_SWEEP_INTERVAL_MS: '3600000',
      LOG_LEVEL: 'silent',
    },
  });
  const service = bookings.built().service;
  const db = runtime.ctx.db;
  const synced = async (): Promise<number> =>
    Number(
      (
        await db
          .selectFrom('synchub_bookings_orders')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', '=', 'synced')
          .executeTakeFirstOrThrow()
      ).n,
    );
  const waitSynced = async (count: number, timeoutMs: number): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while ((await synced()) < count) {
      if (Date.now() > deadline) throw new Error(`only ${await synced()} of ${count} orders synced in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  try {
    // 1. Backlog.
    for (let index = 0; index < ORDERS; index += 1) {
      const parsed = parseBookingOrder(order(100_000 + index, index % 600, index % 40));
      if (parsed.kind !== 'bookings') throw new Error('fixture without bookings');
      await service.store.upsertOrder(parsed.order);
    }
    odoo.resetCalls();
    const backlogStart = performance.now();
    const response = await fetch(`${runtime.url}/sync/manual`, { method: 'POST', headers: adminHeaders(), body: '{}' });
    const queued = (await response.json()) as { mode: string; jobs: number; orders: number };
    await waitSynced(ORDERS, 120_000);
    const backlogMs = performance.now() - backlogStart;
    const backlogCalls = odoo.totalCalls();
    const saleOrders = odoo.orm.rows('sale.order').length;
    const backlogByMethod = { ...odoo.calls };

    // 2. One live order, known customer and slot (warm caches).
    const live = async (id: number, body: Record<string, unknown>) => {
      odoo.resetCalls();
      const raw = JSON.stringify(body);
      const start = performance.now();
      const answer = await fetch(`${runtime.url}/webhook/order`, {
        method: 'POST',
        headers: pluginHeaders(raw, `bench-${id}`),
        body: raw,
      });
      if (answer.status !== 202) throw new Error(`webhook answered ${answer.status}`);
      await waitSynced((await synced()) + 1, 10_000);
      return { ms: performance.now() - start, calls: odoo.totalCalls(), byMethod: { ...odoo.calls } };
    };
    const warm = await live(900_001, order(900_001, 7, 7));
    const cold = await live(900_002, order(900_002, 99_999, 41));

    // 4. A burst of live webhooks.
    const BURST = 200;
    odoo.resetCalls();
    const before = await synced();
    const burstStart = performance.now();
    await Promise.all(
      Array.from({ length: BURST }, async (_, index) => {
        const id = 800_000 + index;
        const raw = JSON.stringify(order(id, 1_000 + index, index % 40));
        const answer = await fetch(`${runtime.url}/webhook/order`, {
          method: 'POST',
          headers: pluginHeaders(raw, `bench-burst-${id}`),
          body: raw,
        });
        if (answer.status !== 202) throw new Error(`webhook answered ${answer.status}`);
      }),
    );
    await waitSynced(before + BURST, 60_000);
    const burstMs = performance.now() - burstStart;
    const burstCalls = odoo.totalCalls();

    const result = {
      benchmark: 'bookings',
      date: new Date().toISOString(),
      odoo_latency_ms_per_call: LATENCY_MS,
      backlog: {
        orders: ORDERS,
        queued,
        seconds_end_to_end: Number((backlogMs / 1000).toFixed(3)),
        orders_per_second: Math.round(ORDERS / (backlogMs / 1000)),
        xmlrpc_calls: backlogCalls,
        calls_per_order: Number((backlogCalls / ORDERS).toFixed(4)),
        sale_orders_in_odoo: saleOrders,
        calls_by_method: backlogByMethod,
        target: '≤ 0.1 calls/order and ≤ 10 s',
        pass: backlogCalls / ORDERS <= 0.1 && backlogMs <= 10_000 && saleOrders === ORDERS,
      },
      // 5: ref lookup, create, confirm, the paid date put back (confirmation stamps now), names read back.
      live_warm: {
        xmlrpc_calls: warm.calls,
        ms_webhook_to_synced: Math.round(warm.ms),
        calls_by_method: warm.byMethod,
        target: '≤ 5 calls',
        pass: warm.calls <= 5,
      },
      live_new_customer_and_slot: { xmlrpc_calls: cold.calls, ms_webhook_to_synced: Math.round(cold.ms), calls_by_method: cold.byMethod },
      live_burst: {
        webhooks: BURST,
        new_customers: BURST,
        seconds_end_to_end: Number((burstMs / 1000).toFixed(3)),
        xmlrpc_calls: burstCalls,
        calls_per_order: Number((burstCalls / BURST).toFixed(3)),
      },
    };
    console.log(JSON.stringify(result, null, 2));
    writeFileSync(path.join('bench', 'results', 'bookings.json'), `${JSON.stringify(result, null, 2)}\n`);
    if (!result.backlog.pass || !result.live_warm.pass) process.exitCode = 1;
  } finally {
    await runtime.dispose();
    await odoo.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

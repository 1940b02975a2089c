import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startFakeOdoo, type FakeOdoo } from '../../fakes/odoo/server';
import { createTestDatabase, uniquePrefix, type TestDatabase } from '../../support/db';
import { TEST_WEBHOOK_SECRET } from '../../support/runtime';
import { pluginHeaders } from '../../support/signing';
import { startWorker, type WorkerProcess } from '../../support/worker';
import { wcOrder } from './fixtures';

let odoo: FakeOdoo;
let database: TestDatabase;
let workers: WorkerProcess[] = [];

beforeAll(async () => {
  odoo = await startFakeOdoo({ latencyMs: 25, activeCurrencies: ['EUR'] });
  database = await createTestDatabase('bk2');
  const env = {
    DATABASE_URL: database.url,
    BULLMQ_PREFIX: uniquePrefix('bk2'),
    WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    ODOO_URL: odoo.url,
    ODOO_DB: odoo.db,
    ODOO_USERNAME: odoo.login,
    ODOO_API_KEY: odoo.apiKey,
    BOOKINGS_SWEEP_INTERVAL_MS: '3600000',
  };
  // One after the other: the first runs the migrations.
  workers.push(await startWorker(env));
  workers.push(await startWorker(env));
}, 90_000);
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  workers = [];
  await odoo?.close();
  await database?.drop();
});

describe('two worker processes', () => {
  it('deliveries of one order to both processes, plus a manual sync on each, make one sale order', async () => {
    const body = JSON.stringify(wcOrder(6001));
    const post = (worker: WorkerProcess, eventId: string) =>
      fetch(`${worker.url}/webhook/order`, {
        method: 'POST',
        headers: pluginHeaders(body, eventId),
        body,
      });
    const [a, b] = workers as [WorkerProcess, WorkerProcess];
    expect((await Promise.all([post(a, 'evt-6001-a'), post(b, 'evt-6001-b')])).map((response) => response.status)).toEqual([202, 202]);
    const manual = (worker: WorkerProcess) =>
      fetch(`${worker.url}/sync/manual`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${worker.adminToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ order_id: 6001 }),
      });
    for (let tries = 0; tries < 100; tries += 1) {
      const [ra, rb] = await Promise.all([manual(a), manual(b)]);
      if (ra.status === 202 && rb.status === 202) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // Settled: the order is confirmed and no bookings job waits or runs (the sweep's next run is
    // always delayed) on two polls in a row.
    const deadline = Date.now() + 20_000;
    let quiet = 0;
    for (;;) {
      const health = (await (await fetch(`${a.url}/health`, { headers: { Authorization: `Bearer ${a.adminToken}` } })).json()) as {
        queues: Record<string, { waiting: number; active: number; delayed: number }>;
      };
      const queue = health.queues.bookings;
      const done =
        odoo.orm.search('sale.order', [
          ['client_order_ref', '=', 'WC-6001'],
          ['state', '=', 'sale'],
        ]).length > 0 &&
        queue !== undefined &&
        queue.waiting + queue.active === 0;
      quiet = done ? quiet + 1 : 0;
      if (quiet >= 2) break;
      if (Date.now() > deadline) throw new Error(`not settled: ${JSON.stringify(queue)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(odoo.orm.search('sale.order', [['client_order_ref', '=', 'WC-6001']])).toHaveLength(1);
    expect(odoo.calls['sale.order.create']).toBe(1);
  });
});

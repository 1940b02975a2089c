import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createWooCommerceFixture, type WooFixture } from '../../fakes/woocommerce-db/fixture';
import { createTestDatabase, uniquePrefix, type TestDatabase } from '../../support/db';
import { startWorker, type WorkerProcess } from '../../support/worker';
import { api, BASE, configurationBody, waitFor, type ExecutionBody } from './support';

const headers = (worker: WorkerProcess) => ({ Authorization: `Bearer ${worker.adminToken}`, 'Content-Type': 'application/json' });

describe('events across worker processes', () => {
  let fixture: WooFixture;
  let database: TestDatabase;
  let sql: Connection;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    fixture = await createWooCommerceFixture({
      storage: 'hpos',
      label: 'proc',
      spec: { paidOrders: 3000, unpaidOrders: 300, refundedOrders: 30, ticketPostShare: 0.05, seed: 5 },
    });
    database = await createTestDatabase('evproc');
    sql = await createConnection({ host: '127.0.0.1', user: 'root', database: database.name });
  });
  afterAll(async () => {
    for (const worker of workers) await worker.kill().catch(() => undefined);
    await sql?.end();
    await database?.drop();
    await fixture?.drop();
  });

  const count = async (query: string, params: unknown[] = []): Promise<number> => {
    const [rows] = await sql.query<RowDataPacket[]>(query, params);
    return Number(rows[0]?.n);
  };

  it('resumes a run killed with -9 from its checkpoint: 0 duplicates, 0 missing', async () => {
    const prefix = uniquePrefix('evkill');
    const env = {
      ...fixture.env,
      DATABASE_URL: database.url,
      BULLMQ_PREFIX: prefix,
      WEBHOOK_SECRET: 'events-process-webhook-secret-0123456789',
      WOOCOMMERCE_SYNC_BATCH_SIZE: '20',
      EVENTS_STALE_AFTER_MS: '1000',
      EVENTS_TICK_EVERY_MS: '500',
      MIGRATION_MODE: 'true',
    };
    const first = await startWorker(env);
    workers.push(first);
    const created = await api<{ id: number }>(first.url, 'POST', `${BASE}/configurations/`, configurationBody(), headers(first));
    expect(created.status).toBe(201);
    const started = await api<ExecutionBody>(first.url, 'POST', `${BASE}/configurations/${created.body.id}/trigger_sync/`, {}, headers(first));
    const midway = await waitFor(
      async () => (await api<ExecutionBody>(first.url, 'GET', `${BASE}/executions/${started.body.id}/`, undefined, headers(first))).body,
      (execution) => execution.orders_processed >= 300,
      30_000,
      'progress',
    );
    await first.kill();
    expect(midway.status).toBe('running');
    const total = fixture.expected.paidOrders + fixture.expected.skipped;
    const atKill = await count('SELECT orders_processed AS n FROM synchub_event_executions WHERE id = ?', [started.body.id]);
    expect(atKill).toBeLessThan(total);

    const second = await startWorker(env);
    workers.push(second);
    const done = await waitFor(
      async () => (await api<ExecutionBody>(second.url, 'GET', `${BASE}/executions/${started.body.id}/`, undefined, headers(second))).body,
      (execution) => execution.status !== 'running',
      60_000,
      'resumed run',
    );
    expect(done).toMatchObject({
      status: 'completed',
      orders_processed: total,
      new_orders: fixture.expected.paidOrders,
      new_tickets: fixture.expected.tickets,
      updated_orders: 0,
    });
    expect(await count('SELECT COUNT(*) AS n FROM synchub_event_ticket_orders')).toBe(fixture.expected.paidOrders);
    expect(await count('SELECT COUNT(DISTINCT woocommerce_order_id) AS n FROM synchub_event_ticket_orders')).toBe(fixture.expected.paidOrders);
    expect(await count('SELECT COUNT(*) AS n FROM synchub_event_tickets')).toBe(fixture.expected.tickets);
    expect(await count('SELECT COUNT(DISTINCT woocommerce_order_item_id, sequence) AS n FROM synchub_event_tickets')).toBe(fixture.expected.tickets);
    await second.stop();
  }, 120_000);

  it('two workers on one Redis prefix run each schedule tick once and a due configuration once', async () => {
    const prefix = uniquePrefix('evsched');
    const env = {
      ...fixture.env,
      DATABASE_URL: database.url,
      BULLMQ_PREFIX: prefix,
      WEBHOOK_SECRET: 'events-process-webhook-secret-0123456789',
      EVENTS_TICK_EVERY_MS: '300',
      MIGRATION_MODE: 'true',
    };
    const a = await startWorker(env);
    workers.push(a);
    const created = await api<{ id: number }>(
      a.url,
      'POST',
      `${BASE}/configurations/`,
      configurationBody({ name: 'Cada hora', sync_frequency: 'hourly' }),
      headers(a),
    );
    // Created two hours ago, so the current hour's slot is due.
    await sql.query('UPDATE synchub_event_configurations SET created_at = NOW(3) - INTERVAL 2 HOUR WHERE id = ?', [created.body.id]);
    const b = await startWorker(env);
    workers.push(b);
    const [[{ n: before }]] = (await sql.query('SELECT COUNT(*) AS n FROM synchub_event_schedule_runs')) as unknown as [[{ n: number }]];
    const windowStart = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const elapsed = Date.now() - windowStart;
    const [runs] = await sql.query<RowDataPacket[]>('SELECT job_id, pid FROM synchub_event_schedule_runs WHERE kind = ? ORDER BY id', ['tick']);
    const ticks = runs.slice(Number(before));
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks.length).toBeLessThanOrEqual(Math.ceil(elapsed / 300) + 2);
    expect(new Set(runs.map((row) => row.job_id)).size).toBe(runs.length);
    expect(await count('SELECT COUNT(*) AS n FROM synchub_event_executions WHERE configuration_id = ?', [created.body.id])).toBe(1);
    await Promise.all([a.stop(), b.stop()]);
  }, 90_000);
});

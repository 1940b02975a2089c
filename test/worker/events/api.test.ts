import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEventsDomain } from '../../../worker/src/events';
import { createWooCommerceFixture, type WooFixture } from '../../fakes/woocommerce-db/fixture';
import { createTestDatabase, type TestDatabase } from '../../support/db';
import { startTestRuntime, type TestRuntime } from '../../support/runtime';
import { api, BASE, configurationBody, runSync, waitFor, type ExecutionBody } from './support';

type Fields = { error: { code: string; message: string; details?: { fields: Record<string, string[]> } } };

describe('events admin API', () => {
  let fixture: WooFixture;
  let runtime: TestRuntime;
  const count = () =>
    runtime.ctx.db
      .selectFrom('synchub_event_configurations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
      .then((row) => Number(row.n));

  beforeAll(async () => {
    fixture = await createWooCommerceFixture({ storage: 'hpos', label: 'api', spec: { paidOrders: 120, unpaidOrders: 10, seed: 3 } });
    runtime = await startTestRuntime({ env: { ...fixture.env, WOOCOMMERCE_SYNC_BATCH_SIZE: '10' }, domains: [createEventsDomain] });
  });
  afterAll(async () => {
    await runtime?.dispose();
    await fixture?.drop();
  });

  it('requires the admin token', async () => {
    const response = await api(runtime.url, 'GET', `${BASE}/configurations/`, undefined, {});
    expect(response.status).toBe(401);
  });

  it.each([
    ['an invalid frequency', { sync_frequency: 'fortnightly' }, 'sync_frequency'],
    ['a bad email', { organizer_email: 'not-an-email' }, 'organizer_email'],
    ['a fee over 100 %', { service_fee_percentage: 150 }, 'service_fee_percentage'],
    ['a negative product id', { woocommerce_product_id: -4 }, 'woocommerce_product_id'],
    ['a missing event name', { event_name: '' }, 'event_name'],
    ['an unknown field', { surprise: true }, '_'],
  ])('rejects %s with a per-field 400 and writes nothing', async (_label, overrides, field) => {
    const response = await api<Fields>(runtime.url, 'POST', `${BASE}/configurations/`, configurationBody(overrides));
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation_error');
    expect(Object.keys(response.body.error.details?.fields ?? {})).toContain(field);
    expect(await count()).toBe(0);
  });

  it('rejects an unknown product id with a field message and writes nothing', async () => {
    const response = await api<Fields>(runtime.url, 'POST', `${BASE}/configurations/`, configurationBody({ woocommerce_product_id: 999_999 }));
    expect(response.status).toBe(400);
    expect(response.body.error.details?.fields.woocommerce_product_id?.[0]).toMatch(/999999/);
    expect(await count()).toBe(0);
  });

  it('creates, reads, updates, tests, pauses, resumes and deletes a configuration', async () => {
    const created = await api<{ id: number; service_fee_percentage: number; paid_statuses: string[] }>(
      runtime.url,
      'POST',
      `${BASE}/configurations/`,
      configurationBody({ paid_statuses: ['completed'] }),
    );
    expect(created.status).toBe(201);
    expect(created.body.paid_statuses).toEqual(['wc-completed']);
    const id = created.body.id;
    const updated = await api<{ sync_frequency: string; name: string }>(runtime.url, 'PUT', `${BASE}/configurations/${id}/`, { sync_frequency: 'daily' });
    expect(updated.body).toMatchObject({ sync_frequency: 'daily', name: 'Año Nuevo 2025' });
    const invalid = await api<Fields>(runtime.url, 'PUT', `${BASE}/configurations/${id}/`, { sync_frequency: 'yearly' });
    expect(invalid.status).toBe(400);
    expect((await api<{ sync_frequency: string }>(runtime.url, 'GET', `${BASE}/configurations/${id}/`)).body.sync_frequency).toBe('daily');

    const test = await api<Record<string, unknown>>(runtime.url, 'POST', `${BASE}/configurations/${id}/test_connection/`);
    const completed = fixture.orders.filter((order) => order.status === 'wc-completed' && order.items.some((item) => item.productId === 10)).length;
    expect(test.body).toMatchObject({ ok: true, database_reachable: true, storage_mode: 'hpos', product_found: true, matching_paid_orders: completed });

    const paused = await api<{ is_paused: boolean }>(runtime.url, 'POST', `${BASE}/configurations/${id}/pause_sync/`);
    expect(paused.body.is_paused).toBe(true);
    expect((await api<Fields>(runtime.url, 'POST', `${BASE}/configurations/${id}/trigger_sync/`)).status).toBe(409);
    const resumed = await api<{ is_paused: boolean }>(runtime.url, 'POST', `${BASE}/configurations/${id}/resume_sync/`);
    expect(resumed.body.is_paused).toBe(false);

    const execution = await runSync(runtime.url, id);
    expect(execution).toMatchObject({ status: 'completed', new_orders: completed });
    const listed = await api<{ count: number; results: ExecutionBody[] }>(runtime.url, 'GET', `${BASE}/executions/?configuration_id=${id}`);
    expect(listed.body.results[0]?.id).toBe(execution.id);
    expect((await api(runtime.url, 'GET', `${BASE}/executions/abc/`)).status).toBe(400);
    expect((await api(runtime.url, 'GET', `${BASE}/executions/987654/`)).status).toBe(404);

    expect((await api(runtime.url, 'DELETE', `${BASE}/configurations/${id}/`)).status).toBe(204);
    expect((await api(runtime.url, 'GET', `${BASE}/configurations/${id}/`)).status).toBe(404);
  });

  it('pauses a running sync at a batch boundary and resumes it from its checkpoint', async () => {
    const created = await api<{ id: number }>(runtime.url, 'POST', `${BASE}/configurations/`, configurationBody({ name: 'Pausa' }));
    const id = created.body.id;
    const started = await api<ExecutionBody>(runtime.url, 'POST', `${BASE}/configurations/${id}/trigger_sync/`);
    await waitFor(
      async () => (await api<ExecutionBody>(runtime.url, 'GET', `${BASE}/executions/${started.body.id}/`)).body,
      (execution) => execution.orders_processed > 0,
      10_000,
      'first batch',
    );
    await api(runtime.url, 'POST', `${BASE}/configurations/${id}/pause_sync/`);
    const stopped = await waitFor(
      async () => (await api<ExecutionBody>(runtime.url, 'GET', `${BASE}/executions/${started.body.id}/`)).body,
      (execution) => execution.status !== 'running',
      10_000,
      'pause',
    );
    // Either the pause caught it mid-run or the run had already finished.
    if (stopped.status === 'cancelled') {
      expect(stopped.orders_processed).toBeLessThan(130);
      await api(runtime.url, 'POST', `${BASE}/configurations/${id}/resume_sync/`);
    }
    const done = await waitFor(
      async () => (await api<ExecutionBody>(runtime.url, 'GET', `${BASE}/executions/${started.body.id}/`)).body,
      (execution) => execution.status === 'completed',
      20_000,
      'resume',
    );
    expect(done.new_orders).toBe(fixture.expected.paidOrders);
    expect(done.orders_processed).toBe(fixture.expected.paidOrders + fixture.expected.skipped);
    const tickets = await runtime.ctx.db
      .selectFrom('synchub_event_tickets as t')
      .innerJoin('synchub_events as e', 'e.id', 't.event_id')
      .where('e.configuration_id', '=', id)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(tickets.n)).toBe(fixture.expected.tickets);
  });
});

describe('events source failures', () => {
  let database: TestDatabase;
  let runtime: TestRuntime;
  const notWoo = `synchub_notwoo_${Date.now()}`;

  beforeAll(async () => {
    const root = await createConnection({ host: '127.0.0.1', user: 'root' });
    await root.query(`CREATE DATABASE \`${notWoo}\``);
    await root.query(`CREATE TABLE \`${notWoo}\`.wp_options (option_id int primary key, option_name varchar(191), option_value text)`);
    await root.end();
    database = await createTestDatabase('evfail');
    runtime = await startTestRuntime({
      database,
      env: {
        WOOCOMMERCE_MYSQL_HOST: '127.0.0.1',
        WOOCOMMERCE_MYSQL_PORT: '1',
        WOOCOMMERCE_MYSQL_USERNAME: 'root',
        WOOCOMMERCE_MYSQL_DATABASE: 'nothing',
        EVENTS_RETRY_DELAY_MS: '50',
      },
      domains: [createEventsDomain],
    });
  });
  afterAll(async () => {
    await runtime?.dispose();
    await database?.drop();
    const root = await createConnection({ host: '127.0.0.1', user: 'root' });
    await root.query(`DROP DATABASE IF EXISTS \`${notWoo}\``);
    await root.end();
  });

  it('answers 503 for an unreachable source and writes nothing', async () => {
    const response = await api<Fields>(runtime.url, 'POST', `${BASE}/configurations/`, configurationBody());
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('source_unreachable');
    const rows = await runtime.ctx.db.selectFrom('synchub_event_configurations').selectAll().execute();
    expect(rows).toHaveLength(0);
  });

  it('retries an unreachable source 3 times, then fails the execution with the reason', async () => {
    const inserted = await runtime.ctx.db
      .insertInto('synchub_event_configurations')
      .values({
        name: 'x',
        woocommerce_product_id: 10,
        event_name: 'x',
        event_description: '',
        organizer_email: 'o@example.com',
        organizer_name: 'o',
        service_fee_percentage: '0',
        sync_frequency: 'manual',
        is_active: 1,
        is_migration: 0,
        paid_statuses: '["wc-completed"]',
        tier_name_template: 'T',
      })
      .executeTakeFirstOrThrow();
    const id = Number(inserted.insertId);
    const test = await api<{ ok: boolean; database_reachable: boolean; error: { code: string } }>(
      runtime.url,
      'POST',
      `${BASE}/configurations/${id}/test_connection/`,
    );
    expect(test.body).toMatchObject({ ok: false, database_reachable: false, error: { code: 'source_unreachable' } });
    const execution = await runSync(runtime.url, id);
    expect(execution).toMatchObject({ status: 'failed', success: false });
    expect(execution.error_message).toMatch(/unreachable/i);
    const job = await runtime.ctx.queues.get('events').getJob(`exec-${execution.id}`);
    expect(job?.attemptsMade).toBe(4);
    expect(await runtime.ctx.db.selectFrom('synchub_event_ticket_orders').selectAll().execute()).toHaveLength(0);
  });

  it('reports a non-WooCommerce schema clearly and fails at once', async () => {
    const other = await startTestRuntime({
      env: { WOOCOMMERCE_MYSQL_HOST: '127.0.0.1', WOOCOMMERCE_MYSQL_USERNAME: 'root', WOOCOMMERCE_MYSQL_DATABASE: notWoo },
      domains: [createEventsDomain],
    });
    try {
      const response = await api<Fields>(other.url, 'POST', `${BASE}/configurations/`, configurationBody());
      expect(response.status).toBe(422);
      expect(response.body.error).toMatchObject({ code: 'not_woocommerce' });
      expect(response.body.error.message).toMatch(/wp_posts/);
    } finally {
      await other.dispose();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEventsDomain } from '../../../worker/src/events';
import { startExecution } from '../../../worker/src/events/jobs';
import { createWooCommerceFixture, type WooFixture } from '../../fakes/woocommerce-db/fixture';
import { startTestRuntime, type TestRuntime } from '../../support/runtime';
import { api, BASE, configurationBody, runSync, waitFor, type ExecutionBody } from './support';

type Stopped = ExecutionBody & { stop_reason: string | null; checkpoint_order_id: number };

const ticketCount = async (runtime: TestRuntime) =>
  Number(
    (
      await runtime.ctx.db
        .selectFrom('synchub_event_tickets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('WOOCOMMERCE_SYNC_TIMEOUT: a stopped run is continued by the next run, manual or scheduled', () => {
  let fixture: WooFixture;
  let runtime: TestRuntime;

  beforeAll(async () => {
    fixture = await createWooCommerceFixture({ storage: 'legacy', label: 'tmo', spec: { paidOrders: 90, unpaidOrders: 10, seed: 17 } });
    // The run's clock moves 300 ms each time it is read (once at the start, once before each page),
    // so a run always stops after 3 pages under the 1 s limit, however fast the machine is.
    let clock = Date.now();
    const now = () => (clock += 300);
    // No tick during this test: each continuation is started by hand.
    runtime = await startTestRuntime({
      env: { ...fixture.env, WOOCOMMERCE_SYNC_BATCH_SIZE: '5', WOOCOMMERCE_SYNC_TIMEOUT: '1', MIGRATION_MODE: 'true', EVENTS_TICK_EVERY_MS: '3600000' },
      domains: [(ctx) => createEventsDomain(ctx, { now })],
    });
  });
  afterAll(async () => {
    await runtime?.dispose();
    await fixture?.drop();
  });

  it('stops at its checkpoint, then triggers and scheduled slots continue the same execution to the end', async () => {
    const id = (await api<{ id: number }>(runtime.url, 'POST', `${BASE}/configurations/`, configurationBody({ sync_frequency: 'hourly' }))).body.id;
    const first = (await runSync(runtime.url, id)) as Stopped;
    expect(first).toMatchObject({ status: 'cancelled', stop_reason: 'timeout', success: false });
    expect(first.error_message).toMatch(/WOOCOMMERCE_SYNC_TIMEOUT/);
    expect(first.checkpoint_order_id).toBeGreaterThan(0);
    // Three pages of five orders, then the limit.
    expect(first.orders_processed).toBe(15);

    const configuration = await runtime.ctx.db.selectFrom('synchub_event_configurations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    let last = first;
    for (let round = 0; round < 80 && last.status !== 'completed'; round += 1) {
      // Alternate: a manual trigger, then a scheduled slot (what the tick starts for an hourly configuration).
      if (round % 2 === 0) last = (await runSync(runtime.url, id)) as Stopped;
      else {
        const continued = await startExecution(runtime.ctx, configuration, 'scheduled', { slot: new Date(Date.now() + round * 3_600_000).toISOString() });
        expect(continued).toBe(first.id);
        last = await waitFor(
          async () => (await api<Stopped>(runtime.url, 'GET', `${BASE}/executions/${first.id}/`)).body,
          (execution) => execution.status !== 'running',
          60_000,
          'the scheduled continuation',
        );
      }
      expect(last.id).toBe(first.id);
      expect(last.checkpoint_order_id).toBeGreaterThanOrEqual(first.checkpoint_order_id);
    }
    expect(last).toMatchObject({
      status: 'completed',
      new_orders: fixture.expected.paidOrders,
      new_tickets: fixture.expected.tickets,
      orders_processed: fixture.expected.paidOrders + fixture.expected.skipped,
      // Counted once, by the first run's read of every id.
      progress: { total: fixture.expected.paidOrders + fixture.expected.skipped, percent: 100 },
    });
    expect(await ticketCount(runtime)).toBe(fixture.expected.tickets);
    const executions = await runtime.ctx.db.selectFrom('synchub_event_executions').select('id').execute();
    expect(executions).toHaveLength(1);
  }, 180_000);
});

describe('WOOCOMMERCE_SYNC_TIMEOUT: a long migration finishes by itself', () => {
  let fixture: WooFixture;
  let runtime: TestRuntime;

  beforeAll(async () => {
    fixture = await createWooCommerceFixture({ storage: 'hpos', label: 'tmo2', spec: { paidOrders: 60, unpaidOrders: 6, seed: 23 } });
    // As above: every run stops after 3 pages of 2 orders, a dozen runs in all.
    let clock = Date.now();
    const now = () => (clock += 300);
    runtime = await startTestRuntime({
      env: { ...fixture.env, WOOCOMMERCE_SYNC_BATCH_SIZE: '2', WOOCOMMERCE_SYNC_TIMEOUT: '1', MIGRATION_MODE: 'true', EVENTS_TICK_EVERY_MS: '300' },
      domains: [(ctx) => createEventsDomain(ctx, { now })],
    });
  });
  afterAll(async () => {
    await runtime?.dispose();
    await fixture?.drop();
  });

  it('the schedule tick continues a manual configuration’s stopped run from its checkpoint until it completes, nothing read twice', async () => {
    const id = (await api<{ id: number }>(runtime.url, 'POST', `${BASE}/configurations/`, configurationBody({ sync_frequency: 'manual' }))).body.id;
    const started = await api<ExecutionBody>(runtime.url, 'POST', `${BASE}/configurations/${id}/trigger_sync/`);
    expect(started.status).toBe(202);
    const stops = new Set<number>();
    const done = await waitFor(
      async () => {
        const execution = (await api<Stopped>(runtime.url, 'GET', `${BASE}/executions/${started.body.id}/`)).body;
        if (execution.status === 'cancelled') stops.add(execution.checkpoint_order_id);
        return execution;
      },
      (execution) => execution.status === 'completed',
      120_000,
      'the migration to finish by itself',
    );
    expect(stops.size).toBeGreaterThan(0);
    expect(done).toMatchObject({
      new_orders: fixture.expected.paidOrders,
      new_tickets: fixture.expected.tickets,
      orders_processed: fixture.expected.paidOrders + fixture.expected.skipped,
      updated_orders: 0,
    });
    expect(await ticketCount(runtime)).toBe(fixture.expected.tickets);
  }, 150_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEventsModule } from '../../../worker/src/events';
import { createWooCommerceFixture, type WooFixture } from '../../fakes/woocommerce-db/fixture';
import { startTestRuntime, type TestRuntime } from '../../support/runtime';
import { api, BASE, configurationBody, runSync } from './support';

describe('WOOCOMMERCE_SYNC_TIMEOUT', () => {
  let fixture: WooFixture;
  let runtime: TestRuntime;

  beforeAll(async () => {
    fixture = await createWooCommerceFixture({ storage: 'legacy', label: 'tmo', spec: { paidOrders: 1500, unpaidOrders: 100, seed: 17 } });
    runtime = await startTestRuntime({ env: { ...fixture.env, WOOCOMMERCE_SYNC_BATCH_SIZE: '3', WOOCOMMERCE_SYNC_TIMEOUT: '1', MIGRATION_MODE: 'true' }, domains: [createEventsModule()] });
  });
  afterAll(async () => {
    await runtime?.dispose();
    await fixture?.drop();
  });

  it('bounds a run, then the next trigger continues the same execution from its checkpoint', async () => {
    const id = (await api<{ id: number }>(runtime.url, 'POST', `${BASE}/configurations/`, configurationBody())).body.id;
    const first = await runSync(runtime.url, id);
    expect(first.status).toBe('failed');
    expect(first.error_message).toMatch(/WOOCOMMERCE_SYNC_TIMEOUT/);
    expect(first.orders_processed).toBeGreaterThan(0);
    expect(first.orders_processed).toBeLessThan(fixture.expected.paidOrders + fixture.expected.skipped);
    let last = first;
    for (let round = 0; round < 30 && last.status !== 'completed'; round += 1) {
      last = await runSync(runtime.url, id);
      expect(last.id).toBe(first.id);
      expect(last.orders_processed).toBeGreaterThan(first.orders_processed - 1);
    }
    expect(last).toMatchObject({ status: 'completed', new_orders: fixture.expected.paidOrders, new_tickets: fixture.expected.tickets, orders_processed: fixture.expected.paidOrders + fixture.expected.skipped });
    const tickets = await runtime.ctx.db.selectFrom('synchub_event_tickets').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(tickets.n)).toBe(fixture.expected.tickets);
  }, 120_000);
});

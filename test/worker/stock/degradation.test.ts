import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { adminHeaders } from '../../support/runtime';
import { eventually, startStockHarness, type StockHarness } from './helpers';

interface Change {
  code: string;
  new_quantity: number;
  source: string;
}

describe('graceful degradation: the sweep alone keeps stock right', () => {
  let h: StockHarness;
  beforeAll(async () => {
    // A sweep every 400 ms stands in for the 5-minute schedule.
    h = await startStockHarness({ products: 6, env: { STOCK_SWEEP_INTERVAL_MS: '400' } });
    for (let index = 1; index <= 6; index += 1) h.store.add(`SKU0000${index}`);
    await eventually(() => h.store.stockOf('SKU00006') === 10, 10_000, 'first sweep');
  });
  afterAll(() => h.dispose());

  it('with webhooks off, SIIGO changes still reach WooCommerce through the scheduled sweep', async () => {
    h.siigo.webhooksEnabled = false;
    await h.api('POST', '/api/webhooks/setup', { base_url: h.runtime.url });
    await h.siigo.setStock('SKU00001', 1);
    await h.siigo.setStock('SKU00003', 0);
    await h.siigo.setStock('SKU00005', 33);
    await eventually(
      () => h.store.stockOf('SKU00001') === 1 && h.store.stockOf('SKU00003') === 0 && h.store.stockOf('SKU00005') === 33,
      15_000,
      'sweep to catch up',
    );
    expect(h.siigo.deliveries).toHaveLength(0);
    // A history row records WooCommerce's answer, so it is committed just after the store write.
    const expected: Record<string, number> = { SKU00001: 1, SKU00003: 0, SKU00005: 33 };
    const sources = await eventually(
      async () => {
        const changes = (await h.api<{ items: Change[] }>('GET', '/api/v1/stock/changes?limit=50')).body.items;
        const matching = changes.filter((change) => expected[change.code] === change.new_quantity);
        return matching.length >= 3 ? matching.map((change) => change.source) : undefined;
      },
      5_000,
      'the change history rows',
    );
    expect(sources).toEqual(['scheduled_sync', 'scheduled_sync', 'scheduled_sync']);
    // Incremental sweeps: every product listing after the first asks only for recent changes.
    const listings = h.siigo.calls.filter((call) => call.path === '/v1/products');
    expect(listings.slice(1).every((call) => call.url.includes('updated_start='))).toBe(true);
  });

  it('SIIGO down: the circuit opens, health is degraded, nothing is lost, and the sweep repairs stock afterwards', async () => {
    h.siigo.webhooksEnabled = true;
    h.siigo.down = true;
    await h.siigo.setStock('SKU00002', 2);
    const health = await eventually(
      async () => {
        const response = await fetch(`${h.runtime.url}/health`, { headers: adminHeaders() });
        const body = (await response.json()) as { status: string; siigo_connection: boolean | null };
        return body.siigo_connection === false ? { status: response.status, body } : undefined;
      },
      15_000,
      'circuit to open',
    );
    expect(health.status).toBe(503);
    expect(health.body.status).toBe('degraded');
    // The delivery that arrived during the outage was accepted and logged.
    const logs = (await h.api<{ items: Array<{ product_code: string; status: string }> }>('GET', '/api/webhooks/logs?code=SKU00002')).body.items;
    expect(logs.length).toBeGreaterThanOrEqual(1);
    // Calls stop reaching SIIGO while the circuit is open.
    const during = h.siigo.callCount();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(h.siigo.callCount() - during).toBeLessThanOrEqual(1);

    h.siigo.down = false;
    await eventually(() => h.store.stockOf('SKU00002') === 2, 20_000, 'repair after the outage');
    await eventually(
      async () =>
        ((await (await fetch(`${h.runtime.url}/health`, { headers: adminHeaders() })).json()) as { siigo_connection: boolean }).siigo_connection === true,
      10_000,
      'circuit to close',
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEventsDomain } from '../../../worker/src/events';
import { createWooCommerceFixture, type WooFixture } from '../../fakes/woocommerce-db/fixture';
import { startTestRuntime, type TestRuntime } from '../../support/runtime';
import { api, BASE } from './support';

type Health = { status: string; store_connection: boolean | null };

/** `/health` store_connection: the store database probed for real (MariaDB), cached, re-probed on a change. */
describe('store database in /health', () => {
  let fixture: WooFixture;
  let runtime: TestRuntime;
  let bare: TestRuntime;
  const health = async (target: TestRuntime) => (await api<Health>(target.url, 'GET', '/health')).body;

  beforeAll(async () => {
    fixture = await createWooCommerceFixture({ storage: 'legacy', label: 'store_health', spec: { paidOrders: 0 } });
    runtime = await startTestRuntime({ env: fixture.env, domains: [createEventsDomain] });
    bare = await startTestRuntime({ env: {}, domains: [createEventsDomain] });
  });
  afterAll(async () => {
    await runtime?.dispose();
    await bare?.dispose();
    await fixture?.drop();
  });

  it('is null while the store database is not configured', async () => {
    expect(await health(bare)).toMatchObject({ status: 'healthy', store_connection: null });
  });

  it('is true for a store database that answers', async () => {
    expect(await health(runtime)).toMatchObject({ status: 'healthy', store_connection: true });
  });

  it('a saved connection that fails turns it false at once (a new connection is probed, not cached), and degrades the worker', async () => {
    const saved = await api(runtime.url, 'PUT', `${BASE}/store-connection/`, {
      host: fixture.env.WOOCOMMERCE_MYSQL_HOST,
      port: Number(fixture.env.WOOCOMMERCE_MYSQL_PORT ?? 3306),
      user: fixture.env.WOOCOMMERCE_MYSQL_USERNAME,
      password: 'not-the-password',
      database: 'synchub_no_such_store',
      table_prefix: 'wp_',
    });
    expect(saved.status).toBe(200);
    expect(await health(runtime)).toMatchObject({ status: 'degraded', store_connection: false });
    const tested = await api<{ ok: boolean }>(runtime.url, 'POST', `${BASE}/store-connection/test/`, {});
    expect(tested.body.ok).toBe(false);

    // Back to the environment's connection: probed again, green again.
    expect((await api(runtime.url, 'DELETE', `${BASE}/store-connection/`)).status).toBe(204);
    expect(await health(runtime)).toMatchObject({ status: 'healthy', store_connection: true });
  });

  it('a "Test connection" of the connection in force is what /health shows next', async () => {
    await runtime.ctx.redis.set(
      `${runtime.ctx.config.queuePrefix}:events:store-health`,
      JSON.stringify({ key: 'another-connection', ok: false, at: Date.now() }),
    );
    expect((await api<{ ok: boolean }>(runtime.url, 'POST', `${BASE}/store-connection/test/`, {})).body.ok).toBe(true);
    const cached = JSON.parse((await runtime.ctx.redis.get(`${runtime.ctx.config.queuePrefix}:events:store-health`)) ?? '{}') as { key: string; ok: boolean };
    expect(cached.ok).toBe(true);
    expect(cached.key).not.toBe('another-connection');
    expect((await health(runtime)).store_connection).toBe(true);
  });
});

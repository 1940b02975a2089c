import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generateKeyHex } from '../../../worker/src/core/crypto';
import { FakeSiigo } from '../../fakes/siigo/server';
import { FakeStore } from '../../fakes/store/server';
import { createTestDatabase, uniquePrefix, type TestDatabase } from '../../support/db';
import { startWorker, type WorkerProcess } from '../../support/worker';

const SECRET = 'two-process-webhook-secret-0123456789';

describe('two worker processes share one SIIGO limiter', () => {
  let siigo: FakeSiigo;
  let store: FakeStore;
  let database: TestDatabase;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    // SIIGO allows 4 calls per sliding second here; both processes are told the same limit.
    siigo = new FakeSiigo({ rateLimit: 4, rateWindowMs: 1_000 });
    await siigo.start();
    siigo.seed(3);
    store = new FakeStore(SECRET);
    await store.start();
    database = await createTestDatabase('stock2p');
    const env = {
      DATABASE_URL: database.url,
      BULLMQ_PREFIX: uniquePrefix('stock2p'),
      WEBHOOK_SECRET: SECRET,
      // Worker processes of one installation share the key that seals settings (and the SIIGO token).
      SYNCHUB_SECRET_KEY: generateKeyHex(),
      SIIGO_ENABLED: 'true',
      SIIGO_USERNAME: siigo.options.username,
      SIIGO_ACCESS_KEY: siigo.options.accessKey,
      SIIGO_PARTNER_ID: 'SyncHubTests',
      SIIGO_API_URL: siigo.url,
      SIIGO_RATE_LIMIT_PER_MINUTE: '4',
      SIIGO_RATE_WINDOW_MS: '1000',
      STORE_URL: store.url,
      STOCK_SWEEP_INTERVAL_MS: '3600000',
    };
    workers.push(...(await Promise.all([startWorker(env), startWorker(env)])));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await Promise.all([siigo.stop(), store.stop()]);
    await database.drop();
  });

  it('SIIGO calls made through both processes at once never exceed the limit', async () => {
    const calls = Array.from({ length: 8 }, (_, index) => {
      const worker = workers[index % 2] as WorkerProcess;
      return fetch(`${worker.url}/api/v1/stock/settings/test`, { method: 'POST', headers: { Authorization: `Bearer ${worker.adminToken}` } }).then(
        async (response) => (await response.json()) as { ok: boolean },
      );
    });
    const results = await Promise.all(calls);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(siigo.callCount((call) => call.path === '/v1/warehouses')).toBe(8);
    expect(siigo.callCount((call) => call.status === 429)).toBe(0);
    expect(siigo.peakInWindow).toBeLessThanOrEqual(4);
  }, 60_000);
});

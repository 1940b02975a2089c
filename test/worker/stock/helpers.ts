import { FakeSiigo } from '../../fakes/siigo/server';
import { FakeStore } from '../../fakes/store/server';
import { adminHeaders, startTestRuntime, TEST_WEBHOOK_SECRET, type TestRuntime } from '../../support/runtime';
import { untilFound } from '../../support/until';
import { createStockDomain } from '../../../worker/src/stock';

export interface StockHarness {
  siigo: FakeSiigo;
  store: FakeStore;
  runtime: TestRuntime;
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  dispose(): Promise<void>;
}

/** Fake SIIGO + fake plugin endpoint + the worker with only the stock domain. */
export async function startStockHarness(options: { env?: Record<string, string>; products?: number } = {}): Promise<StockHarness> {
  const siigo = new FakeSiigo({ rateLimit: 1_000 });
  await siigo.start();
  siigo.seed(options.products ?? 5);
  const store = new FakeStore(TEST_WEBHOOK_SECRET);
  await store.start();
  const runtime = await startTestRuntime({
    domains: [createStockDomain],
    env: {
      ...siigo.workerEnv(),
      SIIGO_BREAKER_THRESHOLD: '3',
      SIIGO_BREAKER_COOLDOWN_MS: '400',
      STORE_URL: store.url,
      STOCK_SWEEP_INTERVAL_MS: '3600000',
      STOCK_RETRY_DELAY_MS: '100',
      STOCK_SSE_HEARTBEAT_MS: '200',
      ...options.env,
    },
  });
  return {
    siigo,
    store,
    runtime,
    async api<T>(method: string, path: string, body?: unknown) {
      const response = await fetch(`${runtime.url}${path}`, { method, headers: adminHeaders(), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
    },
    async dispose() {
      await runtime.dispose();
      await Promise.all([siigo.stop(), store.stop()]);
    },
  };
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export function eventually<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  return untilFound(what, check, timeoutMs);
}

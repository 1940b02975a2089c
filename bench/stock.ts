/**
 * Stock benchmark: `npm run bench -- stock`.
 *
 * Against the fake SIIGO (real HTTP, 100 requests per sliding minute, 429 `requests_limit` above
 * it) with the worker's production limiter settings (100/min):
 *   1. first sync — 10,000 SIIGO products the worker has never seen (the sweep scheduled at start);
 *   2. full sweep with 1 % changed — 100 products changed in SIIGO, spread over the catalogue,
 *      one full sweep asked for by hand: SIIGO calls, peak calls per sliding minute, 429s,
 *      WooCommerce write requests (fake plugin endpoint that counts them);
 *   3. webhook → stock — SIIGO stock webhooks, one per second, each timed from SIIGO sending it
 *      to the worker having the plugin's answer that the stock is set. The plugin endpoint here is
 *      the real PHP one (`POST /wp-json/sync-hub/v1/stock` in a real WordPress, served by php -S)
 *      with the test-only WooCommerce product/stock doubles, since WooCommerce is not installable.
 * Prints and writes bench/results/stock.json. BENCH_STOCK_PRODUCTS / BENCH_STOCK_WEBHOOKS override sizes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { FakeSiigo } from '../test/fakes/siigo/server';
import { FakeStore } from '../test/fakes/store/server';
import { createTestDatabase, dropRedisPrefix, uniquePrefix, type TestDatabase } from '../test/support/db';
import { adminHeaders, startTestRuntime, TEST_WEBHOOK_SECRET, type TestRuntime } from '../test/support/runtime';
import { PLUGIN_TEST_MU_PLUGINS, startWordPress, type WordPressSite } from '../test/support/wordpress';
import { limiterFor } from '../worker/src/connectors/siigo/config';
import { createStockDomain } from '../worker/src/stock';

const PRODUCTS = Number(process.env.BENCH_STOCK_PRODUCTS ?? 10_000);
const WEBHOOKS = Number(process.env.BENCH_STOCK_WEBHOOKS ?? 30);
const LIMIT = 100;
const WINDOW_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

/** Largest number of calls inside any sliding window of `windowMs`. */
function peakPerWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let start = 0, end = 0; end < sorted.length; end += 1) {
    while ((sorted[end] as number) - (sorted[start] as number) >= windowMs) start += 1;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

/** Both phases share one worker database and one Redis prefix (so one limiter), like one worker restarted. */
interface Shared {
  database: TestDatabase;
  prefix: string;
}

function env(siigo: FakeSiigo, storeUrl: string, shared: Shared): Record<string, string> {
  return {
    BULLMQ_PREFIX: shared.prefix,
    SIIGO_ENABLED: 'true',
    SIIGO_USERNAME: siigo.options.username,
    SIIGO_ACCESS_KEY: siigo.options.accessKey,
    SIIGO_PARTNER_ID: 'SyncHubBench',
    SIIGO_API_URL: siigo.url,
    SIIGO_RATE_LIMIT_PER_MINUTE: String(LIMIT),
    SIIGO_RATE_WINDOW_MS: String(WINDOW_MS),
    STORE_URL: storeUrl,
    STOCK_SWEEP_INTERVAL_MS: '3600000',
    LOG_LEVEL: 'silent',
  };
}

async function stats(runtime: TestRuntime): Promise<{ last_sync: string | null; last_full_sync: string | null }> {
  const response = await fetch(`${runtime.url}/api/v1/stock/stats`, { headers: adminHeaders() });
  return (await response.json()) as { last_sync: string | null; last_full_sync: string | null };
}

async function sweeps(siigo: FakeSiigo, shared: Shared): Promise<Record<string, unknown>> {
  const store = new FakeStore(TEST_WEBHOOK_SECRET);
  await store.start();
  for (let index = 1; index <= PRODUCTS; index += 1) store.add(`SKU${String(index).padStart(5, '0')}`);
  const runtime = await startTestRuntime({ domains: [createStockDomain], database: shared.database, env: env(siigo, store.url, shared) });
  try {
    // 1. The sweep scheduled at start reads all 10,000 products and writes them.
    const firstStarted = Date.now();
    await waitFor('the first sync', async () => ((await stats(runtime)).last_sync ? true : undefined), 10 * 60_000);
    const first = {
      seconds: (Date.now() - firstStarted) / 1000,
      siigo_calls: siigo.callCount(),
      siigo_429: siigo.callCount((call) => call.status === 429),
      woocommerce_requests: store.requests.length,
      woocommerce_items: store.requests.reduce((sum, request) => sum + request.items, 0),
    };
    process.stdout.write(`first sync: ${JSON.stringify(first)}\n`);

    // 2. 1 % of the catalogue changes in SIIGO (no webhooks), then one full sweep.
    siigo.webhooksEnabled = false;
    const step = Math.floor(PRODUCTS / (PRODUCTS / 100));
    const changed: string[] = [];
    for (let index = 1; index <= PRODUCTS; index += step) {
      const code = `SKU${String(index).padStart(5, '0')}`;
      await siigo.setStock(code, 1_000 + index, { notify: false });
      changed.push(code);
    }
    const callsBefore = siigo.calls.length;
    const requestsBefore = store.requests.length;
    const sweepStarted = Date.now();
    const queued = await fetch(`${runtime.url}/api/v1/stock/sync`, { method: 'POST', headers: adminHeaders(), body: JSON.stringify({ full: true }) });
    if (queued.status !== 202) throw new Error(`sync answered ${queued.status}`);
    await waitFor('the full sweep', async () => ((await stats(runtime)).last_full_sync ? true : undefined), 10 * 60_000);
    const sweepCalls = siigo.calls.slice(callsBefore);
    const wrong = changed.filter((code) => store.stockOf(code) !== siigo.product(code)?.available_quantity);
    const sweep = {
      changed_skus: changed.length,
      seconds: (Date.now() - sweepStarted) / 1000,
      siigo_calls: sweepCalls.length,
      siigo_429: sweepCalls.filter((call) => call.status === 429).length,
      woocommerce_requests: store.requests.length - requestsBefore,
      woocommerce_items: store.requests.slice(requestsBefore).reduce((sum, request) => sum + request.items, 0),
      skus_wrong_after_sweep: wrong.length,
    };
    process.stdout.write(`full sweep, 1 % changed: ${JSON.stringify(sweep)}\n`);
    return { first_sync: first, full_sweep_1pct: sweep };
  } finally {
    await runtime.dispose();
    await store.stop();
  }
}

async function webhooks(siigo: FakeSiigo, shared: Shared): Promise<Record<string, unknown>> {
  let site: WordPressSite;
  try {
    site = await startWordPress({ muPlugins: [PLUGIN_TEST_MU_PLUGINS] });
  } catch (error) {
    return { skipped: `no WordPress here: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  }
  let runtime: TestRuntime | undefined;
  try {
    const codes = Array.from({ length: WEBHOOKS }, (_, index) => `SKU${String(index * 7 + 3).padStart(5, '0')}`);
    await site.runPhp(`
      update_option( 'synchub_settings', array( 'worker_url' => 'http://127.0.0.1:9', 'admin_token' => 'bench-admin-token-0123456789abcdef', 'webhook_secret' => ${JSON.stringify(TEST_WEBHOOK_SECRET)} ) );
      foreach ( json_decode( ${JSON.stringify(JSON.stringify(codes))}, true ) as $sku ) {
        WC_Product::create_for_test( array( 'name' => $sku, 'sku' => $sku, 'manage_stock' => true, 'stock_quantity' => 0 ) );
      }
      echo 'ok';
    `);
    runtime = await startTestRuntime({ domains: [createStockDomain], database: shared.database, env: env(siigo, site.url, shared) });
    const rt = runtime;
    siigo.webhooksEnabled = true;
    const setup = await fetch(`${runtime.url}/api/webhooks/setup`, {
      method: 'POST',
      headers: adminHeaders(),
      body: JSON.stringify({ base_url: runtime.url }),
    });
    if (setup.status !== 201) throw new Error(`webhook setup answered ${setup.status}: ${await setup.text()}`);
    // Start from a quiet limiter (after a full sweep the current windows are used up).
    await sleep(limiterFor(LIMIT, WINDOW_MS).duration + 500);

    const latencies: number[] = [];
    const pending: Array<Promise<void>> = [];
    for (const [index, code] of codes.entries()) {
      const quantity = 500 + index;
      pending.push(
        (async () => {
          const sent = Date.now();
          await siigo.setStock(code, quantity);
          const setAt = await waitFor(
            `stock of ${code}`,
            async () => {
              const response = await fetch(`${rt.url}/api/v1/stock/changes?limit=100`, { headers: adminHeaders() });
              const body = (await response.json()) as { items: Array<{ code: string; new_quantity: number; result: string; created_at: string }> };
              const hit = body.items.find((item) => item.code === code && item.new_quantity === quantity && item.result === 'updated');
              return hit ? Date.parse(hit.created_at) : undefined;
            },
            60_000,
          );
          latencies.push(setAt - sent);
        })(),
      );
      await sleep(1_000);
    }
    await Promise.all(pending);
    const check = await site.runPhp(`
      $out = array();
      foreach ( json_decode( ${JSON.stringify(JSON.stringify(codes))}, true ) as $i => $sku ) {
        $p = wc_get_product( wc_get_product_id_by_sku( $sku ) );
        $out[] = $p ? $p->get_stock_quantity() === 500 + $i : false;
      }
      echo count( array_filter( $out ) );
    `);
    const result = {
      endpoint: 'real plugin endpoint (WordPress + test-only WooCommerce doubles, php -S with 4 workers)',
      webhooks: latencies.length,
      rate_per_second: 1,
      p50_ms: percentile(latencies, 50),
      p95_ms: percentile(latencies, 95),
      max_ms: Math.max(...latencies),
      stock_correct_in_wordpress: Number(check.trim()),
    };
    process.stdout.write(`webhook → stock: ${JSON.stringify(result)}\n`);
    return result;
  } finally {
    await runtime?.dispose();
    await site.stop();
  }
}

async function main(): Promise<void> {
  const siigo = new FakeSiigo({ rateLimit: LIMIT, rateWindowMs: WINDOW_MS });
  await siigo.start();
  siigo.seed(PRODUCTS);
  const limiter = limiterFor(LIMIT, WINDOW_MS);
  process.stdout.write(`stock bench: ${PRODUCTS} products, SIIGO limit ${LIMIT}/min, worker limiter ${limiter.max} per ${limiter.duration} ms\n`);
  const shared: Shared = { database: await createTestDatabase('bench'), prefix: uniquePrefix('bench') };
  try {
    const sweepFigures = await sweeps(siigo, shared);
    const webhookFigures = await webhooks(siigo, shared);
    const allCalls = siigo.calls.map((call) => call.at);
    const figures = {
      benchmark: 'stock',
      date: new Date().toISOString(),
      products: PRODUCTS,
      siigo_limit_per_minute: LIMIT,
      worker_limiter: limiter,
      ...sweepFigures,
      webhook_to_stock: webhookFigures,
      siigo_peak_calls_per_sliding_minute: peakPerWindow(allCalls, WINDOW_MS),
      siigo_429_total: siigo.callCount((call) => call.status === 429),
      siigo_calls_total: allCalls.length,
    };
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    const dir = path.resolve(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'stock.json'), `${JSON.stringify(figures, null, 2)}\n`);
  } finally {
    await siigo.stop();
    await shared.database.drop();
    await dropRedisPrefix(shared.prefix);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);

/**
 * Checkout benchmark: `npm run bench -- checkout`.
 *
 * On the real WordPress 6.5.3 + WooCommerce 8.9.1 (the peers folder; skipped with one line when
 * absent), in both order storage modes: Store API checkouts (`GET /cart`, `add-item`, then the
 * timed `POST /checkout`, cash on delivery) with the plugin's worker healthy, down (nothing
 * listens) and hung (accepts connections, never answers), interleaved round by round so the
 * machine's load falls on all three alike. Then the plugin's hook cost per paid order inside the
 * store (bench/checkout-hooks.php): the outbox INSERT alone (target p95 ≤ 1 ms), the whole paid
 * hook, and a bare INSERT of the same payload as the floor. Results: bench/results/checkout.json.
 * BENCH_CHECKOUT_ROUNDS (default 20) and BENCH_CHECKOUT_MODES (`hpos,posts`) narrow it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { startHungServer, startWooHarness } from '../test/e2e/woocommerce/harness';
import { freePort } from '../test/support/worker';
import { storeApiCheckout, wooSkipReason, type StorageMode } from '../test/support/woocommerce';

const ROUNDS = Number(process.env.BENCH_CHECKOUT_ROUNDS ?? 20);
const MODES = (process.env.BENCH_CHECKOUT_MODES ?? 'hpos,posts').split(',') as StorageMode[];
const SCENARIOS = ['healthy', 'down', 'hung'] as const;
type Scenario = (typeof SCENARIOS)[number];

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0) * 10) / 10;
  return {
    n: sorted.length,
    p50_ms: at(0.5),
    p95_ms: at(0.95),
    max_ms: at(1),
    mean_ms: Math.round((sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)) * 10) / 10,
  };
};

async function benchMode(mode: StorageMode) {
  const h = await startWooHarness(mode, 'bench');
  const hung = await startHungServer();
  const downUrl = `http://127.0.0.1:${await freePort()}`;
  try {
    const productId = await h.site.crud<number>('create_simple', { name: `Bench ticket ${mode}`, sku: `BENCH-${mode}`, price: '25.00' });
    const urls: Record<Scenario, string> = { healthy: h.worker.url, down: downUrl, hung: hung.url };
    const times: Record<Scenario, number[]> = { healthy: [], down: [], hung: [] };
    // One warm-up checkout (opcache, first Store API request).
    await storeApiCheckout(h.site, [{ id: productId, quantity: 1 }], { first_name: 'Warm', last_name: 'Up', email: 'warm@example.test' });
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const scenario of SCENARIOS) {
        await h.connect(urls[scenario]);
        const result = await storeApiCheckout(h.site, [{ id: productId, quantity: 2 }], {
          first_name: 'Bench',
          last_name: scenario,
          email: `bench.${scenario}.${round}@example.test`,
        });
        if (result.status !== 200) throw new Error(`${mode} ${scenario}: checkout HTTP ${result.status} ${JSON.stringify(result.body).slice(0, 300)}`);
        times[scenario].push(result.ms);
      }
    }
    await h.connect(h.worker.url);
    const raw = await h.site.runPhp(readFileSync(path.join(__dirname, 'checkout-hooks.php'), 'utf8'), {
      BENCH_CHECKOUT_HOOK_ORDERS: process.env.BENCH_CHECKOUT_HOOK_ORDERS ?? '200',
    });
    const hooks = JSON.parse(raw.slice(raw.lastIndexOf('@@BENCH@@') + '@@BENCH@@'.length)) as Record<string, unknown>;
    const checkout = { healthy: stats(times.healthy), down: stats(times.down), hung: stats(times.hung) };
    return {
      mode,
      checkout,
      hung_minus_healthy_p50_ms: Math.round((checkout.hung.p50_ms - checkout.healthy.p50_ms) * 10) / 10,
      hung_worker_connections_during_checkouts: hung.connections(),
      hooks,
    };
  } finally {
    await hung.close();
    await h.dispose();
  }
}

async function main(): Promise<void> {
  const skip = wooSkipReason();
  if (skip) {
    console.log(`bench checkout: ${skip}`);
    return;
  }
  const loadBefore = os.loadavg()[0] ?? 0;
  const results = [];
  for (const mode of MODES) {
    console.log(`bench checkout: ${mode}…`);
    results.push(await benchMode(mode));
  }
  const report = {
    benchmark: 'checkout',
    description:
      'Store API checkout on the real WordPress 6.5.3 + WooCommerce 8.9.1 with the worker healthy, down and hung (interleaved rounds), and the paid hook cost per order inside the store.',
    measured_at: new Date().toISOString(),
    environment: {
      cpus: os.cpus().length,
      load_average_1m_before: Math.round(loadBefore * 100) / 100,
      load_average_1m_after: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
      node: process.version,
    },
    rounds: ROUNDS,
    targets: { hung_within_ms_of_healthy: 100, outbox_insert_p95_ms: 1 },
    results,
    within_targets: results.every((r) => r.hung_minus_healthy_p50_ms <= 100 && Number((r.hooks.outbox_insert as { p95: number }).p95) <= 1),
  };
  const file = path.join(__dirname, 'results', 'checkout.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report, null, 2));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

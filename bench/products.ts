// npm run bench -- products
// Product events from a separate load process into the worker process on loopback, with 10%
// repeated event ids: accepted/s and latency at intake, then time until every unique event is
// processed, and how many events took effect more than once (must be 0).
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createConnection } from 'mysql2/promise';

import { createTestDatabase, uniquePrefix } from '../test/support/db';
import { startWorker } from '../test/support/worker';
import { runLoad } from './load/run-load';

const UNIQUE = Number(process.env.BENCH_EVENTS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const DUPLICATE_EVERY = 10; // one repeat per 10 unique events = 10% duplicates
const WARMUP = 200;

function productBody(eventId: string, id: number): string {
  return JSON.stringify({
    event_id: eventId,
    event_type: 'product.updated',
    sequence: 1_000_000 + id,
    product: {
      id,
      sku: `SKU-${id}`,
      name: `Stoneware mug ${id}`,
      short_description: 'A sturdy mug.',
      description: '<p>Keeps coffee warm. Dishwasher safe. Hand made in small batches.</p>',
      price: '12.50',
      regular_price: '14.00',
      sale_price: '12.50',
      currency: 'EUR',
      stock_quantity: id % 40,
      stock_status: 'instock',
      categories: [{ id: 3, name: 'Kitchen', slug: 'kitchen' }],
      tags: ['mug', 'ceramic'],
      image: { src: `https://shop.example/img/${id}.jpg` },
      permalink: `https://shop.example/product/mug-${id}/`,
    },
  });
}

async function main(): Promise<void> {
  const database = await createTestDatabase('bench');
  const worker = await startWorker({
    DATABASE_URL: database.url,
    BULLMQ_PREFIX: uniquePrefix('bench'),
    WEBHOOK_SECRET: 'bench-webhook-secret',
    LOG_LEVEL: 'warn',
    PRODUCTS_RATE_LIMIT_PER_MINUTE: '10000000',
    PRODUCTS_CONCURRENCY: process.env.BENCH_JOB_CONCURRENCY ?? '50',
    // BENCH_ROLE=http measures intake alone (no job processing in the worker).
    SYNCHUB_ROLE: process.env.BENCH_ROLE ?? 'all',
    ...(process.env.BENCH_WORKER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS } : {}),
  });
  const sql = await createConnection({ host: '127.0.0.1', user: 'root', database: database.name });
  try {
    const generated = await fetch(`${worker.url}/api/v1/integrations/tokens/generate/`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${worker.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'bench' }),
    });
    const { token } = (await generated.json()) as { token: string };
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'User-Agent': 'sync-hub-bench' };

    const requests: Array<{ headers: Record<string, string>; body: string }> = [];
    const sent: string[] = [];
    for (let i = 0; sent.length < UNIQUE || requests.length % (DUPLICATE_EVERY + 1) !== 0; i += 1) {
      const repeat = requests.length % (DUPLICATE_EVERY + 1) === DUPLICATE_EVERY && sent.length > 0;
      if (!repeat && sent.length >= UNIQUE) break;
      const index = repeat ? Math.floor(Math.random() * sent.length) : sent.length;
      if (!repeat) sent.push(`bench-${index + 1}`);
      requests.push({ headers, body: productBody(sent[index] as string, index + 1) });
    }

    const load = await runLoad({ url: `${worker.url}/api/integrations/woocommerce/webhook/`, concurrency: CONCURRENCY, requests, warmup: WARMUP });
    const accepted = load.statuses['202'] ?? 0;

    // Wait until every unique event has been processed (or 120 s pass).
    const deadline = Date.now() + (process.env.BENCH_ROLE === 'http' ? 0 : 120_000);
    let done = 0;
    while (Date.now() < deadline) {
      const [[row]] = (await sql.query("SELECT COUNT(*) AS n FROM synchub_product_events WHERE status IN ('processed','stale','failed')")) as unknown as [[{ n: number }]];
      done = Number(row.n);
      if (done >= sent.length) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const [[events]] = (await sql.query(
      `SELECT COUNT(*) AS n, COUNT(DISTINCT event_id) AS ids, SUM(status = 'processed') AS processed, SUM(status = 'failed') AS failed,
              SUM(attempts > 1) AS retried, TIMESTAMPDIFF(MICROSECOND, MIN(received_at), MAX(processed_at)) / 1e6 AS e2e_seconds,
              AVG(processing_ms) AS avg_processing_ms
         FROM synchub_product_events`,
    )) as unknown as [[{ n: number; ids: number; processed: string; failed: string; retried: string; e2e_seconds: string; avg_processing_ms: string }]];
    const [[products]] = (await sql.query('SELECT COUNT(*) AS n, SUM(revision) AS applied FROM synchub_products')) as unknown as [[{ n: number; applied: string }]];

    const duplicatesSent = requests.length - sent.length;
    const processed = Number(events.processed);
    const result = {
      benchmark: 'products',
      at: new Date().toISOString(),
      machine: { cores: os.cpus().length, loadavg_1m: +os.loadavg()[0]!.toFixed(2) },
      requests_sent: requests.length,
      unique_events: sent.length,
      duplicates_sent: duplicatesSent,
      concurrency: CONCURRENCY,
      intake: {
        measured_requests: load.sent,
        accepted_202: accepted,
        skipped_200: load.statuses['200'] ?? 0,
        other_statuses: Object.fromEntries(Object.entries(load.statuses).filter(([status]) => status !== '202' && status !== '200')),
        errors: load.errors,
        requests_per_second: Math.round(load.perSecond),
        accepted_per_second: Math.round((accepted / Math.max(1, load.sent)) * load.perSecond),
        latency_ms: { p50: +load.p50.toFixed(2), p95: +load.p95.toFixed(2), p99: +load.p99.toFixed(2), max: +load.max.toFixed(2) },
      },
      processing: {
        events_logged: Number(events.n),
        events_processed: processed,
        events_failed: Number(events.failed),
        events_retried: Number(events.retried),
        end_to_end_seconds: +Number(events.e2e_seconds).toFixed(2),
        avg_processing_ms: +Number(events.avg_processing_ms).toFixed(2),
        products_stored: Number(products.n),
        lost: sent.length - Number(events.ids),
        double_processed: Number(products.applied) - processed,
      },
      targets: { accepted_per_second: 3000, p99_ms: 50, end_to_end_seconds_for_10000: 20, double_processed: 0 },
    };
    const meets =
      result.intake.accepted_per_second >= 3000 &&
      result.intake.latency_ms.p99 <= 50 &&
      result.processing.end_to_end_seconds <= 20 &&
      result.processing.double_processed === 0 &&
      result.processing.lost === 0 &&
      done >= sent.length;
    const out = path.join(__dirname, 'results');
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, 'products.json'), `${JSON.stringify({ ...result, meets_targets: meets }, null, 2)}\n`);
    console.log(JSON.stringify({ ...result, meets_targets: meets }, null, 2));
  } finally {
    await sql.end();
    await worker.stop();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

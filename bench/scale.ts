// npm run bench -- scale
// 1, 2 and 4 worker processes (SYNCHUB_ROLE=all) against one MariaDB and one Redis: a stream of
// product events (10% repeated event ids) is spread over the processes' HTTP ports by as many load
// processes, and every process takes jobs from the shared queues. Reported per process count:
// intake requests/s and p99, events/s from the first received to the last stored, events that
// took effect twice (0), and the events schedule (a tick every EVENTS_TICK_EVERY_MS, one BullMQ
// job scheduler shared through Redis): ticks run vs distinct ticks vs the most the clock allows,
// and which processes ran them. Every figure is on this machine's cores, shared with MariaDB,
// Redis and the load processes; the load average is recorded before and after each run.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createConnection, type Connection } from 'mysql2/promise';

import { createTestDatabase, dropRedisPrefix, uniquePrefix, type TestDatabase } from '../test/support/db';
import { startWorker, type WorkerProcess } from '../test/support/worker';
import { watchCpu } from './load/cpu';
import { runLoad, type LoadResult } from './load/run-load';

const PROCESS_COUNTS = (process.env.BENCH_PROCESSES ?? '1,2,4').split(',').map(Number);
const UNIQUE = Number(process.env.BENCH_EVENTS ?? 5_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const TICK_EVERY_MS = Number(process.env.BENCH_TICK_EVERY_MS ?? 500);
const DUPLICATE_EVERY = 10;

const loadAverage = () => os.loadavg().map((value) => +value.toFixed(2));

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
      permalink: `https://shop.example/product/mug-${id}/`,
    },
  });
}

const workerEnv = (database: TestDatabase, prefix: string): Record<string, string> => ({
  DATABASE_URL: database.url,
  BULLMQ_PREFIX: prefix,
  WEBHOOK_SECRET: 'bench-scale-webhook-secret-0123456789',
  SYNCHUB_ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef',
  LOG_LEVEL: 'warn',
  SYNCHUB_ROLE: 'all',
  PRODUCTS_RATE_LIMIT_PER_MINUTE: '10000000',
  PRODUCTS_CONCURRENCY: process.env.BENCH_JOB_CONCURRENCY ?? '50',
  EVENTS_TICK_EVERY_MS: String(TICK_EVERY_MS),
});

async function count(sql: Connection, query: string): Promise<Record<string, number>> {
  const [[row]] = (await sql.query(query)) as unknown as [[Record<string, string | number | null>]];
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value ?? 0)]));
}

async function waitProcessed(sql: Connection, expected: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { n } = await count(sql, "SELECT COUNT(*) AS n FROM synchub_product_events WHERE status IN ('processed','stale','failed')");
    if ((n ?? 0) >= expected) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function combineLoads(loads: LoadResult[]) {
  const seconds = Math.max(...loads.map((load) => load.seconds));
  const sent = loads.reduce((sum, load) => sum + load.sent, 0);
  const statuses: Record<string, number> = {};
  for (const load of loads) for (const [status, n] of Object.entries(load.statuses)) statuses[status] = (statuses[status] ?? 0) + n;
  return {
    measured_requests: sent,
    statuses,
    errors: loads.reduce((sum, load) => sum + load.errors, 0),
    requests_per_second: Math.round(sent / seconds),
    // Each load process measures its own share: the worst p99 of them is quoted.
    latency_ms: { p50_worst: +Math.max(...loads.map((load) => load.p50)).toFixed(2), p99_worst: +Math.max(...loads.map((load) => load.p99)).toFixed(2) },
    load_processes_cores: +(loads.reduce((sum, load) => sum + load.cpuSeconds, 0) / seconds).toFixed(2),
  };
}

async function runWith(processes: number) {
  const database = await createTestDatabase('scale');
  const prefix = uniquePrefix('scale');
  const workers: WorkerProcess[] = [];
  const sql = await createConnection({ host: '127.0.0.1', user: 'root', database: database.name });
  try {
    const startedAt = Date.now();
    // The first one migrates the schema; the others start together on it.
    workers.push(await startWorker(workerEnv(database, prefix)));
    workers.push(...(await Promise.all(Array.from({ length: processes - 1 }, () => startWorker(workerEnv(database, prefix))))));
    const generated = await fetch(`${workers[0]!.url}/api/v1/integrations/tokens/generate/`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${workers[0]!.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'bench' }),
    });
    const { token } = (await generated.json()) as { token: string };
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'User-Agent': 'sync-hub-bench' };
    const shares: Array<Array<{ headers: Record<string, string>; body: string }>> = workers.map(() => []);
    let unique = 0;
    for (let sent = 0; unique < UNIQUE; sent += 1) {
      const repeat = sent % (DUPLICATE_EVERY + 1) === DUPLICATE_EVERY;
      const index = repeat ? Math.floor(Math.random() * unique) : unique++;
      shares[sent % workers.length]!.push({ headers, body: productBody(`bench-${index + 1}`, index + 1) });
    }
    const loadBefore = loadAverage();
    const cpu = watchCpu(Object.fromEntries(workers.map((worker, i) => [`worker_${i + 1}`, worker.child.pid])));
    const t0 = Date.now();
    const loads = await Promise.all(
      workers.map((worker, i) =>
        runLoad({
          url: `${worker.url}/api/integrations/woocommerce/webhook/`,
          concurrency: Math.max(1, Math.round(CONCURRENCY / workers.length)),
          requests: shares[i]!,
          warmup: 0,
        }),
      ),
    );
    await waitProcessed(sql, unique, 180_000);
    const drainSeconds = (Date.now() - t0) / 1000;
    const cores = cpu.stop(drainSeconds);
    const loadAfter = loadAverage();
    // Let the schedule run a little longer with every process up, then read who ran which tick.
    await new Promise((resolve) => setTimeout(resolve, 3 * TICK_EVERY_MS));
    const windowMs = Date.now() - startedAt;
    const events = await count(
      sql,
      `SELECT COUNT(*) AS n, COUNT(DISTINCT event_id) AS ids, SUM(status = 'processed') AS processed, SUM(status = 'failed') AS failed,
              TIMESTAMPDIFF(MICROSECOND, MIN(received_at), MAX(processed_at)) / 1e6 AS e2e_seconds FROM synchub_product_events`,
    );
    const products = await count(sql, 'SELECT COUNT(*) AS n, COALESCE(SUM(revision), 0) AS applied FROM synchub_products');
    const ticks = await count(
      sql,
      "SELECT COUNT(*) AS n, COUNT(DISTINCT job_id) AS distinct_ticks, COUNT(DISTINCT pid) AS pids FROM synchub_event_schedule_runs WHERE kind = 'tick'",
    );
    const [tickRows] = (await sql.query(
      "SELECT UNIX_TIMESTAMP(ran_at) * 1000 AS at FROM synchub_event_schedule_runs WHERE kind = 'tick' ORDER BY ran_at",
    )) as unknown as [Array<{ at: string }>];
    const times = tickRows.map((row) => Number(row.at));
    const gaps = times.slice(1).map((at, i) => at - (times[i] as number));
    // A scheduler adds its first job at once, then one per interval.
    const mostTicks = Math.floor(windowMs / TICK_EVERY_MS) + 1;
    const e2e = events.e2e_seconds ?? 0;
    return {
      processes: processes,
      machine_cores: os.cpus().length,
      load_average_before: loadBefore,
      load_average_after: loadAfter,
      events_unique: unique,
      intake: combineLoads(loads),
      processing: {
        events_processed: events.processed,
        events_failed: events.failed,
        first_received_to_last_processed_seconds: +e2e.toFixed(2),
        events_per_second: Math.round((events.processed ?? 0) / Math.max(0.001, e2e)),
        lost: unique - (events.ids ?? 0),
        double_processed: (products.applied ?? 0) - (events.processed ?? 0),
      },
      cores_used: cores,
      schedule: {
        every_ms: TICK_EVERY_MS,
        window_seconds: +(windowMs / 1000).toFixed(1),
        ticks_run: ticks.n,
        distinct_ticks: ticks.distinct_ticks,
        most_ticks_the_clock_allows: mostTicks,
        processes_that_ran_ticks: ticks.pids,
        // Two processes running one tick each would show as a gap near 0.
        smallest_gap_between_ticks_ms: gaps.length > 0 ? Math.round(Math.min(...gaps)) : null,
        ran_exactly_once: ticks.n === ticks.distinct_ticks && (ticks.n ?? 0) <= mostTicks && (ticks.n ?? 0) > 0,
      },
    };
  } finally {
    await sql.end();
    await Promise.all(workers.map((worker) => worker.stop()));
    await database.drop();
    await dropRedisPrefix(prefix);
  }
}

async function main(): Promise<void> {
  const runs = [];
  for (const processes of PROCESS_COUNTS) {
    const run = await runWith(processes);
    console.log(
      `${processes} process(es): intake ${run.intake.requests_per_second} req/s (p99 ≤ ${run.intake.latency_ms.p99_worst} ms), ` +
        `${run.processing.events_per_second} events/s stored, double ${run.processing.double_processed}, ` +
        `ticks ${run.schedule.ticks_run}/${run.schedule.distinct_ticks} distinct (≤ ${run.schedule.most_ticks_the_clock_allows}) by ${run.schedule.processes_that_ran_ticks} process(es), load ${run.load_average_before.join(' ')}`,
    );
    runs.push(run);
  }
  const summary = {
    benchmark: 'scale',
    at: new Date().toISOString(),
    machine_cores: os.cpus().length,
    events_unique_per_run: UNIQUE,
    total_load_concurrency: CONCURRENCY,
    runs,
    schedules_ran_exactly_once: runs.every((run) => run.schedule.ran_exactly_once),
    nothing_double_processed: runs.every((run) => run.processing.double_processed === 0 && run.processing.lost === 0),
  };
  const out = path.join(__dirname, 'results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'scale.json'), `${JSON.stringify(summary, null, 2)}\n`);
  console.log(JSON.stringify({ schedules_ran_exactly_once: summary.schedules_ran_exactly_once, nothing_double_processed: summary.nothing_double_processed }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

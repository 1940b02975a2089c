/**
 * Events sync benchmark: `npm run bench -- events`.
 * 100,000 paid orders (~258,000 tickets) + 10% unpaid, HPOS then legacy storage, then HPOS at
 * 10,000 and 300,000 paid orders to show the worker's memory does not grow with the store. Each
 * run measures the first full sync, a re-run with no change (incremental, as scheduled runs do) and
 * a forced full re-scan, and samples the worker process's RSS. One worker process, started with
 * the production V8 flags (WORKER_NODE_FLAGS). Fixture setup time is reported separately, and
 * the sync is timed once the database has written out the fixture (storeSettled).
 * BENCH_EVENTS_RUNS picks the runs (`hpos:100000,legacy:100000`); BENCH_EVENTS_ORDERS and
 * BENCH_EVENTS_STORAGES are a shorthand for quick looks; WOOCOMMERCE_SYNC_BATCH_SIZE the batch
 * size (default here 1000; the worker's default is 100).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { createWooCommerceFixture, type Storage } from '../test/fakes/woocommerce-db/fixture';
import { createTestDatabase, dropRedisPrefix, uniquePrefix } from '../test/support/db';
import { startWorker, WORKER_NODE_FLAGS, type WorkerProcess } from '../test/support/worker';
import { watchCpu } from './load/cpu';
import { eventsStoreSpec, storeSettled } from './load/events-store';

const BATCH = process.env.WOOCOMMERCE_SYNC_BATCH_SIZE ?? '1000';
const BASE = '/api/v1/sync-woocommerce';

interface Execution {
  id: number;
  status: string;
  orders_processed: number;
  new_orders: number;
  new_tickets: number;
  updated_orders: number;
  updated_tickets: number;
  unchanged_orders: number;
  execution_time: string;
  error_message: string | null;
}

function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function call<T>(worker: WorkerProcess, method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(`${worker.url}${route}`, {
    method,
    headers: { Authorization: `Bearer ${worker.adminToken}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as T;
  if (!response.ok) throw new Error(`${method} ${route} → ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** CPU seconds per process during a run, rounded: with the wall time they show which side waited on which. */
const rounded = (seconds: Record<string, number | null>) =>
  Object.fromEntries(Object.entries(seconds).map(([name, value]) => [name, value === null ? null : +value.toFixed(2)]));

async function timedRun(
  worker: WorkerProcess,
  configurationId: number,
  full: boolean,
): Promise<{ seconds: number; execution: Execution; peakRssMb: number; cpuSeconds: Record<string, number | null> }> {
  const pid = worker.child.pid as number;
  let peak = rssMb(pid);
  const cpu = watchCpu({ worker: pid });
  const started = Date.now();
  const execution = await call<Execution>(worker, 'POST', `${BASE}/configurations/${configurationId}/trigger_sync/`, { full });
  for (;;) {
    peak = Math.max(peak, rssMb(pid));
    const current = await call<Execution>(worker, 'GET', `${BASE}/executions/${execution.id}/`);
    if (current.status !== 'running') {
      if (current.status !== 'completed') throw new Error(`run ${current.id} ${current.status}: ${current.error_message}`);
      return { seconds: (Date.now() - started) / 1000, execution: current, peakRssMb: Math.round(peak), cpuSeconds: rounded(cpu.seconds()) };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function benchStorage(storage: Storage, PAID: number) {
  const setupStarted = Date.now();
  const fixture = await createWooCommerceFixture({
    storage,
    label: `bench${storage}${PAID}`,
    spec: eventsStoreSpec(PAID),
  });
  const setupSeconds = (Date.now() - setupStarted) / 1000;
  const settleSeconds = await storeSettled(fixture);
  process.stdout.write(
    `[${storage} ${PAID}] fixture: ${fixture.orders.length} orders, ${fixture.expected.tickets} tickets expected, setup ${setupSeconds.toFixed(1)} s, settled ${settleSeconds.toFixed(1)} s\n`,
  );
  const database = await createTestDatabase('benchev');
  const prefix = uniquePrefix('benchev');
  const worker = await startWorker({
    ...fixture.env,
    DATABASE_URL: database.url,
    BULLMQ_PREFIX: prefix,
    WEBHOOK_SECRET: 'bench-events-webhook-secret-0123456789',
    WOOCOMMERCE_SYNC_BATCH_SIZE: BATCH,
    MIGRATION_MODE: 'true',
    LOG_LEVEL: 'warn',
  });
  try {
    const configuration = await call<{ id: number }>(worker, 'POST', `${BASE}/configurations/`, {
      name: 'Bench',
      woocommerce_product_id: 10,
      event_name: 'Concierto de Año Nuevo',
      organizer_email: 'bench@example.co',
      organizer_name: 'Bench',
      service_fee_percentage: 5,
    });
    const idleRss = Math.round(rssMb(worker.child.pid as number));
    const first = await timedRun(worker, configuration.id, false);
    process.stdout.write(
      `[${storage} ${PAID}] first full sync: ${first.seconds.toFixed(1)} s, ${first.execution.new_orders} orders, ${first.execution.new_tickets} tickets, peak RSS ${first.peakRssMb} MB, CPU s ${JSON.stringify(first.cpuSeconds)}\n`,
    );
    if (first.execution.new_orders !== fixture.expected.paidOrders || first.execution.new_tickets !== fixture.expected.tickets) {
      throw new Error(`[${storage} ${PAID}] wrong result: ${JSON.stringify(first.execution)} vs ${JSON.stringify(fixture.expected)}`);
    }
    const rerun = await timedRun(worker, configuration.id, false);
    process.stdout.write(
      `[${storage} ${PAID}] re-run, no change (incremental): ${rerun.seconds.toFixed(2)} s, writes ${rerun.execution.new_orders + rerun.execution.updated_orders}\n`,
    );
    const fullRerun = await timedRun(worker, configuration.id, true);
    process.stdout.write(
      `[${storage} ${PAID}] re-run, no change (forced full scan): ${fullRerun.seconds.toFixed(1)} s, writes ${fullRerun.execution.new_orders + fullRerun.execution.updated_orders}, not re-read ${fullRerun.execution.unchanged_orders}, CPU s ${JSON.stringify(fullRerun.cpuSeconds)}\n`,
    );
    return {
      storage,
      paid_orders: fixture.expected.paidOrders,
      orders_in_store: fixture.orders.length,
      tickets: fixture.expected.tickets,
      fixture_setup_s: setupSeconds,
      fixture_settle_s: settleSeconds,
      batch_size: Number(BATCH),
      first_full_sync_s: first.seconds,
      first_full_sync_execution_time: first.execution.execution_time,
      first_full_sync_cpu_s: first.cpuSeconds,
      rerun_no_change_incremental_s: rerun.seconds,
      rerun_no_change_full_scan_s: fullRerun.seconds,
      rerun_no_change_full_scan_cpu_s: fullRerun.cpuSeconds,
      rerun_writes: rerun.execution.new_orders + rerun.execution.updated_orders + rerun.execution.new_tickets + rerun.execution.updated_tickets,
      /** Orders the forced re-scan did not re-read (their store fingerprint was unchanged). */
      full_rerun_unchanged_orders: fullRerun.execution.unchanged_orders,
      full_rerun_writes:
        fullRerun.execution.new_orders + fullRerun.execution.updated_orders + fullRerun.execution.new_tickets + fullRerun.execution.updated_tickets,
      worker_rss_idle_mb: idleRss,
      worker_rss_peak_mb: Math.max(first.peakRssMb, rerun.peakRssMb, fullRerun.peakRssMb),
    };
  } finally {
    await worker.stop();
    await database.drop();
    await fixture.drop();
    await dropRedisPrefix(prefix);
  }
}

function plannedRuns(): Array<{ storage: Storage; paid: number }> {
  const isStorage = (name: string): name is Storage => name === 'hpos' || name === 'legacy';
  if (process.env.BENCH_EVENTS_RUNS) {
    return process.env.BENCH_EVENTS_RUNS.split(',').map((run) => {
      const [storage = '', paid = ''] = run.split(':');
      if (!isStorage(storage) || !(Number(paid) > 0)) throw new Error(`BENCH_EVENTS_RUNS: "${run}" is not storage:orders`);
      return { storage, paid: Number(paid) };
    });
  }
  if (process.env.BENCH_EVENTS_ORDERS || process.env.BENCH_EVENTS_STORAGES) {
    const paid = Number(process.env.BENCH_EVENTS_ORDERS ?? 100_000);
    return (process.env.BENCH_EVENTS_STORAGES ?? 'hpos,legacy')
      .split(',')
      .filter(isStorage)
      .map((storage) => ({ storage, paid }));
  }
  return [
    { storage: 'hpos', paid: 100_000 },
    { storage: 'legacy', paid: 100_000 },
    { storage: 'hpos', paid: 10_000 },
    { storage: 'hpos', paid: 300_000 },
  ];
}

async function main(): Promise<void> {
  const results = [];
  for (const run of plannedRuns()) results.push(await benchStorage(run.storage, run.paid));
  // Time targets are for 100k paid orders; the memory target holds at every size.
  const targets = { first_full_sync_100k_s: 10, rerun_no_change_full_scan_100k_s: 5, rerun_no_change_incremental_s: 5, worker_rss_peak_mb: 200 };
  const atScale = results.filter((r) => r.paid_orders === 100_000);
  const os = await import('node:os');
  const report = {
    benchmark: 'events',
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, worker_processes: 1, worker_node_flags: process.env.SYNCHUB_WORKER_NODE_FLAGS ?? WORKER_NODE_FLAGS },
    targets,
    results,
    within_targets: {
      first_full_sync: atScale.every((r) => r.first_full_sync_s <= targets.first_full_sync_100k_s),
      rerun_no_change_full_scan: atScale.every((r) => r.rerun_no_change_full_scan_s <= targets.rerun_no_change_full_scan_100k_s),
      rerun_no_change_incremental: results.every((r) => r.rerun_no_change_incremental_s <= targets.rerun_no_change_incremental_s),
      worker_rss_peak: results.every((r) => r.worker_rss_peak_mb <= targets.worker_rss_peak_mb),
    },
  };
  const file = path.join(__dirname, 'results', 'events.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\nwritten to ${file}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

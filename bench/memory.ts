// npm run bench -- memory
// The worker's resident memory (VmRSS) under two sets of V8 flags: the ones it runs with
// (WORKER_NODE_FLAGS in test/support/worker.ts, scripts/start.sh and the systemd units) and a
// candidate (BENCH_MEMORY_CANDIDATE_FLAGS, by default --optimize-for-size), with the sync time,
// since a smaller heap can cost speed.
//   idle:   the compiled worker (worker/dist, as deployed) started on an empty database, its RSS
//           15 s and 45 s after "listening";
//   events: peak RSS of a first full events sync of N paid orders (HPOS fixture), for each N of
//           BENCH_MEMORY_ORDERS (default 10000,100000), one fixture per N shared by both flag sets.
// The machine's load average is recorded with every figure (other work shares its cores).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createWooCommerceFixture, type WooFixture } from '../test/fakes/woocommerce-db/fixture';
import { createTestDatabase, dropRedisPrefix, uniquePrefix } from '../test/support/db';
import { freePort, startWorker, WORKER_NODE_FLAGS } from '../test/support/worker';
import { eventsStoreSpec } from './load/events-store';

const ROOT = path.resolve(__dirname, '..');
const CANDIDATE_FLAGS = process.env.BENCH_MEMORY_CANDIDATE_FLAGS ?? '--optimize-for-size --min-semi-space-size=16 --max-semi-space-size=64';
const ORDERS = (process.env.BENCH_MEMORY_ORDERS ?? '10000,100000')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const FLAG_SETS = { candidate: CANDIDATE_FLAGS, default: WORKER_NODE_FLAGS };
const BASE = '/api/v1/sync-woocommerce';

const load = () => os.loadavg().map((value) => +value.toFixed(2));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

async function idle(flags: string) {
  const database = await createTestDatabase('memidle');
  const prefix = uniquePrefix('memidle');
  const port = await freePort();
  const child = spawn(process.execPath, [...flags.split(' ').filter(Boolean), path.join(ROOT, 'worker/dist/main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: database.url,
      BULLMQ_PREFIX: prefix,
      SYNCHUB_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'synchub-mem-')),
      SYNCHUB_ADMIN_TOKEN: 'bench-admin-token-0123456789abcdef',
      WEBHOOK_SECRET: 'bench-memory-webhook-secret-0123456789',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    for (let i = 0; i < 300 && !output.includes('listening on'); i += 1) await sleep(100);
    if (!output.includes('listening on')) throw new Error(`worker did not start:\n${output}`);
    await sleep(15_000);
    const at15 = { rss_mb: rssMb(child.pid as number), load_average: load() };
    await sleep(30_000);
    const at45 = { rss_mb: rssMb(child.pid as number), load_average: load() };
    return { after_15_s: at15, after_45_s: at45 };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    await database.drop();
    await dropRedisPrefix(prefix);
  }
}

async function eventsPeak(fixture: WooFixture, flags: string) {
  const database = await createTestDatabase('memev');
  const prefix = uniquePrefix('memev');
  const previous = process.env.SYNCHUB_WORKER_NODE_FLAGS;
  process.env.SYNCHUB_WORKER_NODE_FLAGS = flags;
  const worker = await startWorker({
    ...fixture.env,
    DATABASE_URL: database.url,
    BULLMQ_PREFIX: prefix,
    WEBHOOK_SECRET: 'bench-memory-webhook-secret-0123456789',
    WOOCOMMERCE_SYNC_BATCH_SIZE: '1000',
    MIGRATION_MODE: 'true',
    LOG_LEVEL: 'warn',
  });
  if (previous === undefined) delete process.env.SYNCHUB_WORKER_NODE_FLAGS;
  else process.env.SYNCHUB_WORKER_NODE_FLAGS = previous;
  const headers = { Authorization: `Bearer ${worker.adminToken}`, 'Content-Type': 'application/json' };
  const call = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${worker.url}${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!response.ok) throw new Error(`${method} ${route} → ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  try {
    const configuration = await call<{ id: number }>('POST', `${BASE}/configurations/`, {
      name: 'Memory',
      woocommerce_product_id: 10,
      event_name: 'Concierto',
      organizer_email: 'bench@example.co',
      organizer_name: 'Bench',
      service_fee_percentage: 5,
    });
    const pid = worker.child.pid as number;
    const loadBefore = load();
    const started = Date.now();
    let peak = rssMb(pid);
    const run = await call<{ id: number }>('POST', `${BASE}/configurations/${configuration.id}/trigger_sync/`, { full: false });
    for (;;) {
      peak = Math.max(peak, rssMb(pid));
      const current = await call<{ status: string; new_orders: number; new_tickets: number; error_message: string | null }>(
        'GET',
        `${BASE}/executions/${run.id}/`,
      );
      if (current.status !== 'running') {
        if (current.status !== 'completed' || current.new_orders !== fixture.expected.paidOrders)
          throw new Error(`run ended ${current.status}: ${JSON.stringify(current)}`);
        break;
      }
      await sleep(50);
    }
    return { first_full_sync_s: +((Date.now() - started) / 1000).toFixed(1), peak_rss_mb: peak, load_average_before: loadBefore, load_average_after: load() };
  } finally {
    await worker.stop();
    await database.drop();
    await dropRedisPrefix(prefix);
  }
}

async function main(): Promise<void> {
  execFileSync('npx', ['tsc', '-p', 'worker'], { cwd: ROOT, stdio: 'inherit' });
  const idleResults: Record<string, unknown> = {};
  for (const [name, flags] of Object.entries(FLAG_SETS)) {
    idleResults[name] = { flags, ...(await idle(flags)) };
    console.log(`idle (${name}: ${flags}): ${JSON.stringify(idleResults[name])}`);
  }
  const events = [];
  for (const orders of ORDERS) {
    const fixture = await createWooCommerceFixture({
      storage: 'hpos',
      label: 'mem',
      spec: eventsStoreSpec(orders),
    });
    try {
      const row: Record<string, unknown> = { paid_orders: orders, tickets: fixture.expected.tickets };
      for (const [name, flags] of Object.entries(FLAG_SETS)) {
        row[name] = { flags, ...(await eventsPeak(fixture, flags)) };
        console.log(`events ${orders} (${name}): ${JSON.stringify(row[name])}`);
      }
      events.push(row);
    } finally {
      await fixture.drop();
    }
  }
  const report = {
    benchmark: 'memory',
    at: new Date().toISOString(),
    machine_cores: os.cpus().length,
    targets: { idle_rss_mb: 100, events_peak_rss_mb: 200 },
    idle_compiled_worker: idleResults,
    events_first_full_sync_hpos: events,
  };
  writeFileSync(path.join(__dirname, 'results', 'memory.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log('written to bench/results/memory.json');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

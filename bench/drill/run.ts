// The drill itself (see bench/drill.ts): imported once the drill's MariaDB and Redis are up.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createConnection, type RowDataPacket } from 'mysql2/promise';

import { startFakeEmbeddings } from '../../test/fakes/embeddings/server';
import { startFakeOdoo } from '../../test/fakes/odoo/server';
import { FakeSiigo } from '../../test/fakes/siigo/server';
import { FakeStore } from '../../test/fakes/store/server';
import { createWooCommerceFixture } from '../../test/fakes/woocommerce-db/fixture';
import { TEST_ADMIN_TOKEN, TEST_WEBHOOK_SECRET } from '../../test/support/runtime';
import { pluginHeaders } from '../../test/support/signing';
import { startWorker, type WorkerProcess } from '../../test/support/worker';
import { wcOrder } from '../../test/worker/bookings/fixtures';
import { Gate } from './gate';
import type { OwnMariaDb, OwnRedis } from './services';
import { runOutboxFault } from './outbox';
import { runSoak } from './soak';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

const WORKER_PORTS = [num('DRILL_WORKER_PORT', 18520), num('DRILL_WORKER_PORT', 18520) + 1];
const SKUS = num('DRILL_SKUS', 60);
const PRODUCTS = num('DRILL_PRODUCTS', 40);
const SETTLE_TIMEOUT_MS = num('DRILL_SETTLE_TIMEOUT_MS', 150_000);
const BOOKINGS_EVERY_MS = num('DRILL_BOOKINGS_EVERY_MS', 400);
const PRODUCTS_EVERY_MS = num('DRILL_PRODUCTS_EVERY_MS', 400);
const STOCK_EVERY_MS = num('DRILL_STOCK_EVERY_MS', 1_000);
const DB_USER = 'synchub_drill';
const DB_PASSWORD = 'drill-password-0123';
const DB_NAME = 'synchub_drill_main';
const SECRET_KEY = 'a'.repeat(64);

type Domain = 'events' | 'bookings' | 'products' | 'stock';
const DOMAINS: Domain[] = ['events', 'bookings', 'products', 'stock'];

interface DomainFigures {
  sent: number;
  lost: number;
  duplicated: number | null;
  recovery_seconds: number | null;
  human_action_needed: boolean;
  note?: string;
}

interface PhaseResult {
  fault: string;
  description: string;
  fault_seconds: number;
  domains: Record<Domain, DomainFigures>;
  sender_statuses: Record<string, number>;
  notes: string[];
}

function loadAverage(): number[] {
  return os.loadavg().map((value) => Number(value.toFixed(2)));
}

export async function runDrill({ mariadb, redis }: { mariadb: OwnMariaDb; redis: OwnRedis }): Promise<void> {
  const started = Date.now();
  const loadAtStart = loadAverage();
  const only = process.env.DRILL_FAULTS?.split(',').map((item) => item.trim());
  const root = () => createConnection({ host: '127.0.0.1', port: mariadb.port, user: 'root', database: DB_NAME, connectTimeout: 2_000 });

  // ——— the worker's database user (not root: `read_only` binds it) ———
  {
    const c = await createConnection({ host: '127.0.0.1', port: mariadb.port, user: 'root' });
    await c.query(`CREATE DATABASE ${DB_NAME} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await c.query(`CREATE USER '${DB_USER}'@'127.0.0.1' IDENTIFIED BY '${DB_PASSWORD}'`);
    await c.query(`GRANT ALL ON \`synchub\\_drill\\_%\`.* TO '${DB_USER}'@'127.0.0.1'`);
    await c.end();
  }

  // ——— peers ———
  const fixture = await createWooCommerceFixture({
    storage: 'hpos',
    label: 'drill',
    spec: { paidOrders: num('DRILL_EVENT_ORDERS', 300), unpaidOrders: 30, refundedOrders: 10, ticketPostShare: 0.05, seed: 15 },
  });
  // The store sells in EUR: its Odoo has EUR active (Sync Hub never activates a currency itself).
  const odoo = await startFakeOdoo({ version: 17, activeCurrencies: ['EUR'] });
  const siigo = new FakeSiigo({ rateLimit: 600, rateWindowMs: 60_000 });
  await siigo.start();
  const codes = siigo.seed(SKUS, { quantity: () => 5 }).map((product) => product.code);
  const store = new FakeStore(TEST_WEBHOOK_SECRET);
  await store.start();
  for (const code of codes) store.add(code);
  const embeddings = await startFakeEmbeddings();
  const gates = { odoo: new Gate(new URL(odoo.url)), siigo: new Gate(new URL(siigo.url)), embeddings: new Gate(new URL(embeddings.url)) };
  for (const gate of Object.values(gates)) await gate.open();

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'synchub-drill-'));
  const env: Record<string, string> = {
    ...fixture.env,
    DATABASE_URL: `mysql://${DB_USER}:${DB_PASSWORD}@127.0.0.1:${mariadb.port}/${DB_NAME}`,
    REDIS_URL: redis.url,
    BULLMQ_PREFIX: 'drill',
    WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    SYNCHUB_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    SYNCHUB_SECRET_KEY: SECRET_KEY,
    LOG_LEVEL: 'warn',
    SHUTDOWN_TIMEOUT_MS: '5000',
    INTAKE_SWEEP_AFTER_MS: '3000',
    INTAKE_SWEEP_EVERY_MS: '3000',
    MIGRATION_MODE: 'true',
    WOOCOMMERCE_SYNC_BATCH_SIZE: '25',
    EVENTS_STALE_AFTER_MS: '3000',
    EVENTS_TICK_EVERY_MS: '2000',
    EVENTS_RETRY_DELAY_MS: '500',
    ODOO_URL: gates.odoo.url,
    ODOO_DB: odoo.db,
    ODOO_USERNAME: odoo.login,
    ODOO_API_KEY: odoo.apiKey,
    ODOO_TIMEOUT_MS: '5000',
    BOOKINGS_SWEEP_INTERVAL_MS: '5000',
    BOOKINGS_RETRY_DELAY_MS: '500',
    SIIGO_ENABLED: 'true',
    SIIGO_USERNAME: siigo.options.username,
    SIIGO_ACCESS_KEY: siigo.options.accessKey,
    SIIGO_PARTNER_ID: 'SyncHubDrill',
    SIIGO_API_URL: gates.siigo.url,
    SIIGO_RATE_LIMIT_PER_MINUTE: '600',
    SIIGO_TIMEOUT_MS: '5000',
    SIIGO_BREAKER_COOLDOWN_MS: '2000',
    STORE_URL: store.url,
    STOCK_SWEEP_INTERVAL_MS: '5000',
    STOCK_RETRY_DELAY_MS: '500',
    EMBEDDINGS_URL: gates.embeddings.url,
    EMBEDDINGS_MODEL: 'fake-embedding',
    EMBEDDINGS_TIMEOUT_MS: '5000',
    PRODUCTS_RETRY_DELAY_MS: '500',
    PRODUCTS_SWEEP_AFTER_MS: '3000',
    PRODUCTS_EMBED_PENDING_EVERY_MS: '5000',
    PRODUCTS_RATE_LIMIT_PER_MINUTE: '100000',
  };
  const workers: Array<WorkerProcess | null> = [null, null];
  const startOne = async (index: number) => {
    workers[index] = await startWorker({ ...env, PORT: String(WORKER_PORTS[index]), SYNCHUB_DATA_DIR: path.join(dataDir, `w${index}`) });
  };
  const startAll = () => Promise.all(WORKER_PORTS.map((_, index) => startOne(index)));
  await startAll();
  const w1 = `http://127.0.0.1:${WORKER_PORTS[0]}`;
  const admin = { Authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'Content-Type': 'application/json' };

  const setup = await fetch(`${w1}/api/webhooks/setup`, { method: 'POST', headers: admin, body: JSON.stringify({ base_url: w1 }) });
  if (setup.status !== 201) throw new Error(`SIIGO webhook setup answered ${setup.status}: ${await setup.text()}`);
  const token = (
    (await (await fetch(`${w1}/api/v1/integrations/tokens/generate/`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'drill' }) })).json()) as {
      token: string;
    }
  ).token;
  const configuration = (await (
    await fetch(`${w1}/api/v1/sync-woocommerce/configurations/`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        name: 'Drill',
        woocommerce_product_id: 10,
        event_name: 'Concierto',
        event_description: 'Drill',
        organizer_email: 'eventos@example.co',
        organizer_name: 'Eventos',
        service_fee_percentage: 7.5,
        sync_frequency: 'manual',
      }),
    })
  ).json()) as { id: number };

  // ——— senders: like the plugin's outbox, a sender retries until a 2xx (any worker) ———
  let phase = 'warmup';
  let readOnly = false;
  const statuses = new Map<string, Record<string, number>>();
  const note = (status: string) => {
    const entry = statuses.get(phase) ?? {};
    entry[status] = (entry[status] ?? 0) + 1;
    statuses.set(phase, entry);
  };
  let acceptedWhileReadOnly = 0;
  let rr = 0;
  async function deliver(route: string, request: () => { headers: Record<string, string>; body: string }, intake: boolean): Promise<boolean> {
    for (let attempt = 0; attempt < 400; attempt += 1) {
      const base = `http://127.0.0.1:${WORKER_PORTS[rr++ % WORKER_PORTS.length]}`;
      const { headers, body } = request();
      const wasReadOnly = readOnly;
      try {
        const response = await fetch(`${base}${route}`, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
        await response.arrayBuffer();
        note(String(response.status));
        if (response.status === 202 && wasReadOnly && readOnly && intake) acceptedWhileReadOnly += 1;
        if (response.status >= 200 && response.status < 300) return true;
        if (response.status >= 400 && response.status < 500 && response.status !== 429 && response.status !== 408) return false;
      } catch {
        note('network_error');
      }
      await sleep(Math.min(3_000, 200 * 2 ** Math.min(attempt, 4)));
    }
    return false;
  }

  // ——— what was sent, per phase ———
  const bookings = new Map<number, { phase: string; acked: boolean }>();
  const productEvents = new Map<string, { phase: string; productId: number; seq: number; acked: boolean }>();
  const latestProduct = new Map<number, { seq: number; eventId: string; name: string }>();
  const stockSent = new Map<string, number>();
  const eventsRuns = new Map<string, { executionId: number | null; error?: string }>();
  let nextOrder = 500_000;
  let nextSeq = 1;
  const inFlight = new Set<Promise<unknown>>();
  const track = (promise: Promise<unknown>) => {
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise));
  };

  function sendBooking(): void {
    const resend = bookings.size > 10 && Math.random() < 0.1;
    const id = resend ? 500_000 + Math.floor(Math.random() * (nextOrder - 500_000)) : nextOrder++;
    if (!resend) bookings.set(id, { phase, acked: false });
    const slot = id % 30;
    const order = wcOrder(id, {
      slots: [{ persons: 1 + (slot % 4), start: `2027-01-${String(1 + (slot % 28)).padStart(2, '0')} 10:00`, productId: 40 + (slot % 4) }],
    });
    (order.billing as Record<string, string>).email = `drill${id % 50}@example.com`;
    const body = JSON.stringify(order);
    // A resend repeats the delivery (same event id) half of the time, else is a new event for the same order.
    const eventId = resend && Math.random() < 0.5 ? `drill-order-${id}` : resend ? randomUUID() : `drill-order-${id}`;
    track(
      deliver('/webhook/order', () => ({ headers: pluginHeaders(body, eventId), body }), true).then((ok) => {
        const entry = bookings.get(id);
        if (entry && ok) entry.acked = true;
      }),
    );
  }

  function sendProduct(): void {
    const resend = productEvents.size > 10 && Math.random() < 0.05;
    if (resend) {
      const [eventId, entry] = [...productEvents.entries()][Math.floor(Math.random() * productEvents.size)] as [string, { productId: number; seq: number }];
      const body = JSON.stringify(productBody(eventId, entry.productId, entry.seq));
      track(
        deliver(
          '/api/integrations/woocommerce/webhook/',
          () => ({ headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body }),
          false,
        ),
      );
      return;
    }
    const productId = 1 + Math.floor(Math.random() * PRODUCTS);
    const seq = nextSeq++;
    const eventId = `drill-product-${seq}`;
    productEvents.set(eventId, { phase, productId, seq, acked: false });
    latestProduct.set(productId, { seq, eventId, name: `Product ${productId} v${seq}` });
    const body = JSON.stringify(productBody(eventId, productId, seq));
    track(
      deliver(
        '/api/integrations/woocommerce/webhook/',
        () => ({ headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body }),
        false,
      ).then((ok) => {
        const entry = productEvents.get(eventId);
        if (entry && ok) entry.acked = true;
      }),
    );
  }

  function sendStock(): void {
    const code = codes[Math.floor(Math.random() * codes.length)] as string;
    stockSent.set(phase, (stockSent.get(phase) ?? 0) + 1);
    // SIIGO changes the stock and notifies the worker (W1's URL); a lost notification is the sweep's job.
    track(siigo.setStock(code, Math.floor(Math.random() * 500)).catch(() => undefined));
  }

  async function triggerEventsRun(): Promise<void> {
    for (let attempt = 0; attempt < 60; attempt += 1) {
      try {
        const response = await fetch(`http://127.0.0.1:${WORKER_PORTS[attempt % 2]}/api/v1/sync-woocommerce/configurations/${configuration.id}/trigger_sync/`, {
          method: 'POST',
          headers: admin,
          body: '{}',
          signal: AbortSignal.timeout(10_000),
        });
        const body = (await response.json()) as { id?: number; error?: { code?: string } };
        if (response.status === 202 && body.id) {
          eventsRuns.set(phase, { executionId: body.id });
          return;
        }
        if (body.error?.code === 'already_running') {
          await sleep(1_000);
          continue;
        }
      } catch {
        // a worker down: try the other one
      }
      await sleep(1_000);
    }
    eventsRuns.set(phase, { executionId: null, error: 'could not start a run' });
  }

  let loadOn = false;
  const loops: Array<Promise<void>> = [];
  const loop = async (every: number, send: () => void) => {
    while (loadOn) {
      send();
      await sleep(every);
    }
  };
  function startLoad(): void {
    loadOn = true;
    loops.push(loop(BOOKINGS_EVERY_MS, sendBooking), loop(PRODUCTS_EVERY_MS, sendProduct), loop(STOCK_EVERY_MS, sendStock));
  }
  async function stopLoad(): Promise<void> {
    loadOn = false;
    await Promise.all(loops.splice(0));
  }

  // ——— checks ———
  async function query<T extends RowDataPacket>(sql: string, params: unknown[] = []): Promise<T[] | null> {
    try {
      const c = await root();
      try {
        const [rows] = await c.query<T[]>(sql, params);
        return rows;
      } finally {
        await c.end();
      }
    } catch {
      return null;
    }
  }

  function saleOrdersByRef(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const row of odoo.orm.rows('sale.order')) {
      const ref = String(row.client_order_ref);
      counts.set(ref, (counts.get(ref) ?? 0) + 1);
    }
    return counts;
  }

  async function domainState(
    domain: Domain,
    forPhase: string,
  ): Promise<{ done: boolean; sent: number; lost: number; duplicated: number | null; note?: string }> {
    if (domain === 'bookings') {
      const orders = [...bookings.entries()].filter(([, entry]) => entry.phase === forPhase);
      const refs = saleOrdersByRef();
      const lost = orders.filter(([id, entry]) => !entry.acked || !refs.has(`WC-${id}`)).length;
      const duplicated = orders.reduce((sum, [id]) => sum + Math.max(0, (refs.get(`WC-${id}`) ?? 0) - 1), 0);
      return { done: lost === 0 && inFlightFor() === 0, sent: orders.length, lost, duplicated };
    }
    if (domain === 'products') {
      const events = [...productEvents.entries()].filter(([, entry]) => entry.phase === forPhase);
      const rows = await query<RowDataPacket>(
        'SELECT event_id, status, COUNT(*) AS n FROM synchub_product_events WHERE event_id LIKE ? GROUP BY event_id, status',
        ['drill-product-%'],
      );
      if (!rows) return { done: false, sent: events.length, lost: events.length, duplicated: null, note: 'database unreachable' };
      const byId = new Map<string, { status: string; n: number }>();
      for (const row of rows) byId.set(String(row.event_id), { status: String(row.status), n: Number(row.n) });
      const lostEvents = events.filter(([eventId, entry]) => !entry.acked || !['processed', 'stale'].includes(byId.get(eventId)?.status ?? ''));
      const duplicated = events.reduce((sum, [eventId]) => sum + Math.max(0, (byId.get(eventId)?.n ?? 0) - 1), 0);
      // Latest edit wins for every product this phase touched, and its embedding is done.
      const touched = [...new Set(events.map(([, entry]) => entry.productId))];
      const products = await query<RowDataPacket>('SELECT woo_id, name, last_event_id, needs_embedding FROM synchub_products');
      const byProduct = new Map((products ?? []).map((row) => [Number(row.woo_id), row]));
      const notLatest = touched.filter((id) => {
        const row = byProduct.get(id);
        const latest = latestProduct.get(id);
        return !row || !latest || row.name !== latest.name || row.last_event_id !== latest.eventId || Number(row.needs_embedding) !== 0;
      });
      return {
        done: lostEvents.length === 0 && notLatest.length === 0,
        sent: events.length,
        lost: lostEvents.length,
        duplicated,
        note: notLatest.length > 0 ? `${notLatest.length} products not at their latest edit (or not embedded)` : undefined,
      };
    }
    if (domain === 'stock') {
      const wrong = codes.filter((code) => store.stockOf(code) !== siigo.product(code)?.available_quantity);
      return {
        done: wrong.length === 0,
        sent: stockSent.get(forPhase) ?? 0,
        lost: wrong.length,
        duplicated: null,
        note: 'lost = SKUs whose WooCommerce stock differs from SIIGO; duplicates do not apply (levels are set, not added)',
      };
    }
    // events: the run started in this phase completed, and every paid order has exactly its tickets.
    const run = eventsRuns.get(forPhase);
    const execution = run?.executionId
      ? await query<RowDataPacket>('SELECT status, orders_processed FROM synchub_event_executions WHERE id = ?', [run.executionId])
      : null;
    const counts = await query<RowDataPacket>(
      `SELECT (SELECT COUNT(*) FROM synchub_event_ticket_orders) AS orders, (SELECT COUNT(DISTINCT woocommerce_order_id) FROM synchub_event_ticket_orders) AS distinct_orders,
              (SELECT COUNT(*) FROM synchub_event_tickets) AS tickets, (SELECT COUNT(DISTINCT woocommerce_order_item_id, sequence) FROM synchub_event_tickets) AS distinct_tickets`,
    );
    const c = counts?.[0];
    const status = execution?.[0]?.status as string | undefined;
    const sent = fixture.expected.paidOrders;
    if (!c) return { done: false, sent, lost: sent, duplicated: null, note: 'database unreachable' };
    const lost = Math.max(0, fixture.expected.paidOrders - Number(c.distinct_orders)) + Math.max(0, fixture.expected.tickets - Number(c.distinct_tickets));
    const duplicated = Number(c.orders) - Number(c.distinct_orders) + (Number(c.tickets) - Number(c.distinct_tickets));
    return {
      done: status === 'completed' && lost === 0,
      sent,
      lost,
      duplicated,
      note: `sync run ${run?.executionId ?? 'not started'}: ${status ?? run?.error ?? 'unknown'}; sent = paid orders the run reads (tickets expected ${fixture.expected.tickets})`,
    };
  }
  const inFlightFor = () => inFlight.size;

  /** Why a domain did not settle: the rows behind what was lost (printed, for the drill's reader). */
  async function diagnose(forPhase: string): Promise<Record<string, unknown>> {
    const refs = saleOrdersByRef();
    const lostOrders = [...bookings.entries()]
      .filter(([id, entry]) => entry.phase === forPhase && (!entry.acked || !refs.has(`WC-${id}`)))
      .map(([id]) => id)
      .slice(0, 20);
    const inbound = lostOrders.length
      ? await query<RowDataPacket>('SELECT resource_id, status, attempts, last_error FROM synchub_inbound_events WHERE resource_id IN (?)', [
          lostOrders.map(String),
        ])
      : [];
    const orders = lostOrders.length
      ? await query<RowDataPacket>('SELECT wc_order_id, status, attempts, last_error FROM synchub_bookings_orders WHERE wc_order_id IN (?)', [lostOrders])
      : [];
    const wrongSkus = codes
      .filter((code) => store.stockOf(code) !== siigo.product(code)?.available_quantity)
      .slice(0, 10)
      .map((code) => ({ code, woo: store.stockOf(code), siigo: siigo.product(code)?.available_quantity }));
    const stockState = await query<RowDataPacket>('SELECT * FROM synchub_stock_changes ORDER BY id DESC LIMIT 5').catch(() => null);
    const lostProductEvents = [...productEvents.entries()].filter(([, entry]) => entry.phase === forPhase).map(([eventId]) => eventId);
    const productRows = lostProductEvents.length
      ? await query<RowDataPacket>(
          "SELECT event_id, status, attempts, error FROM synchub_product_events WHERE event_id IN (?) AND status NOT IN ('processed', 'stale') LIMIT 10",
          [lostProductEvents],
        )
      : [];
    const productsBehind = await query<RowDataPacket>(
      'SELECT woo_id, name, last_event_id, needs_embedding FROM synchub_products WHERE needs_embedding = 1 LIMIT 5',
    );
    return {
      productRows,
      productsBehind,
      lostOrders,
      acked: lostOrders.map((id) => bookings.get(id)?.acked),
      inbound,
      orders,
      wrongSkus,
      stockState,
      storeRequests: store.requests.length,
      storeRejected: store.rejected,
    };
  }

  async function settle(forPhase: string, faultEnded: number): Promise<Record<Domain, DomainFigures>> {
    const recovered = new Map<Domain, number>();
    const deadline = faultEnded + SETTLE_TIMEOUT_MS;
    let last = new Map<Domain, Awaited<ReturnType<typeof domainState>>>();
    for (;;) {
      last = new Map();
      for (const domain of DOMAINS) {
        const state = await domainState(domain, forPhase);
        last.set(domain, state);
        if (state.done && !recovered.has(domain)) recovered.set(domain, Date.now());
      }
      if (recovered.size === DOMAINS.length || Date.now() > deadline) break;
      await sleep(1_000);
    }
    if (recovered.size < DOMAINS.length) process.stdout.write(`[drill] ${forPhase} not settled: ${JSON.stringify(await diagnose(forPhase))}\n`);
    const figures = {} as Record<Domain, DomainFigures>;
    for (const domain of DOMAINS) {
      const state = last.get(domain) as Awaited<ReturnType<typeof domainState>>;
      const at = recovered.get(domain);
      figures[domain] = {
        sent: state.sent,
        lost: state.lost,
        duplicated: state.duplicated,
        recovery_seconds: at === undefined ? null : Number((Math.max(0, at - faultEnded) / 1000).toFixed(1)),
        // Nothing here is ever repaired by the drill: not settled by itself in time = someone must act.
        human_action_needed: at === undefined,
        ...(state.note ? { note: state.note } : {}),
      };
    }
    return figures;
  }

  // ——— faults ———
  const killAll = async () => {
    await Promise.all(workers.map((worker) => worker?.kill()));
  };
  interface Fault {
    name: string;
    description: string;
    run(notes: string[]): Promise<void>;
  }
  const faults: Fault[] = [
    {
      name: '1-kill9',
      description: 'kill -9 of every worker process at random moments (6 times), restarted after 2–4 s',
      async run(notes) {
        for (let round = 0; round < 6; round += 1) {
          await sleep(3_000 + Math.random() * 5_000);
          await killAll();
          await sleep(2_000 + Math.random() * 2_000);
          await startAll();
        }
        notes.push('both worker processes SIGKILLed together each round');
      },
    },
    {
      name: '2-redis-lost',
      description: 'Redis (no persistence) killed and restarted empty: every queue, schedule, lock and limiter lost',
      async run() {
        await sleep(4_000);
        await redis.kill();
        await sleep(3_000);
        await redis.start();
        await sleep(10_000);
      },
    },
    {
      name: '3-mariadb-restart',
      description: 'the worker MariaDB crashed (SIGKILL) while batches are written, restarted after 3 s (InnoDB crash recovery)',
      async run() {
        await sleep(4_000);
        await mariadb.crash();
        await sleep(3_000);
        await mariadb.start();
        await sleep(8_000);
      },
    },
    {
      name: '7-mysql-refuses-writes',
      description: "SET GLOBAL read_only=ON for 20 s (the worker's user has no READ ONLY ADMIN): intake must answer 503, never 202",
      async run(notes) {
        await sleep(3_000);
        const c = await createConnection({ host: '127.0.0.1', port: mariadb.port, user: 'root' });
        await c.query('SET GLOBAL read_only = ON');
        readOnly = true;
        await sleep(20_000);
        readOnly = false;
        await c.query('SET GLOBAL read_only = OFF');
        await c.end();
        notes.push(`202 answers to intake while MySQL refused writes: ${acceptedWhileReadOnly}`);
      },
    },
    {
      name: '4-peers-down',
      description: `Odoo, SIIGO and the embeddings endpoint unreachable (connection refused) for ${num('DRILL_OUTAGE_MS', 60_000) / 1000} s (compressed long outage, longer than every retry budget), then back`,
      async run() {
        await sleep(3_000);
        for (const gate of Object.values(gates)) await gate.close();
        await sleep(num('DRILL_OUTAGE_MS', 60_000));
        for (const gate of Object.values(gates)) await gate.open();
      },
    },
    {
      name: '5-siigo-429',
      description: 'SIIGO answers 429 requests_limit to most calls for 90 s (its sliding window cut to 4 calls/min)',
      async run(notes) {
        await sleep(2_000);
        const before = siigo.callCount((call) => call.status === 429);
        const calls = siigo.calls.length;
        siigo.options.rateLimit = 4;
        await sleep(num('DRILL_429_MS', 90_000));
        siigo.options.rateLimit = 600;
        notes.push(`SIIGO calls during the storm: ${siigo.calls.length - calls}, answered 429: ${siigo.callCount((call) => call.status === 429) - before}`);
      },
    },
  ];

  const results: PhaseResult[] = [];
  startLoad();
  await sleep(3_000);
  for (const fault of faults) {
    if (only && !only.some((name) => fault.name.startsWith(name))) continue;
    phase = fault.name;
    process.stdout.write(`[drill] ${new Date().toISOString()} fault ${fault.name}: ${fault.description}\n`);
    const notes: string[] = [];
    void triggerEventsRun();
    const faultStarted = Date.now();
    await fault.run(notes);
    const faultEnded = Date.now();
    // Load runs a little past the fault, then stops so this phase's figures can settle.
    await sleep(2_000);
    await stopLoad();
    const figures = await settle(fault.name, faultEnded);
    const result: PhaseResult = {
      fault: fault.name,
      description: fault.description,
      fault_seconds: Number(((faultEnded - faultStarted) / 1000).toFixed(1)),
      domains: figures,
      sender_statuses: statuses.get(fault.name) ?? {},
      notes,
    };
    results.push(result);
    process.stdout.write(`[drill] ${fault.name}: ${JSON.stringify(figures)}\n`);
    startLoad();
  }
  await stopLoad();
  while (inFlight.size > 0) await Promise.race([...inFlight]);

  // ——— fault 6: the worker unreachable from WordPress (the plugin's outbox, injected clock) ———
  let outbox: Record<string, unknown> = { skipped: 'not selected (DRILL_FAULTS)' };
  if (!only || only.some((name) => '6-outbox'.startsWith(name))) {
    process.stdout.write(
      `[drill] ${new Date().toISOString()} fault 6-outbox: worker unreachable from WordPress for an hour of outbox time, then past the 48-hour give-up\n`,
    );
    outbox = await runOutboxFault({
      workerUrl: w1,
      unreachableUrl: 'http://127.0.0.1:18599',
      webhookSecret: TEST_WEBHOOK_SECRET,
      adminToken: TEST_ADMIN_TOKEN,
      inboundCount: async (eventId) => {
        const rows = await query<RowDataPacket>('SELECT COUNT(*) AS n FROM synchub_inbound_events WHERE event_id = ?', [eventId]);
        return rows ? Number(rows[0]?.n) : null;
      },
    }).catch((error: unknown) => ({ error: error instanceof Error ? error.message.slice(0, 2_000) : String(error) }));
    process.stdout.write(`[drill] 6-outbox: ${JSON.stringify(outbox)}\n`);
  }

  // ——— end to end, after everything ———
  const finalPhase = 'final';
  phase = finalPhase;
  await triggerEventsRun();
  const finalStarted = Date.now();
  const allBookings = [...bookings.keys()];
  for (const entry of bookings.values()) entry.phase = finalPhase;
  for (const entry of productEvents.values()) entry.phase = finalPhase;
  const final = await settle(finalPhase, finalStarted);
  const refs = saleOrdersByRef();
  const endToEnd = {
    paid_orders_with_exactly_their_tickets: final.events.lost === 0 && final.events.duplicated === 0,
    one_odoo_sale_order_per_booking_order: allBookings.every((id) => refs.get(`WC-${id}`) === 1),
    booking_orders: allBookings.length,
    odoo_sale_orders: odoo.orm.rows('sale.order').length,
    woocommerce_stock_equals_siigo_for_every_sku: final.stock.lost === 0,
    skus: codes.length,
    product_events_applied_once_latest_wins: final.products.lost === 0 && final.products.duplicated === 0 && !final.products.note,
    product_events: productEvents.size,
    figures: final,
  };
  process.stdout.write(`[drill] end to end: ${JSON.stringify(endToEnd)}\n`);
  const loadAfterFaults = loadAverage();

  // ——— soak ———
  let soak: Record<string, unknown> = { skipped: 'DRILL_SOAK_MS=0' };
  if (num('DRILL_SOAK_MS', 600_000) > 0) {
    soak = await runSoak({ url: w1, pid: () => workers[0]?.child.pid, durationMs: num('DRILL_SOAK_MS', 600_000) });
  }

  await Promise.all(workers.map((worker) => worker?.stop()));
  for (const gate of Object.values(gates)) await gate.close();
  await odoo.close();
  await siigo.stop();
  await store.stop();
  await embeddings.close();
  await fixture.close().catch(() => undefined);

  const table: Array<Record<string, unknown>> = results.flatMap((result) =>
    DOMAINS.map((domain) => ({ fault: result.fault, domain, ...result.domains[domain] })),
  );
  const hour = outbox.hour_outage as { sent: number; lost: number; duplicated: number; human_action_needed: boolean } | undefined;
  const late = outbox.give_up_after_48_hours as { sent: number; given_up: number; human_action_needed: boolean; note: string } | undefined;
  if (hour)
    table.push({
      fault: '6-outbox-hour-unreachable',
      domain: 'orders (plugin outbox → intake)',
      sent: hour.sent,
      lost: hour.lost,
      duplicated: hour.duplicated,
      recovery_seconds: null,
      recovery: 'next due attempt after the outage (outbox clock)',
      human_action_needed: hour.human_action_needed,
    });
  if (late)
    table.push({
      fault: '6-outbox-past-48h',
      domain: 'orders (plugin outbox → intake)',
      sent: late.sent,
      lost: late.given_up,
      duplicated: 0,
      recovery_seconds: null,
      human_action_needed: late.human_action_needed,
      note: late.note,
    });
  const output = {
    benchmark: 'drill',
    at: new Date().toISOString(),
    total_seconds: Math.round((Date.now() - started) / 1000),
    machine: {
      cores: os.cpus().length,
      load_average_at_start: loadAtStart,
      load_average_after_faults: loadAfterFaults,
      load_average_at_end: loadAverage(),
      ...(process.env.DRILL_MACHINE_NOTE ? { note: process.env.DRILL_MACHINE_NOTE } : {}),
    },
    setup: {
      worker_processes: WORKER_PORTS.length,
      load: {
        bookings_webhooks_per_second: 1000 / BOOKINGS_EVERY_MS,
        product_events_per_second: 1000 / PRODUCTS_EVERY_MS,
        siigo_stock_changes_per_second: 1000 / STOCK_EVERY_MS,
        events_sync_runs: 'one per fault over the fixture',
      },
      skus: SKUS,
      products: PRODUCTS,
      event_paid_orders: fixture.expected.paidOrders,
      compressed_time: 'retry bases 500 ms, sweeps every 3–5 s; BullMQ backoff and the sweepers are the production code',
    },
    goal: 'lost 0, duplicated 0, no human action',
    table,
    phases: results,
    end_to_end: endToEnd,
    fault_6_outbox: outbox,
    soak,
  };
  const dir = path.resolve(__dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, process.env.DRILL_RESULTS_FILE ?? 'drill.json'), `${JSON.stringify(output, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify({ table, end_to_end: { ...endToEnd, figures: undefined }, soak }, null, 2)}\n`);
}

function productBody(eventId: string, productId: number, seq: number): Record<string, unknown> {
  return {
    event_id: eventId,
    event_type: 'product.updated',
    sequence: seq,
    product: {
      id: productId,
      sku: `DRILL-${productId}`,
      name: `Product ${productId} v${seq}`,
      short_description: 'Drill product.',
      description: `<p>Edit ${seq} of product ${productId}.</p>`,
      price: '10.00',
      regular_price: '10.00',
      currency: 'EUR',
      stock_quantity: seq % 20,
      stock_status: 'instock',
      categories: ['Drill'],
      tags: ['drill'],
    },
  };
}

/**
 * The floor under an events sync: `npm run bench -- events-floor`.
 * What MariaDB spends on the rows a first sync and a forced re-scan of 100,000 paid orders must
 * read and write, and what this process spends reading, fingerprinting and mapping them and
 * building the statements, with no worker, queue or run bookkeeping in between. On a machine where
 * the store, our database and the worker share the cores, no sync finishes before that CPU has
 * been spent, so the figures of bench/events.ts read against it:
 *   id_stream:    the sync's streamed read of the matching order ids (OrderSource.streamOrderIds);
 *   load_reads:   every page of 1,000 orders loaded as a first sync loads it (loadOrders, with
 *                 fingerprints) and mapped (mapOrder), two at a time as the sync's page reads
 *                 go (its third store connection carries the id stream);
 *   rescan_reads: every page fingerprinted in the store as a forced re-scan does (fingerprintOrders),
 *                 two at a time;
 *   write_statements_built: the INSERT statements of the orders and tickets a first sync writes:
 *                 full chunks of 500 rows as prepared statements and their values, the shorter last
 *                 chunk as text, as insertRows builds them;
 *   writes:       those statements, one transaction per 1,000 orders, as applyBatch sends them, on
 *                 one connection.
 * CPU seconds are read from /proc per process. BENCH_EVENTS_FLOOR_STORAGES picks the storages
 * (default `hpos,legacy`), BENCH_EVENTS_FLOOR_ORDERS the paid orders (default 100000).
 */
import os from 'node:os';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { createConnection, format, type ExecuteValues } from 'mysql2/promise';

import { WooCommerceDb } from '../worker/src/connectors/woocommerce-db/client';
import { wooDbConfigSchema } from '../worker/src/connectors/woocommerce-db/config';
import { openDatabase } from '../worker/src/core/db';
import { INSERT_CHUNK_ROWS, insertStatement } from '../worker/src/core/db/insert-rows';
import { migrateToLatest } from '../worker/src/core/db/migrate';
import { EVENTS_MIGRATIONS } from '../worker/src/events/migrations';
import { fingerprintSeed, mapOrder, type DesiredOrder } from '../worker/src/events/rules';
import { ORDER_COLUMNS, TICKET_COLUMNS } from '../worker/src/events/sync/tickets';
import { createWooCommerceFixture, type Storage } from '../test/fakes/woocommerce-db/fixture';
import { createTestDatabase } from '../test/support/db';
import { watchCpu } from './load/cpu';
import { eventsStoreSpec, storeSettled } from './load/events-store';

const PAGE = 1000;
/** Page reads at once, as a sync's (see STORE_CONNECTIONS in worker/src/events/index.ts). */
const PAGE_READS = 2;
const PAID = Number(process.env.BENCH_EVENTS_FLOOR_ORDERS ?? 100_000);
const RULES = { paidStatuses: ['wc-completed', 'wc-processing'], serviceFeePercentage: 5 };

interface Measure {
  wall_s: number;
  mariadb_cpu_s: number;
  bench_process_cpu_s: number;
}

async function measured(work: () => Promise<void>): Promise<Measure> {
  const cpu = watchCpu({ bench: process.pid });
  const started = Date.now();
  await work();
  const seconds = cpu.seconds();
  return {
    wall_s: +((Date.now() - started) / 1000).toFixed(2),
    mariadb_cpu_s: +(seconds.mariadb ?? 0).toFixed(2),
    bench_process_cpu_s: +(seconds.bench ?? 0).toFixed(2),
  };
}

/** Pages taken `width` at a time, in order. */
async function eachPage(pages: number[][], width: number, work: (page: number[], index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < pages.length) {
        const index = next++;
        await work(pages[index] as number[], index);
      }
    }),
  );
}

const datetime = (iso: string | null): string | null => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 23)}` : null);

/** A prepared statement and its values (a full chunk), or text (the shorter last chunk). */
type Statement = { sql: string; values: unknown[] } | string;

/** The INSERT statements a first sync sends for these mapped orders, page by page: applyBatch's columns and statement text, its rows' values. */
function writeStatements(desired: DesiredOrder[][]): Statement[][] {
  let orderRowId = 0;
  const statementsOf = (table: string, columns: readonly string[], rows: Array<Record<string, string | number | null>>): Statement[] => {
    const statements: Statement[] = [];
    for (let start = 0; start < rows.length; start += INSERT_CHUNK_ROWS) {
      const chunk = rows.slice(start, start + INSERT_CHUNK_ROWS);
      const sql = insertStatement(table, columns, chunk.length);
      const values = chunk.flatMap((row) => columns.map((column) => row[column]));
      statements.push(chunk.length === INSERT_CHUNK_ROWS ? { sql, values } : format(sql, values));
    }
    return statements;
  };
  return desired.map((page) => {
    const active = page.filter((order) => order.status === 'active');
    const orders = active.map((order) => ({
      configuration_id: 1,
      event_id: 1,
      woocommerce_order_id: order.wooOrderId,
      status: order.status,
      source_status: order.sourceStatus,
      currency: order.currency,
      subtotal: order.subtotal,
      tax: order.tax,
      service_fee: order.serviceFee,
      total: order.total,
      buyer_name: order.buyerName,
      buyer_email: order.buyerEmail,
      ordered_at: datetime(order.orderedAt),
      paid_at: datetime(order.paidAt),
      content_hash: order.hash,
      source_fingerprint: order.sourceFingerprint ?? null,
      ticket_count: order.tickets.length,
    }));
    const tickets = active.flatMap((order) => {
      orderRowId += 1;
      return order.tickets.map((ticket) => ({
        ticket_order_id: orderRowId,
        event_id: 1,
        tier_id: 1,
        woocommerce_order_item_id: ticket.itemId,
        sequence: ticket.sequence,
        attendee_name: ticket.attendeeName,
        attendee_email: ticket.attendeeEmail,
        price: ticket.price,
        service_fee: ticket.serviceFee,
        status: 'valid',
        issued_at: datetime(ticket.issuedAt),
        notify_state: 'skipped',
      }));
    });
    return [...statementsOf('synchub_event_ticket_orders', ORDER_COLUMNS, orders), ...statementsOf('synchub_event_tickets', TICKET_COLUMNS, tickets)];
  });
}

async function floorOf(storage: Storage) {
  const fixture = await createWooCommerceFixture({
    storage,
    label: `floor${storage}`,
    spec: eventsStoreSpec(PAID),
  });
  const database = await createTestDatabase('benchfloor');
  const woo = new WooCommerceDb(
    wooDbConfigSchema.parse({
      host: fixture.env.WOOCOMMERCE_MYSQL_HOST,
      port: fixture.env.WOOCOMMERCE_MYSQL_PORT,
      user: fixture.env.WOOCOMMERCE_MYSQL_USERNAME,
      password: fixture.env.WOOCOMMERCE_MYSQL_PASSWORD,
      database: fixture.database,
    }),
    PAGE_READS + 1,
  );
  try {
    // As bench/events.ts: timed once InnoDB has written out the freshly loaded fixture.
    await storeSettled(fixture);
    const source = await woo.source();
    const productIds = (await woo.findProduct(10)).map((product) => product.id);
    const seed = fingerprintSeed(RULES, productIds, (await woo.storeInfo()).timezone);
    const ids: number[] = [];
    const idStream = await measured(async () => {
      await source.streamOrderIds({ productIds, afterId: 0 }, (chunk) => {
        for (const id of chunk) ids.push(id);
      });
    });
    const pages: number[][] = [];
    for (let start = 0; start < ids.length; start += PAGE) pages.push(ids.slice(start, start + PAGE));
    const desired: DesiredOrder[][] = new Array(pages.length);
    const loadReads = await measured(() =>
      eachPage(pages, PAGE_READS, async (page, index) => {
        const orders = await source.loadOrders(page, productIds, seed);
        desired[index] = orders.map((order) => ({ ...mapOrder(order, RULES), sourceFingerprint: order.fingerprint ?? null }));
      }),
    );
    const rescanReads = await measured(() =>
      eachPage(pages, PAGE_READS, async (page) => {
        await source.fingerprintOrders(page, seed);
      }),
    );
    const handle = openDatabase(database.url, 1);
    await migrateToLatest(handle.db, [EVENTS_MIGRATIONS]);
    await handle.db.destroy();
    let statements: Statement[][] = [];
    const buildStatements = await measured(async () => {
      statements = writeStatements(desired);
    });
    const tickets = desired.flat().reduce((sum, order) => sum + (order.status === 'active' ? order.tickets.length : 0), 0);
    const connection = await createConnection(database.url);
    let writes: Measure;
    try {
      writes = await measured(async () => {
        for (const page of statements) {
          await connection.query('BEGIN');
          for (const statement of page) {
            if (typeof statement === 'string') await connection.query(statement);
            else await connection.execute(statement.sql, statement.values as ExecuteValues);
          }
          await connection.query('COMMIT');
        }
      });
    } finally {
      await connection.end();
    }
    const cores = os.cpus().length;
    const firstSyncCpu = idStream.mariadb_cpu_s + loadReads.mariadb_cpu_s + writes.mariadb_cpu_s;
    const rescanCpu = idStream.mariadb_cpu_s + rescanReads.mariadb_cpu_s;
    // This process's side of the same work: reading the rows, fingerprinting and mapping them, building the statements.
    const firstSyncClientCpu = idStream.bench_process_cpu_s + loadReads.bench_process_cpu_s + buildStatements.bench_process_cpu_s + writes.bench_process_cpu_s;
    const rescanClientCpu = idStream.bench_process_cpu_s + rescanReads.bench_process_cpu_s;
    const result = {
      storage,
      paid_orders: fixture.expected.paidOrders,
      orders_in_store: fixture.orders.length,
      tickets_written: tickets,
      id_stream: idStream,
      load_reads: loadReads,
      rescan_reads: rescanReads,
      write_statements_built: buildStatements,
      writes,
      /** MariaDB's CPU for a first sync's reads and writes, spread over every core: no first sync on this machine is faster. */
      first_sync_mariadb_floor_s: +(firstSyncCpu / cores).toFixed(2),
      /** The writes run one transaction after another on one connection: their wall time is a floor too. */
      first_sync_write_wall_s: writes.wall_s,
      rescan_mariadb_floor_s: +(rescanCpu / cores).toFixed(2),
      /**
       * MariaDB's and this process's CPU together, spread over every core: a worker doing no more than
       * this process did (no queue, no run bookkeeping, a heap left to grow) could not finish sooner.
       */
      first_sync_cpu_floor_s: +((firstSyncCpu + firstSyncClientCpu) / cores).toFixed(2),
      rescan_cpu_floor_s: +((rescanCpu + rescanClientCpu) / cores).toFixed(2),
    };
    process.stdout.write(`[${storage}] ${JSON.stringify(result)}\n`);
    return result;
  } finally {
    await woo.close();
    await database.drop();
    await fixture.drop();
  }
}

async function main(): Promise<void> {
  const storages = (process.env.BENCH_EVENTS_FLOOR_STORAGES ?? 'hpos,legacy')
    .split(',')
    .filter((name): name is Storage => name === 'hpos' || name === 'legacy');
  const results = [];
  for (const storage of storages) results.push(await floorOf(storage));
  const report = {
    benchmark: 'events-floor',
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, page_reads_at_once: PAGE_READS },
    targets_it_reads_against: { first_full_sync_100k_s: 10, rerun_no_change_full_scan_100k_s: 5 },
    results,
  };
  const file = path.join(__dirname, 'results', 'events-floor.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`written to ${file}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

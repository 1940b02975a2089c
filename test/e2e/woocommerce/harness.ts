// External dependencies
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { createServer, type Server, type Socket } from 'node:net';

// Internal dependencies
import { createTestDatabase, MYSQL_ROOT_URL, uniquePrefix, type TestDatabase } from '../../support/db';
import { startWooCommerce, type StorageMode, type WooSite } from '../../support/woocommerce';
import { freePort, startWorker, type WorkerProcess } from '../../support/worker';

export const WEBHOOK_SECRET = 'e2e-woocommerce-webhook-secret-0123456789';
export const ADMIN_TOKEN = 'e2e-woocommerce-admin-token-0123456789abcdef';

export interface WooHarness {
  mode: StorageMode;
  site: WooSite;
  worker: WorkerProcess;
  workerDb: TestDatabase;
  /** The store's database (read only here: WooCommerce is driven through its APIs). */
  storeDb: Connection;
  /** The worker's database (its own tables). */
  inboundDb: Connection;
  /** Worker admin API. */
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** PHP inside WordPress: `body` is a function of `$input`; resolves with what it returns. */
  php<T = unknown>(body: string, input?: unknown): Promise<T>;
  /** What WP-Cron's `action_scheduler_run_queue` does: run every due background action (Action Scheduler). */
  runBackground(): Promise<void>;
  /** Point the plugin at a worker URL. */
  connect(url: string): Promise<void>;
  outbox(
    where?: string,
  ): Promise<
    Array<{ id: number; event_id: string; topic: string; resource_key: string; status: string; attempts: number; last_error: string | null; payload: string }>
  >;
  dispose(): Promise<void>;
}

/**
 * The worker process (events store on the real store's database, bookings to `odooEnv`) plus a
 * real WordPress 6.5.3 + WooCommerce 8.9.1 in the given storage mode, the plugin connected to it.
 */
export async function startWooHarness(mode: StorageMode, label: string, workerEnv: Record<string, string> = {}): Promise<WooHarness> {
  const site = await startWooCommerce({ mode });
  let worker: WorkerProcess | undefined;
  let workerDb: TestDatabase | undefined;
  try {
    workerDb = await createTestDatabase(`wc_${label}`);
    worker = await startWorker({
      PORT: String(await freePort()),
      DATABASE_URL: workerDb.url,
      BULLMQ_PREFIX: uniquePrefix(`e2e-wc-${label}`),
      WEBHOOK_SECRET,
      SYNCHUB_ADMIN_TOKEN: ADMIN_TOKEN,
      STORE_URL: site.url,
      WOOCOMMERCE_MYSQL_HOST: '127.0.0.1',
      WOOCOMMERCE_MYSQL_PORT: new URL(MYSQL_ROOT_URL).port || '3306',
      WOOCOMMERCE_MYSQL_USERNAME: decodeURIComponent(new URL(MYSQL_ROOT_URL).username || 'root'),
      WOOCOMMERCE_MYSQL_PASSWORD: decodeURIComponent(new URL(MYSQL_ROOT_URL).password),
      WOOCOMMERCE_MYSQL_DATABASE: site.dbName,
      WOOCOMMERCE_TABLE_PREFIX: 'wp_',
      EVENTS_RETRY_DELAY_MS: '500',
      ...workerEnv,
    });
  } catch (error) {
    await site.stop();
    await workerDb?.drop();
    throw error;
  }
  const root = new URL(MYSQL_ROOT_URL);
  const connect = (database: string) =>
    createConnection({
      host: root.hostname,
      port: Number(root.port || 3306),
      user: decodeURIComponent(root.username || 'root'),
      password: decodeURIComponent(root.password) || undefined,
      database,
    });
  const storeDb = await connect(site.dbName);
  const inboundDb = await connect(workerDb.name);
  const runningWorker = worker;
  const runningDb = workerDb;

  const php = async <T>(body: string, input: unknown = null): Promise<T> => {
    const out = await site.runPhp(
      `$synchub_out = ( static function ( $input ) { ${body} } )( json_decode( (string) getenv( 'SYNCHUB_E2E_INPUT' ), true ) ); echo "\\n@@SYNCHUB@@" . wp_json_encode( $synchub_out );`,
      { SYNCHUB_E2E_INPUT: JSON.stringify(input) },
    );
    const at = out.lastIndexOf('@@SYNCHUB@@');
    if (at < 0) throw new Error(`php: no answer\n${out}\n${site.logs()}`);
    return JSON.parse(out.slice(at + '@@SYNCHUB@@'.length)) as T;
  };

  const harness: WooHarness = {
    mode,
    site,
    worker: runningWorker,
    workerDb: runningDb,
    storeDb,
    inboundDb,
    php,
    async api<T>(method: string, path: string, body?: unknown) {
      const response = await fetch(`${runningWorker.url}${path}`, {
        method,
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
    },
    async runBackground() {
      await site.runPhp(`do_action( 'action_scheduler_run_queue', 'Sync Hub e2e' );`);
    },
    async connect(url: string) {
      await php(`return SyncHub\\Settings\\Settings::update( $input );`, { worker_url: url, webhook_secret: WEBHOOK_SECRET, admin_token: ADMIN_TOKEN });
    },
    async outbox(where = '1=1') {
      const [rows] = await storeDb.query<RowDataPacket[]>(
        `SELECT id, event_id, topic, resource_key, status, attempts, last_error, payload FROM wp_synchub_outbox WHERE ${where} ORDER BY id`,
      );
      return rows as Awaited<ReturnType<WooHarness['outbox']>>;
    },
    async dispose() {
      await storeDb.end().catch(() => undefined);
      await inboundDb.end().catch(() => undefined);
      await runningWorker.stop();
      await site.stop();
      await runningDb.drop();
    },
  };
  await harness.connect(runningWorker.url);
  return harness;
}

/** A worker that accepts connections and never answers (the hung worker). */
export async function startHungServer(): Promise<{ url: string; connections: () => number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let total = 0;
  const server: Server = createServer((socket) => {
    total += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => total,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

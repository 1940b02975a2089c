// Drill fault 7 (the worker's MySQL refusing writes): intake must answer 503 with Retry-After —
// never 202, and not a bare 500 — so the plugin's outbox and WooCommerce retry the delivery.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';

import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { openDatabase, type DatabaseHandle } from '../../../worker/src/core/db';
import { isStorageUnavailable } from '../../../worker/src/core/db/unavailable';
import type { InboundDispatcher } from '../../../worker/src/core/intake/dispatcher';
import { orderWebhookListener } from '../../../worker/src/core/intake/routes';
import { InboundEventStore } from '../../../worker/src/core/intake/store';
import { createLogger } from '../../../worker/src/core/logger';
import { MYSQL_ROOT_URL } from '../../support/db';
import { listenOnLoopback, closeServer } from '../../support/listen';
import { startTestRuntime, TEST_WEBHOOK_SECRET, type TestRuntime } from '../../support/runtime';
import { pluginHeaders } from '../../support/signing';

const root = new URL(MYSQL_ROOT_URL);
const rootConnection = () =>
  createConnection({
    host: root.hostname,
    port: Number(root.port || 3306),
    user: decodeURIComponent(root.username || 'root'),
    password: decodeURIComponent(root.password) || undefined,
  });

let runtime: TestRuntime;
let readOnly: DatabaseHandle;
let server: Server;
let url: string;
const user = `synchub_ro_${randomBytes(3).toString('hex')}`;
const enqueued: number[] = [];

beforeAll(async () => {
  // The schema as the worker migrates it; then a user who may read it but no longer write.
  runtime = await startTestRuntime({ domains: [] });
  const c = await rootConnection();
  await c.query(`CREATE USER '${user}'@'%' IDENTIFIED BY 'ro-password-123'`);
  await c.query(`GRANT SELECT ON \`${runtime.database.name}\`.* TO '${user}'@'%'`);
  await c.end();
  readOnly = openDatabase(`mysql://${user}:ro-password-123@${root.hostname}:${root.port || 3306}/${runtime.database.name}`);
  const dispatcher = { enqueue: async (row: { id: number }) => void enqueued.push(row.id) } as unknown as InboundDispatcher;
  const logger = createLogger('silent');
  const listener = orderWebhookListener(
    { store: new InboundEventStore(readOnly.db), dispatcher, webhookSecret: () => TEST_WEBHOOK_SECRET, logger },
    { isDraining: () => false, clientIp: () => '127.0.0.1', logger },
  );
  server = createServer((req, res) => {
    if (!listener(req, res)) res.writeHead(404).end();
  });
  url = await listenOnLoopback(server);
});

afterAll(async () => {
  if (server) await closeServer(server);
  await readOnly?.close();
  const c = await rootConnection();
  await c.query(`DROP USER IF EXISTS '${user}'@'%'`);
  await c.end();
  await runtime?.dispose();
});

describe('intake while the database refuses writes', () => {
  it('answers 503 storage_unavailable with Retry-After, stores nothing and enqueues nothing', async () => {
    const body = JSON.stringify({ id: 7001, number: '7001', status: 'processing', line_items: [] });
    const response = await fetch(`${url}/webhook/order`, { method: 'POST', headers: pluginHeaders(body, 'ro-7001'), body });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('storage_unavailable');
    const row = await runtime.ctx.db.selectFrom('synchub_inbound_events').select('id').where('event_id', '=', 'ro-7001').executeTakeFirst();
    expect(row).toBeUndefined();
    expect(enqueued).toEqual([]);
  });

  it('the same delivery retried once writes are allowed again is accepted (202) and stored once', async () => {
    const body = JSON.stringify({ id: 7001, number: '7001', status: 'processing', line_items: [] });
    const response = await fetch(`${runtime.url}/webhook/order`, { method: 'POST', headers: pluginHeaders(body, 'ro-7001'), body });
    expect(response.status).toBe(202);
    const rows = await runtime.ctx.db.selectFrom('synchub_inbound_events').select('id').where('event_id', '=', 'ro-7001').execute();
    expect(rows).toHaveLength(1);
  });

  it('tells a refused or unreachable database from a bug', () => {
    expect(isStorageUnavailable(Object.assign(new Error('read-only'), { errno: 1290, code: 'ER_OPTION_PREVENTS_STATEMENT' }))).toBe(true);
    expect(isStorageUnavailable(Object.assign(new Error('full'), { errno: 1114, code: 'ER_RECORD_FILE_FULL' }))).toBe(true);
    expect(isStorageUnavailable(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isStorageUnavailable(new Error('wrapped', { cause: Object.assign(new Error('gone'), { code: 'PROTOCOL_CONNECTION_LOST' }) }))).toBe(true);
    expect(isStorageUnavailable(Object.assign(new Error('syntax'), { errno: 1064, code: 'ER_PARSE_ERROR' }))).toBe(false);
    expect(isStorageUnavailable(new TypeError('x is undefined'))).toBe(false);
  });
});

import { connect, type Socket } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { webhookKey } from '../../../worker/src/stock/settings';
import { adminHeaders, startTestRuntime, TEST_ADMIN_TOKEN, type TestRuntime } from '../../support/runtime';
import { rows, send } from './support';

// Slow clients against small limits (node's defaults would hold them for 60 s and 300 s).
const HEADERS_MS = 600;
const REQUEST_MS = 1_200;
const KEEP_ALIVE_MS = 400;
// Node keeps an idle keep-alive socket one second past keepAliveTimeout (its guard against the
// race with a client reusing it).
const KEEP_ALIVE_GRACE_MS = 1_000;
// The limits are enforced by a periodic sweep; allow it and a busy machine some slack.
const SLACK_MS = 1_500;

interface Connection {
  socket: Socket;
  /** Resolves when the server closed the connection: after how long, and what it sent. */
  closed: Promise<{ afterMs: number; received: string }>;
}

async function open(url: string): Promise<Connection> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const started = Date.now();
  let received = '';
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
  });
  const closed = new Promise<{ afterMs: number; received: string }>((resolve) => {
    socket.on('error', () => undefined);
    socket.once('close', () => resolve({ afterMs: Date.now() - started, received }));
  });
  return { socket, closed };
}

/** Writes `text` one byte every `everyMs` until the socket closes. */
function trickle(socket: Socket, text: string, everyMs: number): void {
  let index = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || index >= text.length) return clearInterval(timer);
    socket.write(text.charAt(index));
    index += 1;
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

const withinLimit = async (connection: Connection, limitMs: number) => {
  const outcome = await connection.closed;
  expect(outcome.afterMs).toBeLessThan(limitMs + SLACK_MS);
  return outcome;
};

describe('slow clients', () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await startTestRuntime({
      processJobs: false,
      env: { HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_MS), HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_MS), HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_MS) },
    });
  });
  afterAll(async () => {
    await runtime?.dispose();
  });

  it('closes a client that sends its headers byte by byte (408), nothing written', async () => {
    const before = await rows(runtime, 'synchub_inbound_events');
    const connection = await open(runtime.url);
    trickle(connection.socket, 'POST /webhook/order HTTP/1.1\r\nHost: worker\r\nContent-Type: application/json\r\nX-Padding: ' + 'x'.repeat(500), 50);
    const outcome = await withinLimit(connection, HEADERS_MS);
    expect(outcome.received).toMatch(/^HTTP\/1\.1 408/);
    expect(await rows(runtime, 'synchub_inbound_events')).toBe(before);
  });

  it.each([
    ['the order webhook (raw listener)', '/webhook/order', {}],
    ['the products webhook (raw listener)', '/api/integrations/woocommerce/webhook/', {}],
    // With the real key: a wrong one is refused before the body is read.
    ['the SIIGO webhook (express)', '/api/webhooks/receive/{key}', {}],
    ['an admin route (express)', '/api/v1/integrations/tokens/generate/', { Authorization: `Bearer ${TEST_ADMIN_TOKEN}` }],
  ])('closes a request to %s whose body never ends, nothing written', async (_label, path, extra) => {
    const counts = async () => [
      await rows(runtime, 'synchub_inbound_events'),
      await rows(runtime, 'synchub_product_events'),
      await rows(runtime, 'synchub_integration_tokens'),
      await rows(runtime, 'synchub_stock_webhook_logs'),
    ];
    const before = await counts();
    const target = path.replace('{key}', await webhookKey(runtime.ctx));
    const connection = await open(runtime.url);
    const headers = Object.entries({ Host: 'worker', 'Content-Type': 'application/json', 'Content-Length': '1000', ...extra }).map(
      ([name, value]) => `${name}: ${value}`,
    );
    connection.socket.write(`POST ${target} HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n{"name":"slow`);
    const outcome = await withinLimit(connection, REQUEST_MS);
    expect(outcome.received === '' || /^HTTP\/1\.1 408/.test(outcome.received)).toBe(true);
    expect(await counts()).toEqual(before);
  });

  it('closes a request whose body keeps trickling: the limit is for the whole request, not per byte', async () => {
    const connection = await open(runtime.url);
    connection.socket.write('POST /webhook/order HTTP/1.1\r\nHost: worker\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n');
    trickle(connection.socket, `{"id":1,"x":"${'y'.repeat(99_000)}`, 50);
    await withinLimit(connection, REQUEST_MS);
  });

  it('closes an idle keep-alive connection after HTTP_KEEP_ALIVE_TIMEOUT_MS', async () => {
    const connection = await open(runtime.url);
    connection.socket.write('GET /health HTTP/1.1\r\nHost: worker\r\nConnection: keep-alive\r\n\r\n');
    const outcome = await withinLimit(connection, KEEP_ALIVE_MS + KEEP_ALIVE_GRACE_MS);
    expect(outcome.received).toMatch(/^HTTP\/1\.1 200/);
  });

  it('still answers ordinary requests', async () => {
    expect((await send(runtime.url, 'GET', '/health')).status).toBe(200);
    expect((await send(runtime.url, 'GET', '/api/v1/jobs/failed', { headers: adminHeaders() })).status).toBe(200);
  });
});

describe('HTTP_MAX_CONNECTIONS', () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await startTestRuntime({
      processJobs: false,
      domains: [],
      env: { HTTP_MAX_CONNECTIONS: '3', HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '30000' },
    });
  });
  afterAll(async () => {
    await runtime?.dispose();
  });

  it('drops connections beyond the limit at once and serves again once one is freed', async () => {
    const held = await Promise.all([open(runtime.url), open(runtime.url), open(runtime.url)]);
    for (const connection of held) connection.socket.write('GET /health HTTP/1.1\r\nHost: worker\r\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const refused = await open(runtime.url);
    refused.socket.write('GET /health HTTP/1.1\r\nHost: worker\r\n\r\n');
    const outcome = await refused.closed;
    expect(outcome.received).toBe('');
    expect(outcome.afterMs).toBeLessThan(SLACK_MS);

    held[0]?.socket.destroy();
    await held[0]?.closed;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await fetch(`${runtime.url}/health`)).status).toBe(200);
    for (const connection of held) connection.socket.destroy();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { signBody } from '../../../worker/src/core/crypto';
import { adminHeaders, TEST_WEBHOOK_SECRET } from '../../support/runtime';
import { acceptedSiigoLogs, errorCode, expectUnchanged, send, snapshot, startHostileWorker, type HostileWorker, type RawResponse } from './support';

// Hostile bodies on every route that reads one, sent with valid credentials so the body itself is
// what gets refused: over 1 MB, 100 000 levels deep, and of the wrong type. Status and no write.
let worker: HostileWorker;

beforeAll(async () => {
  worker = await startHostileWorker();
});
afterAll(async () => {
  await worker?.runtime.dispose();
});

interface BodyRoute {
  name: string;
  method: string;
  path: () => string;
  headers: (body: Buffer) => Record<string, string>;
  siigo?: boolean;
}

const signed = (body: Buffer) => ({
  'X-WC-Webhook-Topic': 'order.paid',
  'X-WC-Webhook-ID': '7',
  'X-WC-Webhook-Delivery-ID': `${Date.now()}${Math.random()}`.replace('.', ''),
  'X-WC-Webhook-Signature': signBody(body, TEST_WEBHOOK_SECRET),
});
const bearer = () => ({ Authorization: `Bearer ${worker.integrationToken}` });
const admin = () => {
  const { Authorization } = adminHeaders();
  return { Authorization: Authorization ?? '' };
};

const PUBLIC_POST_ROUTES: BodyRoute[] = [
  { name: 'POST /webhook/order', method: 'POST', path: () => '/webhook/order', headers: signed },
  { name: 'POST /api/integrations/woocommerce/webhook/', method: 'POST', path: () => '/api/integrations/woocommerce/webhook/', headers: bearer },
  { name: 'POST /api/webhooks/receive/{key}', method: 'POST', path: () => `/api/webhooks/receive/${worker.siigoKey}`, headers: () => ({}), siigo: true },
  { name: 'POST /api/webhooks/receive?key=', method: 'POST', path: () => `/api/webhooks/receive?key=${worker.siigoKey}`, headers: () => ({}), siigo: true },
];
// JSON admin routes that write: the express body parser behind the admin check.
const ADMIN_JSON_ROUTES: BodyRoute[] = [
  { name: 'POST /api/v1/integrations/tokens/generate/', method: 'POST', path: () => '/api/v1/integrations/tokens/generate/', headers: admin },
  { name: 'POST /api/v1/sync-woocommerce/configurations/', method: 'POST', path: () => '/api/v1/sync-woocommerce/configurations/', headers: admin },
  { name: 'PUT /api/v1/bookings/settings', method: 'PUT', path: () => '/api/v1/bookings/settings', headers: admin },
  { name: 'PUT /api/v1/stock/settings', method: 'PUT', path: () => '/api/v1/stock/settings', headers: admin },
  { name: 'POST /api/webhooks/test', method: 'POST', path: () => '/api/webhooks/test', headers: admin },
  { name: 'POST /sync/manual', method: 'POST', path: () => '/sync/manual', headers: admin },
];
const BODY_ROUTES = [...PUBLIC_POST_ROUTES, ...ADMIN_JSON_ROUTES];
const GET_ROUTES = ['/health', '/api/integrations/woocommerce/health/'];

async function expectRefusedWithoutWrite(
  route: BodyRoute,
  send: () => Promise<RawResponse>,
  expected: (response: RawResponse) => boolean,
): Promise<RawResponse> {
  const before = await snapshot(worker.runtime);
  const accepted = await acceptedSiigoLogs(worker.runtime);
  const response = await send();
  expect(expected(response), `${route.name} → ${response.status} ${errorCode(response)}`).toBe(true);
  await expectUnchanged(worker.runtime, before, accepted, { siigoRefusals: route.siigo });
  return response;
}

const post = (route: BodyRoute, body: Buffer, contentType: string | undefined, extra: Record<string, string> = {}) =>
  send(worker.runtime.url, route.method, route.path(), {
    headers: { ...(contentType ? { 'Content-Type': contentType } : {}), ...route.headers(body), ...extra },
    body,
  });

const MB = 1024 * 1024;
const oversized = Buffer.from(JSON.stringify({ id: 1, event_id: 'big', padding: 'x'.repeat(MB) }));
const DEPTH = 100_000;
const deepArray = Buffer.from(`${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`);
const deepInObject = Buffer.from(`{"id":1,"event_id":"deep","event_type":"product.updated","product":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}}`);
const status =
  (...codes: number[]) =>
  (response: RawResponse) =>
    codes.includes(response.status);

describe.each(BODY_ROUTES)('$name', (route) => {
  it('refuses a body over 1 MB with 413 (declared length), nothing written', async () => {
    const response = await expectRefusedWithoutWrite(route, () => post(route, oversized, 'application/json'), status(413));
    expect(errorCode(response)).toBe('payload_too_large');
  });

  it('refuses a body over 1 MB with 413 (chunked, no length), nothing written', async () => {
    const response = await expectRefusedWithoutWrite(
      route,
      () =>
        send(worker.runtime.url, route.method, route.path(), {
          headers: { 'Content-Type': 'application/json', ...route.headers(oversized) },
          body: oversized,
          chunked: true,
        }),
      status(413),
    );
    expect(errorCode(response)).toBe('payload_too_large');
  });

  it('refuses JSON nested 100 000 levels deep with 400, nothing written', async () => {
    const response = await expectRefusedWithoutWrite(route, () => post(route, deepArray, 'application/json'), status(400));
    expect(errorCode(response)).not.toBe('internal_error');
    // Still serving.
    expect((await fetch(`${worker.runtime.url}/health`)).status).toBe(200);
  });

  it('refuses deep nesting inside an object with 400, nothing written', async () => {
    // /webhook/order takes any signed order object; its nested fields are the domains' concern.
    if (route.name === 'POST /webhook/order') return;
    await expectRefusedWithoutWrite(route, () => post(route, deepInObject, 'application/json'), status(400));
    expect((await fetch(`${worker.runtime.url}/health`)).status).toBe(200);
  });

  it.each([
    ['plain text', 'text/plain', 'hello'],
    ['a form', 'application/x-www-form-urlencoded', 'a=1&b=2'],
    ['XML', 'application/xml', '<order><id>1</id></order>'],
    ['multipart', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n'],
    ['invalid UTF-8 as JSON', 'application/json', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
    ['a JSON number', 'application/json', '42'],
    ['a JSON string', 'application/json', '"order"'],
    ['JSON null', 'application/json', 'null'],
    ['JSON true', 'application/json', 'true'],
    ['an empty JSON array', 'application/json', '[]'],
    ['truncated JSON', 'application/json', '{"id":1,'],
    ['JSON without a content type', undefined, '[1,2]'],
  ])('refuses %s with 4xx, nothing written', async (_label, contentType, body) => {
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
    const response = await expectRefusedWithoutWrite(
      route,
      () => post(route, bytes, contentType),
      (answer) => answer.status >= 400 && answer.status < 500,
    );
    expect(errorCode(response)).not.toMatch(/^not /);
  });
});

describe.each(GET_ROUTES)('GET %s', (path) => {
  it('answers without reading a 2 MB body, nothing written', async () => {
    const before = await snapshot(worker.runtime);
    const accepted = await acceptedSiigoLogs(worker.runtime);
    const response = await send(worker.runtime.url, 'GET', path, { headers: { 'Content-Type': 'application/json' }, body: Buffer.alloc(2 * MB, 0x5b) });
    // /health is public (200); the products health route wants its token (401).
    expect([200, 401]).toContain(response.status);
    await expectUnchanged(worker.runtime, before, accepted);
  });
});

describe('admin requests without a body', () => {
  it('need no content type (a bare POST is not a wrong-type body)', async () => {
    const response = await send(worker.runtime.url, 'POST', '/api/v1/jobs/nope/1/retry', { headers: admin(), body: '' });
    expect(response.status).toBe(400);
    expect(errorCode(response)).toBe('unknown_queue');
  });
});

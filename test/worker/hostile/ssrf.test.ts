// Finding 3 (issue 10): SSRF. Outbound URLs may not reach loopback, private or link-local targets
// (checked after DNS resolution) unless SYNCHUB_ALLOW_PRIVATE_TARGETS allows them, and a peer's
// answer is never echoed back. Every case asserts the status AND that nothing was saved or sent
// (`listener` on loopback counts every request that reached it).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createBookingsDomain } from '../../../worker/src/bookings';
import { createStockDomain } from '../../../worker/src/stock';
import { startRecorder, type Recorder } from '../../support/recorder';
import { adminHeaders, startTestRuntime, type TestRuntime } from '../../support/runtime';

const MARKER = 'INTERNAL-ONLY-7f3a9c';

let listener: Recorder;

beforeAll(async () => {
  listener = await startRecorder({ answer: { status: 200, body: `${MARKER} internal page` } });
});
afterEach(() => {
  listener.requests.length = 0;
  listener.answer({ status: 200, body: `${MARKER} internal page` });
});
afterAll(() => listener?.close());

// The listener's port is known only once it listens: each target is a function of it.
const TARGETS: Record<string, (port: number) => string> = {
  '127.0.0.1': (port) => `http://127.0.0.1:${port}`,
  '10.0.0.1': () => 'http://10.0.0.1:8069',
  '169.254.169.254 (cloud metadata)': () => 'http://169.254.169.254',
  'localhost (a name resolving to loopback)': (port) => `http://localhost:${port}`,
  '[::ffff:127.0.0.1] (IPv4-mapped IPv6)': (port) => `http://[::ffff:127.0.0.1]:${port}`,
};
const TARGET_LABELS = Object.keys(TARGETS);
const targetUrl = (label: string): string => (TARGETS[label] ?? (() => ''))(listener.port);

async function call(
  runtime: TestRuntime,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  const response = await fetch(`${runtime.url}${path}`, { method, headers: adminHeaders(), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown>, text };
}
const settingsRows = (runtime: TestRuntime) => runtime.ctx.db.selectFrom('synchub_settings').select(['name', 'value', 'updated_at']).orderBy('name').execute();

const odooBody = (url: string) => ({ url, db: 'prod', username: 'bot@example.com', api_key: 'a-key-for-this-url' });
const siigoBody = (url: string) => ({
  credentials: { username: 'api@store.example', partner_id: 'SyncHubTests', api_url: url, access_key: 'a-key-for-this-url' },
});

describe('with SYNCHUB_ALLOW_PRIVATE_TARGETS off (the default)', () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await startTestRuntime({
      domains: [createBookingsDomain, createStockDomain],
      env: {
        SYNCHUB_ALLOW_PRIVATE_TARGETS: 'false',
        // Configured by the environment at a loopback address: refused at connect time too.
        ODOO_URL: `http://127.0.0.1:${listener.port}`,
        ODOO_DB: 'prod',
        ODOO_USERNAME: 'bot@example.com',
        ODOO_API_KEY: 'env-odoo-key',
        BOOKINGS_SWEEP_INTERVAL_MS: '3600000',
        SIIGO_ENABLED: 'true',
        SIIGO_USERNAME: 'api@store.example',
        SIIGO_ACCESS_KEY: 'env-siigo-key',
        SIIGO_PARTNER_ID: 'SyncHubTests',
        SIIGO_API_URL: `http://localhost:${listener.port}`,
        STOCK_SWEEP_INTERVAL_MS: '3600000',
      },
    });
  });
  afterAll(() => runtime?.dispose());

  it.each(TARGET_LABELS)('PUT /api/v1/bookings/settings to %s → 400 target_not_allowed, nothing saved or sent', async (label) => {
    const before = await settingsRows(runtime);
    const response = await call(runtime, 'PUT', '/api/v1/bookings/settings', odooBody(targetUrl(label)));
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'target_not_allowed', details: { field: 'url' } });
    expect(await settingsRows(runtime)).toEqual(before);
    expect(listener.requests).toHaveLength(0);
  });

  it.each(TARGET_LABELS)('POST /api/v1/bookings/test-connection to %s → 400 target_not_allowed, nothing sent', async (label) => {
    const response = await call(runtime, 'POST', '/api/v1/bookings/test-connection', odooBody(targetUrl(label)));
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'target_not_allowed', details: { field: 'url' } });
    expect(listener.requests).toHaveLength(0);
  });

  it.each(TARGET_LABELS)('PUT /api/v1/stock/settings with the SIIGO API at %s → 400 target_not_allowed, nothing saved', async (label) => {
    const before = await settingsRows(runtime);
    const response = await call(runtime, 'PUT', '/api/v1/stock/settings', siigoBody(targetUrl(label)));
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'target_not_allowed', details: { field: 'credentials.api_url' } });
    expect(await settingsRows(runtime)).toEqual(before);
    expect(listener.requests).toHaveLength(0);
  });

  it.each(TARGET_LABELS)('POST /api/webhooks/setup with the callback at %s → 400 target_not_allowed, nothing subscribed', async (label) => {
    const response = await call(runtime, 'POST', '/api/webhooks/setup', { base_url: targetUrl(label) });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'target_not_allowed', details: { field: 'base_url' } });
    expect(listener.requests).toHaveLength(0);
  });

  it('does not say which address a name resolved to', async () => {
    const response = await call(runtime, 'PUT', '/api/v1/bookings/settings', odooBody(`http://localhost:${listener.port}`));
    expect(response.text).toMatch(/localhost resolves to a loopback address/);
    expect(response.text).not.toMatch(/127\.0\.0\.1|::1/);
  });

  it('refuses at connect time a loopback target that came from the environment (Odoo and SIIGO tests)', async () => {
    const odoo = await call(runtime, 'POST', '/api/v1/bookings/test-connection', {});
    expect(odoo).toMatchObject({ status: 200, body: { ok: false, code: 'target_not_allowed' } });
    const siigo = await call(runtime, 'POST', '/api/v1/stock/settings/test');
    expect(siigo).toMatchObject({ status: 200, body: { ok: false, error: { code: 'target_not_allowed' } } });
    expect(listener.requests).toHaveLength(0);
  });
});

describe('with SYNCHUB_ALLOW_PRIVATE_TARGETS=true (tests, single-machine installs)', () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await startTestRuntime({
      domains: [createBookingsDomain, createStockDomain],
      env: { SYNCHUB_ALLOW_PRIVATE_TARGETS: 'true', ODOO_TIMEOUT_MS: '2000', SIIGO_TIMEOUT_MS: '2000', STOCK_SWEEP_INTERVAL_MS: '3600000' },
    });
  });
  afterAll(() => runtime?.dispose());

  it.each(TARGET_LABELS)('PUT /api/v1/bookings/settings to %s is saved', async (label) => {
    const response = await call(runtime, 'PUT', '/api/v1/bookings/settings', odooBody(targetUrl(label)));
    expect(response).toMatchObject({ status: 200, body: { status: 'saved' } });
    const stored = await runtime.ctx.settings.getJson<{ url: string }>('bookings.odoo');
    expect(stored?.url).toBe(targetUrl(label));
  });

  it.each(TARGET_LABELS.filter((label) => !label.startsWith('10.') && !label.startsWith('169.')))('test-connection to %s reaches it', async (label) => {
    const response = await call(runtime, 'POST', '/api/v1/bookings/test-connection', odooBody(targetUrl(label)));
    expect(response.status).toBe(200);
    expect(listener.requests.length).toBeGreaterThan(0);
  });

  it("test-connection does not echo the peer's fault text", async () => {
    listener.answer({
      status: 200,
      headers: { 'Content-Type': 'text/xml' },
      body: `<?xml version="1.0"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>1</int></value></member><member><name>faultString</name><value><string>Traceback\n${MARKER} secret row</string></value></member></struct></value></fault></methodResponse>`,
    });
    const response = await call(runtime, 'POST', '/api/v1/bookings/test-connection', odooBody(listener.url));
    expect(response).toMatchObject({ status: 200, body: { ok: false, code: 'odoo_rejected' } });
    expect(listener.requests.length).toBeGreaterThan(0);
    expect(response.text).not.toContain(MARKER);
  });

  it("the saved connection's health does not keep the peer's text either", async () => {
    listener.answer({
      status: 200,
      headers: { 'Content-Type': 'text/xml' },
      body: `<?xml version="1.0"?><methodResponse><fault><value><struct><member><name>faultCode</name><value><int>1</int></value></member><member><name>faultString</name><value><string>${MARKER}</string></value></member></struct></value></fault></methodResponse>`,
    });
    expect((await call(runtime, 'PUT', '/api/v1/bookings/settings', odooBody(listener.url))).status).toBe(200);
    expect((await call(runtime, 'POST', '/api/v1/bookings/test-connection', {})).text).not.toContain(MARKER);
    const settings = await call(runtime, 'GET', '/api/v1/bookings/settings');
    expect(settings.body).toMatchObject({ health: { ok: false } });
    expect(settings.text).not.toContain(MARKER);
  });

  it("SIIGO test and warehouse routes do not echo the peer's error text", async () => {
    listener.answer({
      status: 401,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ Status: 401, Errors: [{ Code: 'unauthorized', Message: `${MARKER} internal detail` }] }),
    });
    expect((await call(runtime, 'PUT', '/api/v1/stock/settings', siigoBody(listener.url))).status).toBe(200);
    const test = await call(runtime, 'POST', '/api/v1/stock/settings/test');
    expect(test).toMatchObject({ status: 200, body: { ok: false, error: { code: 'siigo_auth' } } });
    expect(test.text).not.toContain(MARKER);
    const warehouses = await call(runtime, 'GET', '/api/v1/stock/warehouses');
    expect(warehouses.status).toBeGreaterThanOrEqual(500);
    expect(warehouses.text).not.toContain(MARKER);
    expect(listener.requests.length).toBeGreaterThan(0);
  });
});

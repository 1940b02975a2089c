// Finding 2 (issue 10): a saved secret is only ever used with the origin it was saved with.
// Every case asserts the status AND that nothing was saved or sent: `attacker` records every
// request, so a secret that reached it shows up there. Loopback targets are allowed in these
// runtimes (the test opt-in), so only the secret rule stands between the key and the listener.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { createBookingsDomain } from '../../../worker/src/bookings';
import { createProductsDomain, EMBEDDINGS_SETTING } from '../../../worker/src/products';
import { createStockDomain } from '../../../worker/src/stock';
import { startFakeEmbeddings, type FakeEmbeddingsServer } from '../../fakes/embeddings/server';
import { startFakeOdoo, type FakeOdoo } from '../../fakes/odoo/server';
import { FakeSiigo } from '../../fakes/siigo/server';
import { startRecorder, type Recorder } from '../../support/recorder';
import { adminHeaders, startTestRuntime, type TestRuntime } from '../../support/runtime';
import { generateToken, postEvent, productEvent, waitFor, waitForEventDone } from '../products/helpers';

const ODOO_KEY = 'odoo-env-key-must-not-leak-0001';
const SIIGO_KEY = 'siigo-env-key-must-not-leak-0001';
const ODOO_VERSION_XML =
  '<?xml version="1.0"?><methodResponse><params><param><value><struct><member><name>server_version</name><value><string>17.0</string></value></member></struct></value></param></params></methodResponse>';

let odoo: FakeOdoo;
let siigo: FakeSiigo;
let attacker: Recorder;
let runtime: TestRuntime;

const api = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
  const response = await fetch(`${runtime.url}${path}`, { method, headers: adminHeaders(), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
};
const settingsRows = () => runtime.ctx.db.selectFrom('synchub_settings').select(['name', 'value', 'updated_at']).orderBy('name').execute();

beforeAll(async () => {
  odoo = await startFakeOdoo({ apiKey: ODOO_KEY, activeCurrencies: ['EUR'] });
  siigo = new FakeSiigo({ accessKey: SIIGO_KEY, rateLimit: 1_000 });
  await siigo.start();
  attacker = await startRecorder({ answer: { status: 500, body: 'attacker' } });
  runtime = await startTestRuntime({
    domains: [createBookingsDomain, createStockDomain],
    env: {
      ODOO_URL: odoo.url,
      ODOO_DB: odoo.db,
      ODOO_USERNAME: odoo.login,
      ODOO_API_KEY: ODOO_KEY,
      ODOO_TIMEOUT_MS: '2000',
      BOOKINGS_SWEEP_INTERVAL_MS: '3600000',
      SIIGO_ENABLED: 'true',
      SIIGO_USERNAME: siigo.options.username,
      SIIGO_ACCESS_KEY: SIIGO_KEY,
      SIIGO_PARTNER_ID: 'SyncHubTests',
      SIIGO_API_URL: siigo.url,
      SIIGO_RATE_LIMIT_PER_MINUTE: '1000',
      STOCK_SWEEP_INTERVAL_MS: '3600000',
    },
  });
});
afterEach(() => {
  expect(attacker.saw(ODOO_KEY)).toBe(false);
  expect(attacker.saw(SIIGO_KEY)).toBe(false);
  attacker.requests.length = 0;
});
afterAll(async () => {
  await runtime?.dispose();
  await Promise.all([odoo?.close(), siigo?.stop(), attacker?.close()]);
});

describe('Odoo: the API key stays with its URL, database and login', () => {
  it.each([
    ['a new URL (the reported exploit)', () => ({ url: attacker.url })],
    ['a new URL with the same database and login', () => ({ url: attacker.url, db: odoo.db, username: odoo.login })],
    ['a new database', () => ({ db: 'another_db' })],
    ['a new login', () => ({ username: 'admin' })],
    ['a URL with userinfo pointing elsewhere', () => ({ url: `http://${new URL(odoo.url).host}@${new URL(attacker.url).host}` })],
  ])('test-connection with %s and no key → 400 secret_required, nothing sent', async (_label, change) => {
    const before = attacker.requests.length;
    const odooCalls = odoo.calls['common.authenticate'] ?? 0;
    const response = await api('POST', '/api/v1/bookings/test-connection', change());
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'secret_required', details: { field: 'api_key' } });
    expect(attacker.requests.length).toBe(before);
    expect(odoo.calls['common.authenticate'] ?? 0).toBe(odooCalls);
  });

  it.each([
    ['a new URL', () => ({ url: attacker.url })],
    ['a new database', () => ({ db: 'another_db' })],
    ['a new login', () => ({ username: 'admin' })],
    ['a new URL and an option', () => ({ url: attacker.url, confirm_orders: false })],
  ])('PUT settings with %s and no key → 400 secret_required, nothing saved', async (_label, change) => {
    const before = await settingsRows();
    const response = await api('PUT', '/api/v1/bookings/settings', change());
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'secret_required', details: { field: 'api_key' } });
    expect(await settingsRows()).toEqual(before);
    // And the next tests and syncs still go to the real Odoo only.
    expect(await api('POST', '/api/v1/bookings/test-connection', {})).toMatchObject({ status: 200, body: { ok: true } });
    expect(attacker.requests).toHaveLength(0);
  });

  it('the same URL written differently (trailing slash) keeps the key', async () => {
    const response = await api('PUT', '/api/v1/bookings/settings', { url: `${odoo.url}/` });
    expect(response).toMatchObject({ status: 200, body: { configured: true } });
    expect(await api('POST', '/api/v1/bookings/test-connection', {})).toMatchObject({ body: { ok: true } });
  });

  it('a new URL with its own key is saved, and only that key goes there', async () => {
    // Answer version() like an Odoo would, so the worker goes on to authenticate with the key.
    attacker.answer({ status: 200, headers: { 'Content-Type': 'text/xml' }, body: ODOO_VERSION_XML });
    const response = await api('PUT', '/api/v1/bookings/settings', { url: attacker.url, api_key: 'key-for-the-new-url' });
    expect(response.status).toBe(200);
    const test = await api('POST', '/api/v1/bookings/test-connection', {});
    expect(test.body).toMatchObject({ ok: false });
    expect(attacker.saw('key-for-the-new-url')).toBe(true);
    // Back to the real Odoo: its key must be sent again (the saved one belongs to the other URL).
    const back = await api('PUT', '/api/v1/bookings/settings', { url: odoo.url });
    expect(back.status).toBe(400);
    expect(back.body.error).toMatchObject({ code: 'secret_required', details: { field: 'api_key' } });
    expect((await api('PUT', '/api/v1/bookings/settings', { url: odoo.url, api_key: ODOO_KEY })).status).toBe(200);
    expect(await api('POST', '/api/v1/bookings/test-connection', {})).toMatchObject({ body: { ok: true } });
    attacker.answer({ status: 500, body: 'attacker' });
  });

  it('a URL stored without a key (as the old PUT did) does not borrow the environment key', async () => {
    await runtime.ctx.settings.setJson('bookings.odoo', { url: attacker.url }, { secret: true });
    try {
      const settings = await api('GET', '/api/v1/bookings/settings');
      expect(settings.body).toMatchObject({ url: attacker.url, has_api_key: false, configured: false });
      const test = await api('POST', '/api/v1/bookings/test-connection', {});
      expect(test).toMatchObject({ status: 200, body: { ok: false, code: 'not_configured' } });
      expect(attacker.requests).toHaveLength(0);
    } finally {
      await runtime.ctx.settings.delete('bookings.odoo');
    }
  });
});

describe('SIIGO: the access key stays with its API URL, user and Partner-Id', () => {
  const credentials = (over: Record<string, string> = {}) => ({ username: siigo.options.username, partner_id: 'SyncHubTests', api_url: siigo.url, ...over });

  it.each([
    ['a new API URL (the reported exploit)', () => credentials({ api_url: attacker.url })],
    ['a new API user', () => credentials({ username: 'someone@else.example' })],
    ['a new Partner-Id', () => credentials({ partner_id: 'OtherPartner' })],
  ])('PUT settings with %s and no key → 400 secret_required, nothing saved, the next test goes to SIIGO', async (_label, next) => {
    const before = await settingsRows();
    const response = await api('PUT', '/api/v1/stock/settings', { credentials: next(), warehouses: ['1'] });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 'secret_required', details: { field: 'credentials.access_key' } });
    expect(await settingsRows()).toEqual(before);
    expect(await api('POST', '/api/v1/stock/settings/test')).toMatchObject({ status: 200, body: { ok: true } });
    expect(attacker.requests).toHaveLength(0);
  });

  it('the same account without the key keeps it; then a saved key does not follow a new URL either', async () => {
    expect((await api('PUT', '/api/v1/stock/settings', { credentials: credentials() })).status).toBe(200);
    expect(await api('POST', '/api/v1/stock/settings/test')).toMatchObject({ body: { ok: true } });
    const before = await settingsRows();
    const moved = await api('PUT', '/api/v1/stock/settings', { credentials: credentials({ api_url: attacker.url }) });
    expect(moved.status).toBe(400);
    expect(moved.body.error).toMatchObject({ code: 'secret_required', details: { field: 'credentials.access_key' } });
    expect(await settingsRows()).toEqual(before);
    expect(await api('POST', '/api/v1/stock/settings/test')).toMatchObject({ body: { ok: true } });
    expect(attacker.requests).toHaveLength(0);
  });

  it('a new API URL with its own key is saved and gets only that key', async () => {
    expect(
      (await api('PUT', '/api/v1/stock/settings', { credentials: credentials({ api_url: attacker.url, access_key: 'key-for-the-new-siigo' }) })).status,
    ).toBe(200);
    expect((await api('POST', '/api/v1/stock/settings/test')).body).toMatchObject({ ok: false });
    expect(attacker.saw('key-for-the-new-siigo')).toBe(true);
    await runtime.ctx.settings.delete('stock.siigo_credentials');
  });
});

describe('embeddings: the environment key does not follow a saved endpoint', () => {
  let products: TestRuntime;
  let embeddings: FakeEmbeddingsServer;
  beforeAll(async () => {
    embeddings = await startFakeEmbeddings({ apiKey: 'sk-env-embeddings-key' });
    products = await startTestRuntime({
      domains: [createProductsDomain],
      env: { EMBEDDINGS_URL: embeddings.url, EMBEDDINGS_MODEL: 'env-model', EMBEDDINGS_API_KEY: 'sk-env-embeddings-key', PRODUCTS_RETRY_DELAY_MS: '50' },
    });
  });
  afterAll(async () => {
    await products?.dispose();
    await embeddings?.close();
  });

  it('a saved URL without a key is called without the key', async () => {
    const token = await generateToken(products, { name: 'shop' });
    const first = productEvent(501);
    expect((await postEvent(products, token.token, first)).status).toBe(202);
    await waitForEventDone(products, first.event_id as string);
    await waitFor(async () => embeddings.calls > 0, 10_000, 'the environment endpoint');
    expect(embeddings.authorizations).toContain('Bearer sk-env-embeddings-key');

    await products.ctx.settings.setJson(EMBEDDINGS_SETTING, { url: `${attacker.url}/v1`, model: 'saved-model' }, { secret: true });
    const second = productEvent(502, { name: 'Changed name' });
    expect((await postEvent(products, token.token, second)).status).toBe(202);
    await waitForEventDone(products, second.event_id as string);
    await products.ctx.queues.get('products').add('products.embed-pending', {});
    await waitFor(async () => attacker.requests.length > 0, 10_000, 'the saved endpoint');
    expect(attacker.saw('sk-env-embeddings-key')).toBe(false);
    expect(attacker.requests.every((request) => request.headers.authorization === undefined)).toBe(true);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { eventually, startStockHarness, type StockHarness } from './helpers';

interface Change {
  id: number;
  code: string;
  old_quantity: number | null;
  new_quantity: number;
  source: string;
  result: string;
}
interface Log {
  id: number;
  status: string;
  topic: string | null;
  product_code: string | null;
  http_status: number;
  message: string | null;
}

describe('stock domain: sweep, webhooks, audit, live feed', () => {
  let h: StockHarness;
  let callbackKey = '';

  const changes = async () => (await h.api<{ items: Change[] }>('GET', '/api/v1/stock/changes?limit=100')).body.items;
  const logs = async (query = '') => (await h.api<{ items: Log[] }>('GET', `/api/webhooks/logs?limit=100${query}`)).body.items;
  const post = (path: string, body: string, headers: Record<string, string> = { 'Content-Type': 'application/json' }) =>
    fetch(`${h.runtime.url}${path}`, { method: 'POST', headers, body });

  beforeAll(async () => {
    h = await startStockHarness({ products: 5 });
    for (const code of ['SKU00001', 'SKU00002', 'SKU00003', 'SKU00004']) h.store.add(code);
    h.store.add('SKU00005', { manageStock: false });
  });
  afterAll(() => h.dispose());

  it('the first sweep (scheduled at start) writes every SIIGO quantity in one signed request and records the audit', async () => {
    await eventually(() => h.store.stockOf('SKU00004') === 10, 10_000, 'stock written');
    const audit = await eventually(async () => ((await changes()).length === 5 ? changes() : undefined));
    expect(audit.every((change) => change.source === 'scheduled_sync' && change.new_quantity === 10)).toBe(true);
    // The quantity before is what WooCommerce held (the plugin's answer: 0 here), not "unknown".
    expect(audit.filter((change) => change.code !== 'SKU00005').every((change) => change.old_quantity === 0)).toBe(true);
    expect(audit.find((change) => change.code === 'SKU00005')?.old_quantity).toBeNull();
    expect(audit.find((change) => change.code === 'SKU00005')?.result).toBe('not_managed');
    expect(h.store.requests).toHaveLength(1);
    // SIIGO: one token request and one page of products.
    expect(h.siigo.callCount((call) => call.path === '/v1/products')).toBe(1);
    expect(h.siigo.callCount((call) => call.path === '/auth')).toBe(1);

    const stats = await h.api<{ products: { total: number; synced: number; not_managed: number; updated_today: number }; last_sync: string | null }>(
      'GET',
      '/api/v1/stock/stats',
    );
    expect(stats.body.products).toMatchObject({ total: 5, synced: 4, not_managed: 1, updated_today: 4 });
    expect(stats.body.last_sync).not.toBeNull();
  });

  it('a manual full sweep answers with its job id, reads every product again and only retries the SKU WooCommerce did not take', async () => {
    const queued = await h.api<{ job_id: string }>('POST', '/api/v1/stock/sync', { full: true });
    expect(queued.status).toBe(202);
    expect(queued.body.job_id).toBeTruthy();
    await eventually(async () => (await h.api<{ last_full_sync: string | null }>('GET', '/api/v1/stock/stats')).body.last_full_sync, 10_000, 'full sweep');
    expect(h.siigo.callCount((call) => call.path === '/v1/products')).toBe(2);
    // SKU00005 did not manage stock last time: the full sweep asks again, the others are unchanged.
    expect(h.store.requests.map((request) => request.items)).toEqual([5, 1]);
    expect(await changes()).toHaveLength(5);
    const bad = await h.api<{ error: { code: string } }>('POST', '/api/v1/stock/sync', { full: 'yes' });
    expect(bad.status).toBe(400);
  });

  it('an incremental sweep asks only for products updated since the last sweep and writes nothing unchanged', async () => {
    const before = h.store.requests.length;
    h.siigo.resetCalls();
    await h.api('POST', '/api/v1/stock/sync', { full: false });
    const call = await eventually(() => h.siigo.calls.find((item) => item.path === '/v1/products'));
    expect(call.url).toMatch(/updated_start=\d{4}-\d{2}-\d{2}T\d{2}%3A\d{2}%3A\d{2}Z/);
    expect(call.url).toContain('page_size=100');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.store.requests.length).toBe(before);
  });

  it('subscribes the three product topics with a secret key in the callback URL, and lists them without it', async () => {
    const setup = await h.api<{ created: Array<{ topic: string; url: string }> }>('POST', '/api/webhooks/setup', { base_url: h.runtime.url });
    expect(setup.status).toBe(201);
    expect(setup.body.created.map((item) => item.topic).sort()).toEqual([
      'public.siigoapi.products.create',
      'public.siigoapi.products.stock.update',
      'public.siigoapi.products.update',
    ]);
    const url = h.siigo.subscriptionList()[0]?.url ?? '';
    callbackKey = url.split('/').at(-1) ?? '';
    expect(callbackKey.length).toBeGreaterThanOrEqual(30);
    const again = await h.api<{ created: unknown[]; kept: unknown[] }>('POST', '/api/webhooks/setup', { base_url: h.runtime.url });
    expect(again.body.created).toHaveLength(0);
    expect(again.body.kept).toHaveLength(3);
    const listed = await h.api<{ items: Array<{ url: string }> }>('GET', '/api/webhooks/subscriptions');
    expect(listed.body.items).toHaveLength(3);
    expect(JSON.stringify(listed.body)).not.toContain(callbackKey);
  });

  it('a SIIGO stock webhook re-reads the product and sets the stock within moments; a repeat is skipped', async () => {
    await h.siigo.setStock('SKU00002', 7);
    await eventually(() => h.store.stockOf('SKU00002') === 7, 10_000, 'webhook stock');
    // The history row is committed just after the store write (it records WooCommerce's answer).
    const change = await eventually(
      async () => (await changes()).find((item) => item.code === 'SKU00002' && item.new_quantity === 7),
      5_000,
      'the webhook change row',
    );
    expect(change).toMatchObject({ source: 'webhook', old_quantity: 10, result: 'updated' });
    expect(h.siigo.callCount((call) => call.path.startsWith('/v1/products/'))).toBeGreaterThanOrEqual(1);

    const product = h.siigo.product('SKU00002');
    if (!product) throw new Error('missing product');
    const repeat = await post(
      `/api/webhooks/receive/${callbackKey}`,
      JSON.stringify(h.siigo.notificationFor(product, 'public.siigoapi.products.stock.update')),
    );
    expect(repeat.status).toBe(200);
    expect(await repeat.json()).toMatchObject({ status: 'skipped' });
    const processed = await eventually(async () => {
      const items = await logs('&code=SKU00002');
      return items.some((item) => item.status === 'processed') ? items : undefined;
    });
    expect(processed.map((item) => item.status).sort()).toEqual(['duplicate', 'processed']);
  });

  it('an older notification never overwrites newer stock', async () => {
    const product = h.siigo.product('SKU00002');
    if (!product) throw new Error('missing product');
    const old = {
      ...h.siigo.notificationFor(product, 'public.siigoapi.products.update'),
      available_quantity: 99,
      last_updated: '2020-01-01T00:00:00Z',
      stock_updated: '2020-01-01T00:00:00Z',
    };
    const calls = h.siigo.callCount();
    const response = await post(`/api/webhooks/receive?key=${callbackKey}`, JSON.stringify(old));
    expect(response.status).toBe(202);
    await eventually(async () => (await logs('&status=ignored')).some((item) => item.product_code === 'SKU00002'));
    expect(h.store.stockOf('SKU00002')).toBe(7);
    expect(h.siigo.callCount()).toBe(calls);
  });

  it.each([
    // Without the key nothing is logged (test/worker/hostile/siigo-unauth.test.ts); with it, a bad delivery is.
    ['no key', '/api/webhooks/receive', () => '{}', 401, 0],
    ['wrong key', '/api/webhooks/receive/not-the-key', () => '{}', 401, 0],
    ['malformed JSON', 'KEY', () => '{"company_key": ', 400, 1],
    ['wrong shape', 'KEY', () => JSON.stringify({ company_key: 'fake-company-key', topic: 'public.siigoapi.products.stock.update', code: 'SKU00001' }), 400, 1],
    [
      'another company',
      'KEY',
      () => JSON.stringify({ company_key: 'other', topic: 'public.siigoapi.products.stock.update', id: 'x', code: 'SKU00001', available_quantity: 1 }),
      403,
      1,
    ],
    [
      'another API user',
      'KEY',
      () =>
        JSON.stringify({
          company_key: 'fake-company-key',
          username: 'intruder@example',
          topic: 'public.siigoapi.products.stock.update',
          id: 'x',
          code: 'SKU00001',
          available_quantity: 1,
        }),
      403,
      1,
    ],
  ])('bad delivery (%s) → $3 JSON error, $4 rejected log row, nothing written', async (_name, path, body, status, logged) => {
    const before = {
      stock: h.store.stockOf('SKU00001'),
      requests: h.store.requests.length,
      changes: (await changes()).length,
      rejected: (await logs('&status=rejected')).length,
    };
    const response = await post(path === 'KEY' ? `/api/webhooks/receive/${callbackKey}` : path, body());
    expect(response.status).toBe(status);
    const json = (await response.json()) as { error: { code: string; message: string } };
    expect(json.error.code).toBeTruthy();
    expect(json.error.message).toBeTruthy();
    expect((await logs('&status=rejected')).length).toBe(before.rejected + logged);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.store.stockOf('SKU00001')).toBe(before.stock);
    expect(h.store.requests.length).toBe(before.requests);
    expect((await changes()).length).toBe(before.changes);
  });

  it('reports a SKU WooCommerce does not have without failing', async () => {
    h.siigo.seed(1, { prefix: 'NEW', quantity: () => 4 });
    const product = h.siigo.product('NEW00001');
    if (!product) throw new Error('missing product');
    await h.siigo.notify(product, 'public.siigoapi.products.create');
    const change = await eventually(async () => (await changes()).find((item) => item.code === 'NEW00001'));
    expect(change).toMatchObject({ result: 'unknown_sku', new_quantity: 4 });
    const stats = await h.api<{ products: { unknown_sku: number } }>('GET', '/api/v1/stock/stats');
    expect(stats.body.products.unknown_sku).toBe(1);
  });

  it('POST /api/webhooks/test simulates a delivery; bad bodies get 400 with field errors', async () => {
    const bad = await h.api<{ error: { code: string; details: { fields: Record<string, string[]> } } }>('POST', '/api/webhooks/test', {
      product_id: '',
      new_stock: -1,
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.details.fields).sort()).toEqual(['new_stock', 'product_id']);
    const accepted = await h.api<{ log_id: number }>('POST', '/api/webhooks/test', { product_id: 'SKU00003', new_stock: 25 });
    expect(accepted.status).toBe(202);
    await eventually(() => h.store.stockOf('SKU00003') === 25);
    const change = await eventually(
      async () => (await changes()).find((item) => item.code === 'SKU00003' && item.new_quantity === 25),
      5_000,
      'the manual change row',
    );
    expect(change.source).toBe('manual');
  });

  it('streams changes to admin clients as Server-Sent Events (and refuses anonymous ones)', async () => {
    const anonymous = await fetch(`${h.runtime.url}/api/v1/stock/stream`);
    expect(anonymous.status).toBe(401);
    const controller = new AbortController();
    const response = await fetch(`${h.runtime.url}/api/v1/stock/stream`, {
      headers: { Authorization: 'Bearer test-admin-token-0123456789abcdef' },
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no body');
    let text = '';
    const read = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += new TextDecoder().decode(value);
        if (text.includes('"code":"SKU00004"')) return;
      }
    })();
    await eventually(() => text.includes('retry:'));
    await h.siigo.setStock('SKU00004', 3);
    await Promise.race([read, eventually(() => text.includes('SKU00004'), 10_000, 'SSE event')]);
    controller.abort();
    expect(text).toMatch(/event: change\ndata: \{[^\n]*"code":"SKU00004"[^\n]*"new_quantity":3/);
  });

  it('settings: credentials are write-only, invalid input changes nothing, wrong credentials are explained', async () => {
    const invalid = await h.api<{ error: { details: { fields: Record<string, string[]> } } }>('PUT', '/api/v1/stock/settings', {
      credentials: { username: 'x', access_key: 'k', partner_id: 'Sync Hub!' },
      warehouses: ['1'],
    });
    expect(invalid.status).toBe(400);
    expect(Object.keys(invalid.body.error.details.fields)).toEqual(['credentials.partner_id']);
    const unchanged = await h.api<{ warehouses: string[]; source: string }>('GET', '/api/v1/stock/settings');
    expect(unchanged.body).toMatchObject({ warehouses: [], source: 'environment' });

    const ok = await h.api<{ ok: boolean; warehouses: unknown[] }>('POST', '/api/v1/stock/settings/test');
    expect(ok.body.ok).toBe(true);
    expect(ok.body.warehouses.length).toBeGreaterThan(0);

    const saved = await h.api('PUT', '/api/v1/stock/settings', {
      credentials: { username: h.siigo.options.username, access_key: 'wrong-key', partner_id: 'SyncHubTests', api_url: h.siigo.url },
    });
    expect(saved.status).toBe(200);
    const shown = await h.api<Record<string, unknown>>('GET', '/api/v1/stock/settings');
    expect(shown.body).toMatchObject({ source: 'settings', has_access_key: true });
    expect(JSON.stringify(shown.body)).not.toContain('wrong-key');
    const failed = await h.api<{ ok: boolean; error: { code: string; message: string } }>('POST', '/api/v1/stock/settings/test');
    expect(failed.body.ok).toBe(false);
    expect(failed.body.error.code).toBe('siigo_auth');
    expect(failed.body.error.message).toMatch(/credentials|access key/i);
    // Put the good key back for whatever runs next.
    await h.api('PUT', '/api/v1/stock/settings', {
      credentials: { username: h.siigo.options.username, access_key: h.siigo.options.accessKey, partner_id: 'SyncHubTests', api_url: h.siigo.url },
    });
    expect((await h.api<{ ok: boolean }>('POST', '/api/v1/stock/settings/test')).body.ok).toBe(true);
  });
});

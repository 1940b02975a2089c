import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { FakeSiigo } from './server';

const H = { 'Partner-Id': 'SyncHubTests', 'Content-Type': 'application/json' };

describe('fake SIIGO', () => {
  let siigo: FakeSiigo;
  let token: string;

  const auth = async (body = { username: 'api@store.example', access_key: 'access-key-123' }) =>
    fetch(`${siigo.url}/auth`, { method: 'POST', headers: H, body: JSON.stringify(body) });
  const get = (path: string, headers: Record<string, string> = { ...H, Authorization: `Bearer ${token}` }) => fetch(`${siigo.url}${path}`, { headers });

  beforeEach(async () => {
    siigo = new FakeSiigo({ rateLimit: 20, rateWindowMs: 60_000 });
    await siigo.start();
    const response = await auth();
    token = ((await response.json()) as { access_token: string }).access_token;
  });
  afterEach(() => siigo.stop());

  it('authenticates with 201 and a bearer token, refuses wrong credentials with 401 unauthorized', async () => {
    const good = await auth();
    expect(good.status).toBe(201);
    expect(await good.json()).toMatchObject({ expires_in: 86_400, token_type: 'Bearer' });
    const bad = await auth({ username: 'api@store.example', access_key: 'nope' });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ Errors: [{ Code: 'unauthorized' }] });
  });

  it('requires Partner-Id on every request', async () => {
    const response = await fetch(`${siigo.url}/v1/products`, { headers: { Authorization: `Bearer ${token}` } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ Errors: [{ Code: 'header_required' }] });
    const spaced = await get('/v1/products', { 'Partner-Id': 'Sync Hub', Authorization: `Bearer ${token}` });
    expect(spaced.status).toBe(400);
  });

  it('refuses expired tokens', async () => {
    expect((await get('/v1/warehouses')).status).toBe(200);
    siigo.expireTokens();
    const response = await get('/v1/warehouses');
    expect(response.status).toBe(401);
  });

  it('pages newest-created first, caps page_size at 100 and filters by updated_start', async () => {
    siigo.seed(130);
    const first = (await (await get('/v1/products?page=1&page_size=100')).json()) as {
      pagination: { total_results: number };
      results: Array<{ code: string }>;
    };
    expect(first.pagination.total_results).toBe(130);
    expect(first.results).toHaveLength(100);
    expect(first.results[0]?.code).toBe('SKU00130');
    const second = (await (await get('/v1/products?page=2&page_size=100')).json()) as { results: unknown[] };
    expect(second.results).toHaveLength(30);
    expect((await get('/v1/products?page_size=101')).status).toBe(400);

    const since = new Date(Date.now() + 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await siigo.setStock('SKU00007', 3, { notify: false });
    const changed = (await (await get(`/v1/products?updated_start=${since}&page_size=100`)).json()) as {
      results: Array<{ code: string; available_quantity: number }>;
    };
    expect(changed.results.map((item) => item.code)).toEqual(['SKU00007']);
    expect(changed.results[0]?.available_quantity).toBe(3);
    expect((await get('/v1/products?updated_start=yesterday')).status).toBe(400);
  });

  it('answers 429 requests_limit once the window is full, and counts calls', async () => {
    siigo.resetCalls();
    const statuses: number[] = [];
    for (let index = 0; index < 25; index += 1) statuses.push((await get('/v1/warehouses')).status);
    // One call (the auth in beforeEach) already sits in the window.
    expect(statuses.filter((status) => status === 200)).toHaveLength(19);
    expect(statuses.slice(19).every((status) => status === 429)).toBe(true);
    const limited = await get('/v1/warehouses');
    expect(await limited.json()).toMatchObject({ Status: 429, Errors: [{ Code: 'requests_limit' }] });
    expect(siigo.callCount()).toBe(26);
    expect(siigo.peakInWindow).toBe(20);
  });

  it('manages webhook subscriptions and POSTs notifications to them', async () => {
    const received: unknown[] = [];
    const { createServer } = await import('node:http');
    const hook = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', () => resolve()));
    const address = hook.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
    const headers = { ...H, Authorization: `Bearer ${token}` };
    const created = await fetch(`${siigo.url}/v1/webhooks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ application_id: 'SyncHub', topic: 'public.siigoapi.products.stock.update', url }),
    });
    expect(created.status).toBe(201);
    const subscription = (await created.json()) as { id: string; company_key: string };
    expect(subscription.company_key).toBe('fake-company-key');
    const again = await fetch(`${siigo.url}/v1/webhooks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ application_id: 'SyncHub', topic: 'public.siigoapi.products.stock.update', url }),
    });
    expect(again.status).toBe(400);

    siigo.seed(1);
    await siigo.setStock('SKU00001', 42);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      topic: 'public.siigoapi.products.stock.update',
      code: 'SKU00001',
      available_quantity: 42,
      company_key: 'fake-company-key',
    });

    const deleted = await fetch(`${siigo.url}/v1/webhooks/${subscription.id}`, { method: 'DELETE', headers });
    expect(await deleted.json()).toEqual({ id: subscription.id, deleted: true });
    await siigo.setStock('SKU00001', 43);
    expect(received).toHaveLength(1);
    await new Promise<void>((resolve) => hook.close(() => resolve()));
  });
});

// Hostile callers of the public SIIGO callback (`POST /api/webhooks/receive`): without the key
// nothing is stored, whatever the body, and an address that keeps trying gets 429 with Retry-After.
// Every case asserts the status and counts the log rows before and after.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { webhookKey } from '../../../worker/src/stock/settings';
import { eventually, startStockHarness, type StockHarness } from '../stock/helpers';

const LIMIT = 3;
let h: StockHarness;
let key = '';

beforeAll(async () => {
  h = await startStockHarness({ products: 2, env: { SIIGO_WEBHOOK_UNAUTH_PER_MINUTE: String(LIMIT) } });
  for (const code of ['SKU00001', 'SKU00002']) h.store.add(code);
  await eventually(() => h.store.stockOf('SKU00002') === 10, 10_000, 'the first sweep');
  key = await webhookKey(h.runtime.ctx);
});
afterAll(() => h?.dispose());

// Each case starts with a clean slate for this address (the limiter's counters live in Redis).
beforeEach(async () => {
  const keys = await h.runtime.ctx.redis.keys(`${h.runtime.prefix}:siigo-webhook-unauth*`);
  if (keys.length > 0) await h.runtime.ctx.redis.del(...keys);
});

async function logRows(): Promise<number> {
  const row = await h.runtime.ctx.db
    .selectFrom('synchub_stock_webhook_logs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

const post = (path: string, body: string) => fetch(`${h.runtime.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
const notification = (code: string) => {
  const product = h.siigo.product(code);
  if (!product) throw new Error(`no SIIGO product ${code}`);
  return JSON.stringify(h.siigo.notificationFor(product, 'public.siigoapi.products.stock.update'));
};

describe('SIIGO callback without the key', () => {
  it.each([
    ['no key', () => '/api/webhooks/receive'],
    ['a wrong key in the path', () => '/api/webhooks/receive/not-the-key'],
    ['a wrong key in the query', () => '/api/webhooks/receive?key=not-the-key'],
    ['the key with one character changed', () => `/api/webhooks/receive/${key.slice(0, -1)}${key.endsWith('a') ? 'b' : 'a'}`],
    ['the key as a prefix', () => `/api/webhooks/receive/${key.slice(0, 10)}`],
    ['an empty query key', () => '/api/webhooks/receive?key='],
  ])('%s → 401, no log row, no payload kept, no stock written', async (_label, path) => {
    const body = notification('SKU00001');
    const before = { rows: await logRows(), requests: h.store.requests.length };
    const response = await post(path(), body);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: 'invalid_key', message: expect.any(String) } });
    expect(await logRows()).toBe(before.rows);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.store.requests.length).toBe(before.requests);
  });

  it('a 64 KB body without the key is not stored anywhere', async () => {
    const marker = `hostile-${Date.now()}`;
    const body = JSON.stringify({
      company_key: marker,
      topic: 'public.siigoapi.products.stock.update',
      id: 'x',
      code: 'SKU00001',
      filler: 'x'.repeat(64 * 1024),
    });
    const before = await logRows();
    const response = await post('/api/webhooks/receive/not-the-key', body);
    expect(response.status).toBe(401);
    expect(await logRows()).toBe(before);
    const kept = await h.runtime.ctx.db.selectFrom('synchub_stock_webhook_logs').select('id').where('payload', 'like', `%${marker}%`).execute();
    expect(kept).toHaveLength(0);
  });

  it(`after ${LIMIT} refusals in a minute an address gets 429 with Retry-After, and still nothing is stored`, async () => {
    const before = await logRows();
    for (let attempt = 0; attempt < LIMIT; attempt += 1) expect((await post('/api/webhooks/receive/guess-' + attempt, '{}')).status).toBe(401);
    for (const path of ['/api/webhooks/receive/guess-x', '/api/webhooks/receive?key=guess-y', '/api/webhooks/receive']) {
      const limited = await post(path, '{}');
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(await limited.json()).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    }
    expect(await logRows()).toBe(before);
  });

  it('a limited address that presents the right key is served (SIIGO is never locked out by guessers)', async () => {
    for (let attempt = 0; attempt <= LIMIT; attempt += 1) await post('/api/webhooks/receive/guess', '{}');
    expect((await post('/api/webhooks/receive/guess', '{}')).status).toBe(429);
    const before = await logRows();
    const response = await post(`/api/webhooks/receive/${key}`, notification('SKU00002'));
    expect(response.status).toBe(202);
    expect(await logRows()).toBe(before + 1);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { callbackUrl } from '../../../worker/src/stock/webhooks/subscriptions';
import { freePort } from '../../support/listen';
import { adminHeaders } from '../../support/runtime';
import { eventually, startStockHarness, type StockHarness } from './helpers';

describe('callbackUrl', () => {
  it.each([
    ['https://shop.example', 'https://shop.example/api/webhooks/receive/KEY'],
    ['https://shop.example/', 'https://shop.example/api/webhooks/receive/KEY'],
    ['https://shop.example/api/webhooks', 'https://shop.example/api/webhooks/receive/KEY'],
    ['https://shop.example/api/webhooks/', 'https://shop.example/api/webhooks/receive/KEY'],
    ['https://shop.example/api/webhooks/receive', 'https://shop.example/api/webhooks/receive/KEY'],
    ['https://shop.example/worker', 'https://shop.example/worker/api/webhooks/receive/KEY'],
    ['https://shop.example/worker/api/webhooks', 'https://shop.example/worker/api/webhooks/receive/KEY'],
  ])('%s → %s', (base, expected) => {
    expect(callbackUrl(base, 'KEY')).toBe(expected);
  });
});

/** The original SIIGO stock service's contract: its WEBHOOK_BASE_URL, auto-subscription, notice and stats fields. */
describe('stock: the original service’s contract', () => {
  let h: StockHarness;
  let base = '';
  const wooIds = new Map<string, number>();

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    h = await startStockHarness({ products: 3, env: { PORT: String(port), WEBHOOK_BASE_URL: `${base}/api/webhooks` } });
    for (const code of ['SKU00001', 'SKU00002', 'SKU00003']) wooIds.set(code, h.store.add(code).id);
  });
  afterAll(() => h?.dispose());

  it('subscribes the three topics at start, at …/api/webhooks/receive/<key> (never …/api/webhooks/api/webhooks/…)', async () => {
    const subscriptions = await eventually(
      () => (h.siigo.subscriptionList().length === 3 ? h.siigo.subscriptionList() : undefined),
      10_000,
      'automatic subscription',
    );
    for (const subscription of subscriptions) expect(subscription.url).toMatch(new RegExp(`^${base}/api/webhooks/receive/[A-Za-z0-9]{30,}$`));
    expect(subscriptions.map((item) => item.topic).sort()).toEqual([
      'public.siigoapi.products.create',
      'public.siigoapi.products.stock.update',
      'public.siigoapi.products.update',
    ]);
  });

  it('reports the subscriptions from the local table, key masked, without calling SIIGO', async () => {
    const key = h.siigo.subscriptionList()[0]?.url.split('/').at(-1) ?? '';
    const listed = await eventually(async () => {
      const body = (
        await h.api<{ items: Array<{ id: string; topic: string; url: string; ours: boolean; company_key: string }> }>('GET', '/api/webhooks/subscriptions')
      ).body;
      return body.items.length === 3 ? body : undefined;
    });
    const calls = h.siigo.callCount();
    const again = await h.api<{ items: unknown[] }>('GET', '/api/webhooks/subscriptions');
    expect(h.siigo.callCount()).toBe(calls);
    expect(again.body.items).toHaveLength(3);
    expect(listed.items.every((item) => item.ours && item.company_key === h.siigo.options.companyKey)).toBe(true);
    expect(listed.items.map((item) => item.id).sort()).toEqual(
      h.siigo
        .subscriptionList()
        .map((item) => item.id)
        .sort(),
    );
    expect(JSON.stringify(listed)).not.toContain(key);
    expect(listed.items[0]?.url).toBe(`${base}/api/webhooks/receive/••••`);

    const refreshed = await h.api<{ items: unknown[] }>('GET', '/api/webhooks/subscriptions?refresh=true');
    expect(refreshed.body.items).toHaveLength(3);
    expect(h.siigo.callCount()).toBeGreaterThan(calls);
    expect((await h.api('GET', '/api/webhooks/subscriptions?refresh=maybe')).status).toBe(400);
  });

  it('live notices carry productId, siigoProductId, productName, oldStock, newStock, source, timestamp', async () => {
    await eventually(() => h.store.stockOf('SKU00003') === 10, 10_000, 'first sweep');
    const controller = new AbortController();
    const response = await fetch(`${h.runtime.url}/api/v1/stock/stream`, { headers: adminHeaders(), signal: controller.signal });
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no body');
    let text = '';
    const read = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += new TextDecoder().decode(value);
        if (text.includes('"newStock":4')) return;
      }
    })();
    await eventually(() => text.includes('retry:'));
    const before = Date.now();
    await h.siigo.setStock('SKU00003', 4);
    await Promise.race([read, eventually(() => text.includes('"newStock":4'), 10_000, 'SSE notice')]);
    controller.abort();
    const frame = text.split('\n').find((line) => line.startsWith('data: ') && line.includes('"newStock":4')) ?? '';
    const notice = JSON.parse(frame.slice('data: '.length)) as Record<string, unknown>;
    const product = h.siigo.product('SKU00003');
    expect(notice).toMatchObject({
      productId: wooIds.get('SKU00003'),
      siigoProductId: product?.id,
      productName: product?.name,
      oldStock: 10,
      newStock: 4,
      source: 'webhook',
    });
    expect(Date.parse(String(notice.timestamp))).toBeGreaterThanOrEqual(before - 1_000);

    const changes = await h.api<{ items: Array<Record<string, unknown>> }>('GET', '/api/v1/stock/changes?limit=1');
    expect(changes.body.items[0]).toMatchObject({ siigoProductId: product?.id, oldStock: 10, newStock: 4 });
  });

  it('stats add avg_stock, webhooks_configured and sync_running', async () => {
    const stats = await h.api<{ avg_stock: number; webhooks_configured: boolean; sync_running: boolean }>('GET', '/api/v1/stock/stats');
    expect(stats.body).toMatchObject({ avg_stock: 8, webhooks_configured: true, sync_running: false });
    await h.runtime.ctx.redis.set(`${h.runtime.prefix}:stock:sweep-lock`, 'test', 'PX', 5_000);
    expect((await h.api<{ sync_running: boolean }>('GET', '/api/v1/stock/stats')).body.sync_running).toBe(true);
    await h.runtime.ctx.redis.del(`${h.runtime.prefix}:stock:sweep-lock`);
  });
});

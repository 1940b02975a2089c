import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { compareStock, type SiigoStock, type WooSkuStock } from '../../../worker/src/stock/drift-rules';
import { addStoreProduct, setStoreStock } from '../../fakes/woocommerce-db/catalog';
import { createWooCommerceFixture, type WooFixture } from '../../fakes/woocommerce-db/fixture';
import { eventually, startStockHarness, type StockHarness } from './helpers';

const woo = (sku: string, quantity: number | null, managed = true, productId = 1): WooSkuStock => ({ sku, productId, managed, quantity });
const siigo = (code: string, quantity: number | null): SiigoStock => ({ code, name: code, quantity });

describe('compareStock', () => {
  it.each([
    { name: 'same quantities', woo: [woo('A', 5)], siigo: [siigo('A', 5)], kinds: [] },
    { name: 'quantity differs', woo: [woo('A', 4)], siigo: [siigo('A', 5)], kinds: ['A:quantity_differs'] },
    { name: 'WooCommerce stock unset', woo: [woo('A', null)], siigo: [siigo('A', 5)], kinds: ['A:quantity_differs'] },
    { name: 'stock not managed in WooCommerce', woo: [woo('A', 1, false)], siigo: [siigo('A', 5)], kinds: [] },
    { name: 'SIIGO does not control stock', woo: [woo('A', 1)], siigo: [siigo('A', null)], kinds: [] },
    { name: 'only in SIIGO', woo: [], siigo: [siigo('B', 2)], kinds: ['B:only_in_siigo'] },
    { name: 'only in WooCommerce (managed)', woo: [woo('C', 2)], siigo: [], kinds: ['C:only_in_woocommerce'] },
    { name: 'only in WooCommerce (not managed: not ours)', woo: [woo('C', 2, false)], siigo: [], kinds: [] },
    { name: 'a SKU given twice counts once (first product)', woo: [woo('A', 5, true, 1), woo('A', 9, true, 2)], siigo: [siigo('A', 5)], kinds: [] },
  ])('$name', ({ woo: store, siigo: ledger, kinds }) => {
    expect(compareStock(store, ledger).map((item) => `${item.id}:${item.kind}`)).toEqual(kinds);
  });

  it('only quantity differences are re-synced, with both quantities shown', () => {
    const [item] = compareStock([woo('A', 3, true, 77)], [siigo('A', 8)]);
    expect(item).toEqual({
      id: 'A',
      kind: 'quantity_differs',
      detail: { name: 'A', product_id: 77, woocommerce_quantity: 3, siigo_quantity: 8 },
      resyncable: true,
    });
    expect(compareStock([], [siigo('B', 1)])[0]?.resyncable).toBe(false);
  });
});

/**
 * Against real data: the store's products in a real MariaDB WooCommerce database, SIIGO and the
 * plugin's stock endpoint as protocol fakes. The fake endpoint keeps its own stock, so the test
 * copies each write it accepted into the database, as the plugin does with wc_update_product_stock.
 * (A real-peer variant: point WOOCOMMERCE_MYSQL_* and STORE_URL at a real WordPress + WooCommerce.)
 */
describe('stock drift against a real store database', () => {
  let harness: StockHarness;
  let fixture: WooFixture;
  const mirrorPluginWrites = async () => {
    for (const product of harness.store.products.values()) if (product.stock !== null) await setStoreStock(fixture, product.sku, product.stock);
  };
  const check = async () => {
    const queued = await harness.api<{ job_id: string }>('POST', '/api/v1/drift/check', { domains: ['stock'] });
    expect(queued.status).toBe(202);
    return eventually(
      async () => {
        const { body } = await harness.api<{ running: unknown; report: Record<string, any> | null }>('GET', '/api/v1/drift/stock');
        return body.running === null && body.report && Date.parse(body.report.checkedAt) >= started ? body.report : undefined;
      },
      15_000,
      'the stock drift report',
    );
  };
  let started = 0;

  beforeAll(async () => {
    fixture = await createWooCommerceFixture({ storage: 'hpos', spec: { paidOrders: 0 }, label: 'drift_stock' });
    harness = await startStockHarness({ products: 4, env: fixture.env });
    // The store has SKU00001–3 (SKU00004 is only in SIIGO) and a managed SKU SIIGO does not know.
    for (const [index, code] of ['SKU00001', 'SKU00002', 'SKU00003'].entries()) {
      const product = harness.siigo.product(code)!;
      harness.store.add(product.code, { stock: 0 });
      await addStoreProduct(fixture, { id: 500 + index, name: product.name, sku: product.code, stock: 0 });
    }
    await addStoreProduct(fixture, { id: 600, name: 'Solo en la tienda', sku: 'WOO-ONLY', stock: 3 });
    await addStoreProduct(fixture, { id: 601, name: 'Sin control de stock', sku: 'NOT-MANAGED', manageStock: false });
  });
  afterAll(async () => {
    await harness?.dispose();
    await fixture?.drop();
  });

  it('says so when no sweep has read SIIGO yet', async () => {
    // The scheduler's first sweep may already have run (it did on a loaded CI machine): stop the
    // schedule, let any sweep in flight end, and forget what it read.
    const stock = harness.runtime.ctx.queues.get('stock');
    await stock.removeJobScheduler('stock-sweep');
    await eventually(async () => (await stock.getActiveCount()) + (await stock.getWaitingCount()) === 0, 15_000, 'no sweep in flight');
    await harness.runtime.ctx.db.deleteFrom('synchub_stock_products').execute();
    started = Date.now();
    const report = await check();
    expect(report).toMatchObject({ status: 'not_configured', message: expect.stringContaining('sweep') });
  });

  it('after a sweep: only the one-sided SKUs differ, and the check itself calls SIIGO no time', async () => {
    expect((await harness.api('POST', '/api/v1/stock/sync', { full: true })).status).toBe(202);
    await eventually(
      async () => (await harness.runtime.ctx.db.selectFrom('synchub_stock_products').select('code').execute()).length === 4,
      15_000,
      'the sweep',
    );
    await eventually(() => [...harness.store.products.values()].every((product) => product.stock === 10), 15_000, 'the stock writes');
    await mirrorPluginWrites();
    const stock = harness.runtime.ctx.queues.get('stock');
    // The sweeps (the one asked for and the scheduler's first) are over once SIIGO has been quiet for a while.
    let seen = -1;
    await eventually(
      async () => {
        const idle = (await stock.getActiveCount()) + (await stock.getWaitingCount()) === 0 && harness.siigo.callCount() === seen;
        seen = harness.siigo.callCount();
        await new Promise((resolve) => setTimeout(resolve, 400));
        return idle;
      },
      15_000,
      'the sweeps to end',
    );
    const calls = harness.siigo.callCount();
    started = Date.now();
    const report = await check();
    expect(harness.siigo.callCount(), JSON.stringify(harness.siigo.calls.slice(calls))).toBe(calls);
    expect(report).toMatchObject({ status: 'drift', compared: 4, kinds: { only_in_siigo: 1, only_in_woocommerce: 1 } });
    expect(report.items.map((item: { id: string }) => item.id).sort()).toEqual(['SKU00004', 'WOO-ONLY']);
    expect(report.sources.siigo_read_at).toEqual(expect.any(String));
  });

  it('finds stock changed in WooCommerce behind the worker\'s back, and "re-sync these" writes SIIGO\'s back', async () => {
    await setStoreStock(fixture, 'SKU00002', 7);
    started = Date.now();
    const drifted = await check();
    expect(drifted.kinds).toEqual({ quantity_differs: 1, only_in_siigo: 1, only_in_woocommerce: 1 });
    expect(drifted.items.find((item: { kind: string }) => item.kind === 'quantity_differs')).toMatchObject({
      id: 'SKU00002',
      detail: { woocommerce_quantity: 7, siigo_quantity: 10 },
      resyncable: true,
    });

    harness.store.products.get('SKU00002')!.stock = 7;
    const resync = await harness.api<{ enqueued: number; skipped: string[] }>('POST', '/api/v1/drift/stock/resync', { ids: ['SKU00002', 'UNKNOWN'] });
    expect(resync).toEqual({ status: 202, body: { status: 'queued', enqueued: 1, skipped: ['UNKNOWN'] } });
    await eventually(() => harness.store.stockOf('SKU00002') === 10, 15_000, 'the re-sync write');
    const audit = await harness.runtime.ctx.db
      .selectFrom('synchub_stock_changes')
      .select(['code', 'source', 'new_quantity'])
      .where('code', '=', 'SKU00002')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    expect(audit).toEqual({ code: 'SKU00002', source: 'manual', new_quantity: 10 });
    await mirrorPluginWrites();
    started = Date.now();
    expect((await check()).kinds).toEqual({ only_in_siigo: 1, only_in_woocommerce: 1 });
  });
});

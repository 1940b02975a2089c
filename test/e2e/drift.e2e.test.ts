// External dependencies
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Internal dependencies
import { startFakeOdoo, type FakeOdoo } from '../fakes/odoo/server';
import { FakeSiigo } from '../fakes/siigo/server';
import { FakeStore } from '../fakes/store/server';
import { addStoreProduct, setStoreStock } from '../fakes/woocommerce-db/catalog';
import { createWooCommerceFixture, type WooFixture } from '../fakes/woocommerce-db/fixture';
import { logIn, openBrowser, screenshot, type Browser } from '../support/browser';
import { createTestDatabase, uniquePrefix, type TestDatabase } from '../support/db';
import { pluginHeaders } from '../support/signing';
import { installFarsiCoreCatalogue, startWordPress, type WordPressSite } from '../support/wordpress';
import { startWorker, type WorkerProcess } from '../support/worker';
import { wcOrder } from '../worker/bookings/fixtures';

// The drift report, charts and setup checklist in a real browser: headless Chromium on a real
// WordPress (Debian's 6.1.9, WooCommerce absent) with the plugin, connected to a worker process
// on real MariaDB and Redis. The worker's peers are the protocol fakes: SIIGO, Odoo, the plugin's
// stock endpoint, and the store database as a real WooCommerce schema in MariaDB. A real-peer
// variant (WordPress 6.5.3 + WooCommerce 8.9.1, Odoo 17/18) swaps these for the peer harnesses.

const WEBHOOK_SECRET = 'e2e-drift-webhook-secret-0123456789abcdef';
describe('drift report, charts and checklist in headless Chromium', () => {
  let fixture: WooFixture;
  let siigo: FakeSiigo;
  let store: FakeStore;
  let odoo: FakeOdoo;
  let workerDb: TestDatabase;
  let worker: WorkerProcess;
  let site: WordPressSite;
  let browser: Browser;
  let page: Page;

  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${worker.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${worker.adminToken}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, any> };
  };
  const until = async <T>(probe: () => Promise<T | undefined | null | false> | T | undefined | null | false, what: string, timeoutMs = 30_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  /** What the plugin's stock endpoint accepted, written to the store database as WooCommerce does. */
  const mirrorStockWrites = async () => {
    for (const product of store.products.values()) if (product.stock !== null) await setStoreStock(fixture, product.sku, product.stock);
  };
  const openTab = async (tab: string) => {
    await page.goto(`${site.url}/wp-admin/tools.php?page=sync-hub&tab=${tab}`);
    await page.locator('#synchub-admin-root .synchub-page').waitFor({ timeout: 20_000 });
  };
  const domain = (name: string): Locator => page.locator(`.synchub-drift__domain[data-domain="${name}"]`);
  const status = (name: string) => domain(name).locator('[data-status]').first().getAttribute('data-status');
  /** "Check now" in the page, then waits until the worker's job ended and the page shows it. */
  const checkNow = async () => {
    const before = (await api('GET', '/api/v1/drift')).body.domains.map((entry: { report: { checkedAt: string } | null }) => entry.report?.checkedAt ?? '');
    await page.locator('.synchub-drift').getByRole('button').first().click();
    await until(
      async () => {
        const body = (await api('GET', '/api/v1/drift')).body;
        return (
          body.running === null &&
          body.domains.every((entry: { report: { checkedAt: string } | null }, index: number) => (entry.report?.checkedAt ?? '') !== before[index])
        );
      },
      'the drift check to end',
      60_000,
    );
    await page.locator('.synchub-drift__progress').waitFor({ state: 'detached' });
  };

  beforeAll(async () => {
    fixture = await createWooCommerceFixture({ storage: 'hpos', label: 'e2edrift', spec: { paidOrders: 12, unpaidOrders: 2, seed: 16 } });
    siigo = new FakeSiigo({ rateLimit: 1_000 });
    await siigo.start();
    siigo.seed(3);
    store = new FakeStore(WEBHOOK_SECRET);
    await store.start();
    for (const [index, code] of ['SKU00001', 'SKU00002', 'SKU00003'].entries()) {
      store.add(code, { stock: 10 });
      await addStoreProduct(fixture, { id: 700 + index, name: `Producto ${index + 1}`, sku: code, stock: 10 });
    }
    // The store sells in EUR: its Odoo has EUR active (Sync Hub never activates a currency itself).
    odoo = await startFakeOdoo({ activeCurrencies: ['EUR'] });
    workerDb = await createTestDatabase('e2edrift');
    worker = await startWorker({
      DATABASE_URL: workerDb.url,
      BULLMQ_PREFIX: uniquePrefix('e2e-drift'),
      WEBHOOK_SECRET,
      ...fixture.env,
      ...siigo.workerEnv(),
      STORE_URL: store.url,
      STOCK_SWEEP_INTERVAL_MS: '3600000',
      ODOO_URL: odoo.url,
      ODOO_DB: odoo.db,
      ODOO_USERNAME: odoo.login,
      ODOO_API_KEY: odoo.apiKey,
      BOOKINGS_SWEEP_INTERVAL_MS: '3600000',
      BOOKINGS_RETRY_DELAY_MS: '100',
    });
    site = await startWordPress({ env: { SYNCHUB_NO_WC_DOUBLE: '1' } });
    browser = await openBrowser();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await site?.stop();
    await worker?.stop();
    await workerDb?.drop();
    await odoo?.close();
    await store?.stop();
    await siigo?.stop();
    await fixture?.drop();
  });

  it('the checklist turns green as the connection is set up', async () => {
    await logIn(page, site);
    await openTab('overview');
    const checklist = page.locator('.synchub-checklist');
    await checklist.locator('[data-item="worker"]').waitFor();
    // The test site starts with a webhook secret only: nothing else is set up.
    const done = await checklist.locator('.is-done').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-item')));
    expect(done.filter((item) => item !== 'webhook_secret')).toEqual([]);
    expect(await checklist.locator('[data-item="admin_token"] a').getAttribute('href')).toContain('tab=overview');
    await screenshot(page, 'drift-checklist-before-en.png');

    await page.fill('.synchub-settings input[type="url"]', worker.url);
    await page.getByLabel('Admin token').fill(worker.adminToken);
    await page.getByLabel('Webhook secret').fill(WEBHOOK_SECRET);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.locator('.synchub-snackbars').getByText('Settings saved.').waitFor();
    await page.reload();
    await checklist.locator('[data-item="store_database"].is-done').waitFor({ timeout: 20_000 });
    for (const item of ['worker', 'admin_token', 'webhook_secret', 'store_database'])
      expect(await checklist.locator(`[data-item="${item}"]`).getAttribute('class')).toContain('is-done');
    // No integration token exists: that step stays open, with its link.
    expect(await checklist.locator('[data-item="products"] a').getAttribute('href')).toContain('tab=products');
  });

  it('after the first syncs: the drift report is in sync and the charts show them', async () => {
    const configuration = await api('POST', '/api/v1/sync-woocommerce/configurations/', {
      name: 'Año Nuevo',
      woocommerce_product_id: 10,
      event_name: 'Concierto',
      event_description: 'e2e',
      organizer_email: 'eventos@example.co',
      organizer_name: 'Eventos',
      service_fee_percentage: 5,
      sync_frequency: 'manual',
    });
    expect(configuration.status).toBe(201);
    const run = await api('POST', `/api/v1/sync-woocommerce/configurations/${configuration.body.id}/trigger_sync/`, {});
    expect(run.status).toBe(202);
    await until(async () => (await api('GET', `/api/v1/sync-woocommerce/executions/${run.body.id}/`)).body.status === 'completed', 'the events run');
    for (const id of [3001, 3002]) {
      const body = JSON.stringify(wcOrder(id, { slots: [{ persons: 2 }] }));
      expect(
        (await fetch(`${worker.url}/webhook/order`, { method: 'POST', headers: pluginHeaders(body, `e2e-drift-${id}`, { secret: WEBHOOK_SECRET }), body }))
          .status,
      ).toBe(202);
    }
    await until(() => odoo.orm.search('sale.order', [['client_order_ref', 'in', ['WC-3001', 'WC-3002']]]).length === 2, 'the sale orders');
    expect((await api('POST', '/api/v1/stock/sync', { full: true })).status).toBe(202);
    await until(async () => (await api('GET', '/api/v1/stock/stats')).body.products?.total === 3, 'the stock sweep');

    await openTab('status');
    await checkNow();
    await until(
      async () => (await status('events')) === 'in_sync' && (await status('bookings')) === 'in_sync' && (await status('stock')) === 'in_sync',
      'the report in the page',
    );
    // Products: nothing was ingested, so the store's published products are reported missing.
    expect(await status('products')).toBe('drift');
    const stockChart = page.locator('[data-chart="stock_changes"] svg[role="img"]');
    await stockChart.waitFor();
    // The sweep asked for and the scheduler's first one race: 3 writes between them.
    const totals = /^Stock changes by source\. Totals: Webhook: 0, Sweep: (\d+), Manual: (\d+)\.$/.exec((await stockChart.getAttribute('aria-label')) ?? '');
    expect(Number(totals?.[1]) + Number(totals?.[2])).toBe(3);
    expect(await page.locator('[data-chart="events_synced"] svg[role="img"]').getAttribute('aria-label')).toMatch(/Orders: \d+, Tickets: \d+/);
    await screenshot(page, 'drift-charts-en.png');
  });

  it('finds stock changed behind the worker\'s back and a sale order deleted in Odoo; "re-sync these" fixes both', async () => {
    await setStoreStock(fixture, 'SKU00002', 4);
    const [deleted] = odoo.orm.search('sale.order', [['client_order_ref', '=', 'WC-3001']]);
    odoo.orm.tables.get('sale.order')?.delete(Number(deleted?.id));

    await openTab('status');
    await checkNow();
    await until(async () => (await status('stock')) === 'drift' && (await status('bookings')) === 'drift', 'the drift in the page');
    expect(await domain('stock').getByRole('cell', { name: 'SKU00002' }).count()).toBe(1);
    expect(await domain('stock').innerText()).toContain('WooCommerce stock differs from SIIGO');
    expect(await domain('bookings').innerText()).toContain('Sale order deleted in Odoo');
    await screenshot(page, 'drift-report-en.png');

    await domain('stock').getByRole('button', { name: 'Re-sync this one' }).click();
    await page.locator('.synchub-snackbars').getByText('Re-sync queued (1). Check again once it has run.').first().waitFor();
    await domain('bookings').getByRole('button', { name: 'Re-sync this one' }).click();
    await until(() => store.stockOf('SKU00002') === 10 && store.products.size === 3, 'the stock write');
    await mirrorStockWrites();
    await until(() => odoo.orm.search('sale.order', [['client_order_ref', '=', 'WC-3001']]).length === 1, 'a new sale order');

    await checkNow();
    await until(async () => (await status('stock')) === 'in_sync' && (await status('bookings')) === 'in_sync', 'the fixed report in the page');
    await screenshot(page, 'drift-fixed-en.png');
    await openTab('overview');
    await page.locator('.synchub-checklist [data-item="first_sync"].is-done').waitFor({ timeout: 20_000 });
    await screenshot(page, 'drift-overview-en.png');
  });

  it('in Spanish', async () => {
    await site.runPhp(`update_user_meta( get_user_by( 'login', ${JSON.stringify(site.adminUser)} )->ID, 'locale', 'es_ES' ); echo 'ok';`);
    await openTab('status');
    await page.getByRole('heading', { name: '¿Está todo sincronizado?' }).waitFor();
    await domain('stock').getByText('Sincronizado').waitFor();
    expect(await page.locator('[data-chart="stock_changes"] figcaption').innerText()).toBe('Cambios de stock por origen');
    await screenshot(page, 'drift-report-es_ES.png');
    await openTab('overview');
    await page.getByRole('heading', { name: 'Lista de configuración' }).waitFor();
    await screenshot(page, 'drift-overview-es_ES.png');
  });

  it('in Persian, right to left, time running from right to left', async () => {
    await installFarsiCoreCatalogue(site);
    await site.runPhp(`update_user_meta( get_user_by( 'login', ${JSON.stringify(site.adminUser)} )->ID, 'locale', 'fa_IR' ); echo 'ok';`);
    await openTab('status');
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await page.getByRole('heading', { name: 'آیا همه‌چیز همگام است؟' }).waitFor();
    await domain('stock').getByText('همگام').first().waitFor();
    // The newest day is drawn on the left: the first bar group (oldest) sits right of the last.
    const groups = page.locator('[data-chart="stock_changes"] svg g g');
    const first = await groups.first().boundingBox();
    const last = await groups.last().boundingBox();
    expect((first?.x ?? 0) > (last?.x ?? 0)).toBe(true);
    await screenshot(page, 'drift-report-fa_IR.png');
    await openTab('overview');
    await page.getByRole('heading', { name: 'فهرست راه‌اندازی' }).waitFor();
    await screenshot(page, 'drift-overview-fa_IR.png');
  });

  it('left no script errors in the browser', () => {
    expect(browser.errors).toEqual([]);
  });
});

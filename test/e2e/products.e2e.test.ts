// External dependencies
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Internal dependencies
import type { HealthReport } from '../../worker/src/core/health';
import type { eventView, productView } from '../../worker/src/products/catalog/routes';
import { startFakeEmbeddings, type FakeEmbeddingsServer } from '../fakes/embeddings/server';
import { logIn, openBrowser, screenshot, type Browser } from '../support/browser';
import { createTestDatabase, uniquePrefix, type TestDatabase } from '../support/db';
import { until } from '../support/until';
import { PLUGIN_TEST_MU_PLUGINS, startWordPress, type WordPressSite } from '../support/wordpress';
import { startWorker, type WorkerProcess } from '../support/worker';

// The products feed end to end: product saves in a real WordPress (the WooCommerce product double
// fires WooCommerce's own hooks) → the plugin's debounced outbox row → the plugin's dispatcher
// sends it with the integration token → the worker process logs the event, applies it to its
// product store and embeds the text through an OpenAI-compatible server that counts its calls.
// Last, the Products tab of the admin page in headless Chromium shows the worker's counts.

const WEBHOOK_SECRET = 'e2e-products-webhook-secret-0123456789';
const ADMIN_TOKEN = 'e2e-products-admin-token-0123456789abcdef';
const EMBEDDINGS_KEY = 'sk-e2e-products-embeddings';
const INGEST_PATH = '/api/integrations/woocommerce/webhook/';
// Long enough that no row is due before the test says time has passed (see runDispatcher).
const DEBOUNCE_SECONDS = 60;

interface OutboxRow {
  topic: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_error: string | null;
  payload: { event_id: string; event_type: string; product: { id: number; name?: string; price?: string } };
}

/** The worker's JSON views (its dates already ISO strings); an event's payload is what the plugin sent. */
type StoredProduct = ReturnType<typeof productView>;
type LoggedEvent = Omit<ReturnType<typeof eventView>, 'payload'> & { payload: OutboxRow['payload'] };

describe('products feed, end to end', () => {
  let embeddings: FakeEmbeddingsServer;
  let workerDb: TestDatabase;
  let worker: WorkerProcess;
  let site: WordPressSite;
  let browser: Browser | undefined;
  let productId: number;

  /** Runs `body` as a PHP function of `$input` inside WordPress; resolves with what it returns. */
  const php = async <T>(body: string, input: unknown = null): Promise<T> => {
    const out = await site.runPhp(
      `echo wp_json_encode( ( static function ( $input ) { ${body} } )( json_decode( (string) getenv( 'SYNCHUB_E2E_INPUT' ), true ) ) );`,
      { SYNCHUB_E2E_INPUT: JSON.stringify(input) },
    );
    return JSON.parse(out) as T;
  };

  /** One save through WooCommerce's CRUD in its own request, as wp-admin's product form does. */
  const saveProduct = (changes: Record<string, unknown>) =>
    php<null>(`wc_get_product( $input['id'] )->set_for_test( $input['changes'] ); return null;`, { id: productId, changes });

  const outboxRows = async (): Promise<OutboxRow[]> => {
    const rows = await php<Array<Omit<OutboxRow, 'attempts' | 'payload'> & { attempts: string; payload: string }>>(
      `global $wpdb;
       $table = SyncHub\\Install\\Schema::outbox_table();
       return $wpdb->get_results( $wpdb->prepare( "SELECT topic, status, attempts, last_error, payload FROM {$table} WHERE resource_key = %s ORDER BY id", 'product:' . $input ), ARRAY_A );`,
      productId,
    );
    return rows.map((row) => ({ ...row, attempts: Number(row.attempts), payload: JSON.parse(row.payload) as OutboxRow['payload'] }));
  };

  /**
   * The plugin's dispatch cron. With `afterDebounce`, the debounce window has passed first (the
   * pending rows are made due, as the clock would); without it, only what is already due goes.
   */
  const runDispatcher = (afterDebounce: boolean) =>
    php<null>(
      `if ( $input ) {
         global $wpdb;
         $table = SyncHub\\Install\\Schema::outbox_table();
         $wpdb->query( "UPDATE {$table} SET next_attempt_at = UTC_TIMESTAMP() - INTERVAL 1 SECOND WHERE status = 'pending'" );
       }
       SyncHub\\Outbox\\Dispatcher::on_cron();
       return null;`,
      afterDebounce,
    );

  const adminGet = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${worker.url}${path}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(response.status, `${path}\n${worker.output().slice(-2000)}`).toBe(200);
    return (await response.json()) as T;
  };
  const storedProduct = async (): Promise<StoredProduct | undefined> =>
    (await adminGet<{ results: StoredProduct[] }>(`/api/v1/products/?external_id=woo_${productId}`)).results[0];
  const loggedEvents = async (): Promise<LoggedEvent[]> =>
    (await adminGet<{ results: LoggedEvent[] }>(`/api/v1/integrations/woocommerce/events/?product_id=${productId}&limit=500`)).results;
  const productsQueue = async (): Promise<HealthReport['queues'][string] | undefined> =>
    ((await (await fetch(`${worker.url}/health`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).json()) as HealthReport).queues.products;

  /** Waits until the worker has processed `count` events of the product and its queue is idle. */
  const settled = async (count: number): Promise<LoggedEvent[]> => {
    const events = await until('the events processed', loggedEvents, (rows) => rows.length >= count && rows.every((row) => row.status !== 'received'));
    await until('the products queue idle', productsQueue, (queue) => queue?.waiting === 0 && queue.active === 0);
    return events;
  };

  /** The product's outbox holds `count` rows, all delivered at the first attempt; resolves with the last. */
  const deliveredRows = async (count: number): Promise<OutboxRow> => {
    const rows = await outboxRows();
    expect(
      rows.map((row) => [row.status, row.attempts, row.last_error]),
      site.logs(),
    ).toEqual(Array.from({ length: count }, () => ['delivered', 1, null]));
    return rows[count - 1] as OutboxRow;
  };

  beforeAll(async () => {
    embeddings = await startFakeEmbeddings({ apiKey: EMBEDDINGS_KEY });
    workerDb = await createTestDatabase('e2e_products');
    worker = await startWorker({
      DATABASE_URL: workerDb.url,
      BULLMQ_PREFIX: uniquePrefix('e2e-products'),
      WEBHOOK_SECRET,
      SYNCHUB_ADMIN_TOKEN: ADMIN_TOKEN,
      EMBEDDINGS_URL: embeddings.url,
      EMBEDDINGS_MODEL: 'e2e-embed',
      EMBEDDINGS_API_KEY: EMBEDDINGS_KEY,
    });
    site = await startWordPress({ muPlugins: [PLUGIN_TEST_MU_PLUGINS] });

    // The integration token, generated by the worker as the Products screen does.
    const generated = await fetch(`${worker.url}/api/v1/integrations/tokens/generate/`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'e2e shop' }),
    });
    expect(generated.status, worker.output()).toBe(201);
    const { token } = (await generated.json()) as { token: string };

    const saved = await php<{ connection: unknown; products: unknown }>(
      `return array(
         'connection' => SyncHub\\Settings\\Settings::update( array( 'worker_url' => $input['worker_url'], 'webhook_secret' => $input['secret'], 'admin_token' => $input['admin_token'] ) ),
         'products'   => SyncHub\\Products\\ProductSettings::update( array( 'endpoint_url' => $input['endpoint_url'], 'token' => $input['token'], 'debounce' => $input['debounce'] ) ),
       );`,
      {
        worker_url: worker.url,
        secret: WEBHOOK_SECRET,
        admin_token: ADMIN_TOKEN,
        endpoint_url: `${worker.url}${INGEST_PATH}`,
        token,
        debounce: DEBOUNCE_SECONDS,
      },
    );
    expect(saved).toEqual({
      connection: { worker_url: worker.url, has_admin_token: true, has_webhook_secret: true },
      products: {
        endpoint_url: `${worker.url}${INGEST_PATH}`,
        effective_url: `${worker.url}${INGEST_PATH}`,
        default_endpoint_url: `${worker.url}${INGEST_PATH}`,
        has_token: true,
        token_needs_reentry: false,
        has_signing_key: true,
        debounce: DEBOUNCE_SECONDS,
        verified_at: null,
      },
    });
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.stop();
    await site?.stop();
    await workerDb?.drop();
    await embeddings?.close();
  });

  it('sends a new product to the worker, which stores and embeds it', async () => {
    productId = await php<number>(`return WC_Product::create_for_test( $input )->get_id();`, {
      name: 'Blue Mug',
      short_description: 'A stoneware mug.',
      description: '<p>Holds 350 ml of coffee.</p>',
      sku: 'MUG-E2E',
      price: '10.00',
      regular_price: '10.00',
      categories: ['Kitchen'],
      tags: ['blue'],
    });
    expect(productId).toBeGreaterThan(0);

    // One INSERT on the hook, held for the debounce window.
    const [recorded] = await outboxRows();
    expect(recorded).toMatchObject({ topic: 'product.created', status: 'pending', attempts: 0 });

    await runDispatcher(true);
    const sent = await deliveredRows(1);

    const events = await settled(1);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event).toMatchObject({
      event_id: sent.payload.event_id,
      event_type: 'product.created',
      product_id: productId,
      status: 'processed',
      success: true,
      error: null,
    });
    const stored = await until('the product embedded', storedProduct, (row) => row?.needs_embedding === false);
    expect(stored).toMatchObject({
      external_id: `woo_${productId}`,
      woo_id: productId,
      sku: 'MUG-E2E',
      name: 'Blue Mug',
      price: '10.00',
      regular_price: '10.00',
      categories: ['Kitchen'],
      is_active: true,
      deleted_at: null,
    });
    expect(embeddings.calls).toBeGreaterThan(0);
    expect(embeddings.authorizations.every((header) => header === `Bearer ${EMBEDDINGS_KEY}`)).toBe(true);
    expect(embeddings.inputs.join('\n')).toContain('Blue Mug');
    expect(embeddings.inputs.join('\n')).toContain('Holds 350 ml of coffee.');
  });

  it('coalesces several saves into one event that carries the latest state', async () => {
    const callsBefore = embeddings.calls;
    await saveProduct({ name: 'Blue Mug XL' });
    await saveProduct({ price: '12.50', regular_price: '12.50' });

    // One pending row for both saves, holding the latest state; not sent inside the window.
    const pending = (await outboxRows()).filter((row) => row.status === 'pending');
    expect(pending).toHaveLength(1);
    expect(pending[0]?.payload.product).toMatchObject({ name: 'Blue Mug XL', price: '12.50' });
    await runDispatcher(false);
    expect((await outboxRows()).filter((row) => row.status === 'pending')).toMatchObject([{ attempts: 0 }]);
    expect(await loggedEvents()).toHaveLength(1);

    await runDispatcher(true);
    const sent = await deliveredRows(2);

    const events = await settled(2);
    expect(events).toHaveLength(2);
    const latest = events.find((row) => row.event_id === sent.payload.event_id);
    expect(latest).toMatchObject({ event_type: 'product.updated', status: 'processed', payload: { product: { name: 'Blue Mug XL', price: '12.50' } } });
    expect(await storedProduct()).toMatchObject({
      name: 'Blue Mug XL',
      price: '12.50',
      regular_price: '12.50',
      needs_embedding: false,
      last_event_id: sent.payload.event_id,
    });
    // The name changed, so the text was embedded again — once, for the one event.
    expect(embeddings.calls).toBe(callsBefore + 1);
    expect(embeddings.inputs.at(-1)).toContain('Blue Mug XL');
  });

  it('applies a price-only edit without calling the embeddings server', async () => {
    const callsBefore = embeddings.calls;
    const before = await storedProduct();
    await saveProduct({ price: '9.75', regular_price: '9.75' });
    await runDispatcher(true);
    const sent = await deliveredRows(3);

    expect(await settled(3)).toHaveLength(3);
    const after = await until('the new price', storedProduct, (row) => row?.last_event_id === sent.payload.event_id);
    expect(after).toMatchObject({ name: 'Blue Mug XL', price: '9.75', regular_price: '9.75', needs_embedding: false, content_hash: before?.content_hash });
    expect(embeddings.calls).toBe(callsBefore);
  });

  it('soft-deletes a product trashed in wp-admin and restores it when untrashed', async () => {
    expect(await php<boolean>(`return (bool) wp_trash_post( $input );`, productId)).toBe(true);
    await runDispatcher(true);
    const trashed = await deliveredRows(4);
    expect(trashed.payload).toMatchObject({ event_type: 'product.deleted', product: { id: productId } });

    expect(await settled(4)).toHaveLength(4);
    const deleted = await until('the product soft-deleted', storedProduct, (row) => row?.is_active === false);
    expect(deleted?.deleted_at).not.toBeNull();
    expect(deleted).toMatchObject({ name: 'Blue Mug XL', last_event_id: trashed.payload.event_id });
    expect((await adminGet<{ count: number }>(`/api/v1/products/?external_id=woo_${productId}&is_active=true`)).count).toBe(0);

    // wp-admin's "Undo" after Move to Trash: back to the status it had (WordPress's own callback).
    const callsBefore = embeddings.calls;
    const status = await php<string>(
      `add_filter( 'wp_untrash_post_status', 'wp_untrash_post_set_previous_status', 10, 3 );
       wp_untrash_post( $input );
       remove_filter( 'wp_untrash_post_status', 'wp_untrash_post_set_previous_status', 10 );
       return get_post_status( $input );`,
      productId,
    );
    expect(status).toBe('publish');
    await runDispatcher(true);
    const restoredRow = await deliveredRows(5);
    expect(restoredRow.payload).toMatchObject({ event_type: 'product.created', product: { name: 'Blue Mug XL', price: '9.75' } });

    await settled(5);
    const restored = await until('the product active again', storedProduct, (row) => row?.is_active === true && row.needs_embedding === false);
    expect(restored).toMatchObject({ name: 'Blue Mug XL', price: '9.75', deleted_at: null, last_event_id: restoredRow.payload.event_id });
    // A deletion drops the embeddings, so the restored text is embedded again.
    expect(embeddings.calls).toBe(callsBefore + 1);

    const events = await loggedEvents();
    expect(events.map((row) => [row.event_type, row.status]).sort()).toEqual(
      [
        ['product.created', 'processed'],
        ['product.created', 'processed'],
        ['product.deleted', 'processed'],
        ['product.updated', 'processed'],
        ['product.updated', 'processed'],
      ].sort(),
    );
    expect(await adminGet('/api/v1/products/stats/')).toMatchObject({ total: 1, active: 1, deleted: 0, awaiting_embedding: 0 });
    expect((await productsQueue())?.failed).toBe(0);
  });

  it("shows the product store's counts and event log on the admin page's Products tab", async () => {
    browser = await openBrowser();
    const { page } = browser;
    await logIn(page, site);
    // WooCommerce's menu is absent here (only its product API is doubled), so the page sits under Tools.
    await page.goto(`${site.url}/wp-admin/tools.php?page=sync-hub`);
    await page.getByRole('tab', { name: 'Products' }).click();
    const counts = page.locator('.synchub-products-counts');
    const count = (key: string) => counts.locator(`[data-count="${key}"] dd`).innerText();
    await counts.locator('[data-count="active"] dd').waitFor();
    expect({ active: await count('active'), deleted: await count('deleted'), awaiting_embedding: await count('awaiting_embedding') }).toEqual({
      active: '1',
      deleted: '0',
      awaiting_embedding: '0',
    });
    // The event log card lists the five events the worker processed for this product.
    await page.locator('.synchub-products-events').getByText('Showing 5 of 5 events.').waitFor();
    await screenshot(page, 'admin-products.png');
    expect(browser.errors).toEqual([]);
  });
});

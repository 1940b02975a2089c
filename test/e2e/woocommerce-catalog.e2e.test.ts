// External dependencies
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Internal dependencies
import { startFakeEmbeddings, type FakeEmbeddingsServer } from '../fakes/embeddings/server';
import { until } from '../support/until';
import { STORAGE_MODES, wooSkipReason } from '../support/woocommerce';
import { startWooHarness, type WooHarness } from './woocommerce/harness';

// The catalogue on the real WordPress 6.5.3 + WooCommerce 8.9.1, in both order storage modes:
// simple and variable products created, edited, trashed and restored through WooCommerce's REST
// API (each call its own request, as wp-admin and integrations make them) reach the worker's
// product store with the price WooCommerce itself reports; the worker writes stock through the
// plugin and its history says what WooCommerce held before.

const skip = wooSkipReason();
if (skip) console.log(`woocommerce-catalog: ${skip}`);

const INGEST_PATH = '/api/integrations/woocommerce/webhook/';
const EMBEDDINGS_KEY = 'sk-e2e-woo-embeddings';

interface Payload {
  event_type: string;
  product: { id: number; price?: string; name?: string; variations?: Array<{ price: string }> };
}
interface Stored {
  price: string | null;
  name: string;
  is_active: boolean;
  deleted_at: string | null;
  variations: Array<{ price: string }>;
}

describe.skipIf(skip !== null).each(STORAGE_MODES)('WooCommerce catalogue, real store (%s)', (mode) => {
  let h: WooHarness;
  let embeddings: FakeEmbeddingsServer;
  let simpleId = 0;
  let variableId = 0;
  const variationIds: Record<string, number> = {};

  /** The newest payload the plugin recorded for a product. */
  const lastPayload = async (productId: number): Promise<Payload | undefined> => {
    const rows = await h.outbox(`resource_key = 'product:${productId}'`);
    const last = rows[rows.length - 1];
    return last ? (JSON.parse(last.payload) as Payload) : undefined;
  };
  /** What WooCommerce itself answers after the request (a fresh PHP process). */
  const wooPrice = async (productId: number): Promise<string> => (await h.site.crud<{ price: string }>('product', { id: productId })).price;
  const stored = async (productId: number): Promise<Stored | undefined> =>
    (await h.api<{ results: Stored[] }>('GET', `/api/v1/products/?external_id=woo_${productId}`)).body.results[0];
  /** Delivers what is due and waits until the worker's product store shows `check`. */
  const deliverAndWait = async (productId: number, check: (product: Stored | undefined) => boolean): Promise<Stored | undefined> => {
    await h.runBackground();
    const rows = await h.outbox(`resource_key = 'product:${productId}' AND status <> 'delivered'`);
    expect(
      rows.map((row) => row.last_error),
      h.site.logs(),
    ).toEqual([]);
    return until(`product ${productId} in the worker's store`, () => stored(productId), check, 30_000);
  };

  beforeAll(async () => {
    embeddings = await startFakeEmbeddings({ apiKey: EMBEDDINGS_KEY });
    h = await startWooHarness(mode, 'catalog', { EMBEDDINGS_URL: embeddings.url, EMBEDDINGS_MODEL: 'e2e-embed', EMBEDDINGS_API_KEY: EMBEDDINGS_KEY });
    const generated = await h.api<{ token: string }>('POST', '/api/v1/integrations/tokens/generate/', { name: `woo ${mode}` });
    expect(generated.status).toBe(201);
    const saved = await h.php<{ has_token: boolean }>(
      `return SyncHub\\Products\\ProductSettings::update( array( 'endpoint_url' => $input['url'], 'token' => $input['token'], 'debounce' => 0 ) );`,
      { url: `${h.worker.url}${INGEST_PATH}`, token: generated.body.token },
    );
    expect(saved.has_token).toBe(true);
  });

  afterAll(async () => {
    await h?.dispose();
    await embeddings?.close();
  });

  it('a simple product created through the REST API reaches the product store with its price', async () => {
    const created = await h.site.rest<{ id: number; price: string }>('POST', 'wc/v3/products', {
      name: `Mug ${mode}`,
      type: 'simple',
      regular_price: '25.00',
      sku: `MUG-${mode}`,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    simpleId = created.body.id;
    expect(await lastPayload(simpleId)).toMatchObject({ event_type: 'product.created', product: { id: simpleId, price: '25.00', name: `Mug ${mode}` } });
    const product = await deliverAndWait(simpleId, (row) => row?.price === '25.00');
    expect(product).toMatchObject({ name: `Mug ${mode}`, is_active: true });
  });

  it('an edit through the REST API updates the stored product', async () => {
    const edited = await h.site.rest('PUT', `wc/v3/products/${simpleId}`, { regular_price: '30.00', sale_price: '27.50', name: `Mug XL ${mode}` });
    expect(edited.status).toBe(200);
    expect(await lastPayload(simpleId)).toMatchObject({ event_type: 'product.updated', product: { price: '27.50', name: `Mug XL ${mode}` } });
    expect(await deliverAndWait(simpleId, (row) => row?.price === '27.50')).toMatchObject({ name: `Mug XL ${mode}` });
  });

  it("a variable product's parent price equals WooCommerce's own after every change", async () => {
    const created = await h.site.rest<{ id: number }>('POST', 'wc/v3/products', {
      name: `Shirt ${mode}`,
      type: 'variable',
      sku: `SHIRT-${mode}`,
      attributes: [{ name: 'Size', options: ['S', 'L'], variation: true, visible: true }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    variableId = created.body.id;
    const steps: Array<[string, () => Promise<{ status: number }>]> = [
      [
        'variation S at 10',
        async () => {
          const r = await h.site.rest<{ id: number }>('POST', `wc/v3/products/${variableId}/variations`, {
            regular_price: '10.00',
            attributes: [{ name: 'Size', option: 'S' }],
          });
          variationIds.S = r.body.id;
          return r;
        },
      ],
      [
        'variation L at 15',
        async () => {
          const r = await h.site.rest<{ id: number }>('POST', `wc/v3/products/${variableId}/variations`, {
            regular_price: '15.00',
            attributes: [{ name: 'Size', option: 'L' }],
          });
          variationIds.L = r.body.id;
          return r;
        },
      ],
      ['S raised to 18', () => h.site.rest('PUT', `wc/v3/products/${variableId}/variations/${variationIds.S}`, { regular_price: '18.00' })],
      ['L lowered to 9', () => h.site.rest('PUT', `wc/v3/products/${variableId}/variations/${variationIds.L}`, { regular_price: '9.00' })],
    ];
    const seen: Array<[string, string | undefined, string]> = [];
    for (const [step, change] of steps) {
      const response = await change();
      expect(response.status, step).toBeLessThan(300);
      seen.push([step, (await lastPayload(variableId))?.product.price, await wooPrice(variableId)]);
    }
    // Each recorded price is WooCommerce's own after that request, never the state before its sync.
    expect(seen).toEqual([
      ['variation S at 10', '10.00', '10.00'],
      ['variation L at 15', '10.00', '10.00'],
      ['S raised to 18', '15.00', '15.00'],
      ['L lowered to 9', '9.00', '9.00'],
    ]);
    const product = await deliverAndWait(variableId, (row) => row?.price === '9.00');
    expect(product?.variations.map((variation) => variation.price).sort()).toEqual(['18.00', '9.00']);
  });

  it('trash and restore: the product store deletes it, then has it back', async () => {
    const trashed = await h.site.rest('DELETE', `wc/v3/products/${simpleId}`);
    expect(trashed.status).toBe(200);
    expect(await lastPayload(simpleId)).toMatchObject({ event_type: 'product.deleted', product: { id: simpleId } });
    expect(await deliverAndWait(simpleId, (row) => row?.deleted_at !== null)).toMatchObject({ is_active: false });

    // wp-admin's "Restore" is WordPress's untrash (WooCommerce's REST API has none).
    await h.php<null>(`wp_untrash_post( (int) $input ); return null;`, simpleId);
    expect(await h.site.crud<{ status: string }>('product', { id: simpleId })).toMatchObject({ status: 'publish' });
    expect(await lastPayload(simpleId)).toMatchObject({ event_type: 'product.created', product: { price: '27.50' } });
    expect(await deliverAndWait(simpleId, (row) => row?.is_active === true)).toMatchObject({ deleted_at: null, price: '27.50' });
  });

  it('a variable product trashed and restored keeps its variations', async () => {
    expect((await h.site.rest('DELETE', `wc/v3/products/${variableId}`)).status).toBe(200);
    await deliverAndWait(variableId, (row) => row?.is_active === false);
    await h.php<null>(`wp_untrash_post( (int) $input ); return null;`, variableId);
    const back = await deliverAndWait(variableId, (row) => row?.is_active === true);
    expect(back).toMatchObject({ price: '9.00' });
    expect(back?.variations).toHaveLength(2);
  });

  it('stock written by the worker lands through WooCommerce, with what WooCommerce held before in the history', async () => {
    const sku = `STOCK-${mode}`;
    const created = await h.site.rest<{ id: number }>('POST', 'wc/v3/products', {
      name: `Stocked ${mode}`,
      type: 'simple',
      regular_price: '5.00',
      sku,
      manage_stock: true,
      stock_quantity: 3,
    });
    expect(created.status).toBe(201);
    await h.runBackground();
    const before = (await h.outbox(`resource_key = 'product:${created.body.id}'`)).length;

    const simulated = await h.api('POST', '/api/webhooks/test', { product_id: sku, new_stock: 12 });
    expect(simulated.status).toBe(202);
    const change = await until(
      'the stock change',
      async () =>
        (
          await h.api<{ items: Array<{ code: string; old_quantity: number | null; new_quantity: number; result: string }> }>(
            'GET',
            '/api/v1/stock/changes?limit=20',
          )
        ).body.items.find((item) => item.code === sku),
      (item) => item !== undefined,
      30_000,
    );
    expect(change).toMatchObject({ old_quantity: 3, new_quantity: 12, result: 'updated' });
    expect(await h.site.crud<{ stock_quantity: number }>('product', { id: created.body.id })).toMatchObject({ stock_quantity: 12 });
    // WooCommerce's own stock function ran (its lookup table follows it), and the write is not
    // echoed back to the products feed.
    const lookup = await h.php<{ stock: string | null }>(
      `return array( 'stock' => wc_get_product( (int) $input )->get_stock_quantity( 'edit' ) !== null ? (string) wc_get_product( (int) $input )->get_stock_quantity() : null );`,
      created.body.id,
    );
    expect(lookup.stock).toBe('12');
    const [lookupRow] = (
      await h.storeDb.query<RowDataPacket[]>('SELECT stock_quantity FROM wp_wc_product_meta_lookup WHERE product_id = ?', [created.body.id])
    )[0];
    expect(Number(lookupRow?.stock_quantity)).toBe(12);
    expect((await h.outbox(`resource_key = 'product:${created.body.id}'`)).length).toBe(before);
  });
});

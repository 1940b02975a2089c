import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { StoreClient, STOCK_TOPIC } from '../../worker/src/connectors/store/client';
import { stockEndpoint } from '../../worker/src/connectors/store/config';
import { signBody } from '../../worker/src/core/crypto';
import { signedHeaders } from '../../worker/src/core/signing';
import { PLUGIN_TEST_MU_PLUGINS, startWordPress, type WordPressSite } from '../support/wordpress';

// The worker's stock writes against the real plugin endpoint: the TypeScript signer and the PHP
// verifier agree, a captured write replayed inside the window changes nothing, and the old
// body-only signature or the other direction's signature is refused.

const WEBHOOK_SECRET = 'e2e-stock-webhook-secret-0123456789abcdef';

describe('worker → plugin /stock, v2-signed', () => {
  let site: WordPressSite;
  let productId = 0;
  const sent: Array<{ url: string; init: RequestInit }> = [];
  const recording: typeof fetch = (input, init) => {
    sent.push({ url: String(input), init: init ?? {} });
    return fetch(input, init);
  };

  const stock = async (): Promise<number> => Number(await site.runPhp(`echo (int) wc_get_product( ${productId} )->get_stock_quantity();`));
  const setStock = (quantity: number) => site.runPhp(`wc_update_product_stock( ${productId}, ${quantity} ); echo 'ok';`);
  const post = (headers: Record<string, string>, body: string) =>
    fetch(stockEndpoint(site.url), { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });

  beforeAll(async () => {
    site = await startWordPress({ muPlugins: [PLUGIN_TEST_MU_PLUGINS] });
    productId = Number(
      await site.runPhp(`
        update_option( 'synchub_settings', array( 'worker_url' => 'http://127.0.0.1:9', 'admin_token' => 'e2e-stock-admin-token-0123456789abcdef', 'webhook_secret' => ${JSON.stringify(WEBHOOK_SECRET)} ) );
        echo WC_Product::create_for_test( array( 'name' => 'E2E', 'sku' => 'E2E-SIGNED', 'manage_stock' => true, 'stock_quantity' => 1 ) )->get_id();
      `),
    );
  });
  afterAll(async () => {
    await site?.stop();
  });

  it("the plugin accepts the worker client's write and skips its replay", async () => {
    const client = new StoreClient({ storeUrl: site.url, webhookSecret: WEBHOOK_SECRET, batchSize: 100, timeoutMs: 10_000 }, recording);
    const [result] = await client.setStock([{ sku: 'E2E-SIGNED', stock_quantity: 25 }]);
    expect(result).toMatchObject({ sku: 'E2E-SIGNED', status: 'updated', stock_quantity: 25 });
    expect(await stock()).toBe(25);

    await setStock(24);
    const captured = sent.at(-1);
    if (!captured) throw new Error('no request was sent');
    const replay = await fetch(captured.url, captured.init);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ status: 'skipped' });
    expect(await stock()).toBe(24);
  });

  it.each([
    ['the old body-only signature', (body: string) => ({ 'X-WC-Webhook-Signature': signBody(body, WEBHOOK_SECRET) }), 'synchub_missing_signature'],
    [
      'a plugin → worker signature',
      (body: string) => signedHeaders(WEBHOOK_SECRET, 'plugin-to-worker', { topic: STOCK_TOPIC, body }),
      'synchub_invalid_signature',
    ],
    [
      'a signature six minutes old',
      (body: string) => signedHeaders(WEBHOOK_SECRET, 'worker-to-plugin', { topic: STOCK_TOPIC, body, nowMs: Date.now() - 360_000 }),
      'synchub_signature_expired',
    ],
  ])('%s is refused with 401 and nothing is written', async (_label, headers, code) => {
    await setStock(7);
    const body = JSON.stringify({ items: [{ sku: 'E2E-SIGNED', stock_quantity: 99 }] });
    const response = await post(headers(body), body);
    expect(response.status).toBe(401);
    expect((await response.json()).code).toBe(code);
    expect(await stock()).toBe(7);
  });
});

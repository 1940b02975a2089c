import { z } from 'zod';

import { egressRefusal, strictFetch, type FetchLike } from '../../core/egress';
import { signedHeaders } from '../../core/signing';
import { parseRetryAfter } from '../../core/failures';
import { PRODUCTS_RESEND_ROUTE, STOCK_ROUTE, storeEndpoint, type StoreConfig } from './config';
import { StoreProtocolError, StoreRejectedError, StoreUnavailableError } from './errors';

export interface StockItem {
  sku: string;
  stock_quantity: number;
}

export const ITEM_STATUSES = ['updated', 'unknown_sku', 'not_managed'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

const itemResultSchema = z.object({
  sku: z.string(),
  status: z.enum(ITEM_STATUSES),
  product_id: z.number().int().nullish(),
  previous_quantity: z.number().nullish(),
  stock_quantity: z.number().nullish(),
});

export type StockItemResult = z.infer<typeof itemResultSchema>;

const stockResponseSchema = z.object({ results: z.array(itemResultSchema) });

export const RESEND_STATUSES = ['queued', 'deleted', 'not_a_product', 'failed'] as const;

const resendResultSchema = z.object({ id: z.number().int(), status: z.enum(RESEND_STATUSES), message: z.string().optional() });

export type ProductResendResult = z.infer<typeof resendResultSchema>;

const resendResponseSchema = z.object({ results: z.array(resendResultSchema) });

/** A replay inside the signature window: the plugin applied that event id already. */
const skippedSchema = z.object({ status: z.literal('skipped') });

/** Splits into requests of at most `size` items. Pure. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}

/** The topic inside the signature of a stock write; the plugin accepts no other on `/stock`. */
export const STOCK_TOPIC = 'stock.update';

/** The topic of "send these products again"; the plugin accepts no other on `/products/resend`. */
export const PRODUCTS_RESEND_TOPIC = 'products.resend';

/** At most this many ids per resend request (the plugin's limit). */
export const RESEND_BATCH = 100;

/**
 * The plugin's routes for the worker, v2-signed (core/signing.ts, purpose `worker-to-plugin`, a
 * fresh event id per request):
 * - `POST /wp-json/sync-hub/v1/stock` writes stock, at most `batchSize` (≤ 100) items per request;
 * - `POST /wp-json/sync-hub/v1/products/resend` records products in the plugin's outbox again
 *   (the products drift report's "re-sync these"), at most 100 ids per request.
 */
export class StoreClient {
  /** Requests sent (for stats and benchmarks). */
  requests = 0;

  constructor(
    private readonly config: StoreConfig,
    /** The runtime's egress fetch (target policy); the strict one when none is given. */
    private readonly fetchImpl: FetchLike = strictFetch,
  ) {}

  async setStock(items: readonly StockItem[]): Promise<StockItemResult[]> {
    const results: StockItemResult[] = [];
    for (const part of chunk(items, this.config.batchSize)) {
      const answer = await this.post(STOCK_ROUTE, STOCK_TOPIC, { items: part }, stockResponseSchema, 'the stock write');
      if (answer.results.length !== part.length) throw new StoreProtocolError('the store answered without one result per item');
      results.push(...answer.results);
    }
    return results;
  }

  async resendProducts(ids: readonly number[]): Promise<ProductResendResult[]> {
    const results: ProductResendResult[] = [];
    for (const part of chunk([...new Set(ids)], RESEND_BATCH)) {
      results.push(...(await this.post(PRODUCTS_RESEND_ROUTE, PRODUCTS_RESEND_TOPIC, { ids: part }, resendResponseSchema, 'the product resend')).results);
    }
    return results;
  }

  private async post<T>(route: string, topic: string, payload: unknown, schema: z.ZodType<T>, what: string): Promise<T> {
    const body = JSON.stringify(payload);
    let response: Response;
    this.requests += 1;
    try {
      response = await this.fetchImpl(storeEndpoint(this.config.storeUrl, route), {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json',
          ...signedHeaders(this.config.webhookSecret, 'worker-to-plugin', { topic, body }),
        },
        body,
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
    } catch (error) {
      const refused = egressRefusal(error);
      if (refused) throw new StoreRejectedError(refused.message);
      throw new StoreUnavailableError(`the store is unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = await response.text().catch(() => '');
    if (response.status === 429 || response.status >= 500 || response.status === 408) {
      throw new StoreUnavailableError(`the store answered ${response.status}`, response.status, parseRetryAfter(response.headers.get('retry-after')));
    }
    if (response.status < 200 || response.status >= 300) {
      throw new StoreRejectedError(`the store refused ${what} (${response.status}): ${text.slice(0, 300)}`, response.status);
    }
    let json: unknown;
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      throw new StoreProtocolError('the store answered with something that is not JSON', response.status);
    }
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    // A fresh event id per request makes this unexpected; say so rather than guess the outcome.
    if (skippedSchema.safeParse(json).success) throw new StoreProtocolError('the store skipped the request as a replay', response.status);
    throw new StoreProtocolError(`the store's answer to ${what} is not the expected shape`, response.status);
  }
}

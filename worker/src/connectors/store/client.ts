import { z } from 'zod';

import { egressRefusal, strictFetch, type FetchLike } from '../../core/egress';
import { signedHeaders } from '../../core/signing';
import { parseRetryAfter } from '../siigo/errors';
import { stockEndpoint, type StoreConfig } from './config';
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

const responseSchema = z.object({ results: z.array(itemResultSchema) });

/** Splits into requests of at most `size` items. Pure. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += size) chunks.push(items.slice(index, index + size));
  return chunks;
}

/** The topic inside the signature of a stock write; the plugin accepts no other on `/stock`. */
export const STOCK_TOPIC = 'stock.update';

/**
 * Writes stock through the plugin's `POST /wp-json/sync-hub/v1/stock`, v2-signed (core/signing.ts,
 * purpose `worker-to-plugin`, a fresh event id per request), at most `batchSize` (≤ 100) items
 * per request.
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
    for (const part of chunk(items, this.config.batchSize)) results.push(...(await this.send(part)));
    return results;
  }

  private async send(items: StockItem[]): Promise<StockItemResult[]> {
    const body = JSON.stringify({ items });
    let response: Response;
    this.requests += 1;
    try {
      response = await this.fetchImpl(stockEndpoint(this.config.storeUrl), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...signedHeaders(this.config.webhookSecret, 'worker-to-plugin', { topic: STOCK_TOPIC, body }) },
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
      throw new StoreRejectedError(`the store refused the stock write (${response.status}): ${text.slice(0, 300)}`, response.status);
    }
    let json: unknown;
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      throw new StoreProtocolError('the store answered with something that is not JSON', response.status);
    }
    const parsed = responseSchema.safeParse(json);
    if (!parsed.success || parsed.data.results.length !== items.length) {
      throw new StoreProtocolError('the store answered without one result per item', response.status);
    }
    return parsed.data.results;
  }
}

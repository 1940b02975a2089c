import { z } from 'zod';

/** The plugin's signed stock endpoint: where, with which secret, how many items per request. */
export const storeConfigSchema = z.object({
  storeUrl: z.string().url('STORE_URL must be the WordPress base URL'),
  webhookSecret: z.string().min(32, 'WEBHOOK_SECRET (at least 32 characters) is required to sign stock writes'),
  batchSize: z.number().int().min(1).max(100).default(100),
  timeoutMs: z.number().int().min(100).default(30_000),
});

export type StoreConfig = z.infer<typeof storeConfigSchema>;

export const STOCK_ROUTE = 'wp-json/sync-hub/v1/stock';

/** `https://shop.example/` + route, keeping a WordPress installed in a sub-folder. */
export function stockEndpoint(storeUrl: string): string {
  return new URL(STOCK_ROUTE, storeUrl.endsWith('/') ? storeUrl : `${storeUrl}/`).toString();
}

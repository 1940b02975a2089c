import { z } from 'zod';

/** The plugin's signed routes (stock writes, product resends): where, with which secret, how many items per request. */
export const storeConfigSchema = z.object({
  storeUrl: z.string().url('STORE_URL must be the WordPress base URL'),
  webhookSecret: z.string().min(32, 'WEBHOOK_SECRET (at least 32 characters) is required to sign stock writes'),
  batchSize: z.number().int().min(1).max(100).default(100),
  timeoutMs: z.number().int().min(100).default(30_000),
});

export type StoreConfig = z.infer<typeof storeConfigSchema>;

/** The plugin's routes as this worker is configured: STORE_URL and the webhook secret (and tuning). */
export function parseStoreConfig(
  config: { woocommerce: { storeUrl?: string } },
  webhookSecret: string | undefined,
  tuning: { batchSize?: number; timeoutMs?: number } = {},
) {
  return storeConfigSchema.safeParse({ storeUrl: config.woocommerce.storeUrl, webhookSecret, ...tuning });
}

export const STOCK_ROUTE = 'wp-json/sync-hub/v1/stock';

export const PRODUCTS_RESEND_ROUTE = 'wp-json/sync-hub/v1/products/resend';

/** `https://shop.example/` + route, keeping a WordPress installed in a sub-folder. */
export function storeEndpoint(storeUrl: string, route: string): string {
  return new URL(route, storeUrl.endsWith('/') ? storeUrl : `${storeUrl}/`).toString();
}

export function stockEndpoint(storeUrl: string): string {
  return storeEndpoint(storeUrl, STOCK_ROUTE);
}

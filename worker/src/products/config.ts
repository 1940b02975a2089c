import { z } from 'zod';

import { configSlice } from '../core/config';

declare module '../core/config' {
  interface ConfigSlices {
    /** `contentHash`: which formula decides re-embedding (docs/products-content-hash.md). */
    products: {
      retryDelayMs: number;
      rateLimitPerMinute: number;
      concurrency: number;
      sweepAfterMs: number;
      embedPendingEveryMs: number;
      contentHash: 'synchub' | 'original';
      searchRefreshMs: number;
    };
  }
}

export const productsConfig = configSlice(
  'products',
  {
    PRODUCTS_RETRY_DELAY_MS: z.coerce.number().int().min(0).default(30_000),
    PRODUCTS_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    PRODUCTS_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(20),
    PRODUCTS_SWEEP_AFTER_MS: z.coerce.number().int().min(0).default(30_000),
    PRODUCTS_EMBED_PENDING_EVERY_MS: z.coerce.number().int().min(1_000).default(300_000),
    PRODUCTS_CONTENT_HASH: z.enum(['synchub', 'original']).default('synchub'),
    PRODUCTS_SEARCH_REFRESH_MS: z.coerce.number().int().min(100).default(30_000),
  },
  (env) => ({
    retryDelayMs: env.PRODUCTS_RETRY_DELAY_MS,
    rateLimitPerMinute: env.PRODUCTS_RATE_LIMIT_PER_MINUTE,
    concurrency: env.PRODUCTS_CONCURRENCY,
    sweepAfterMs: env.PRODUCTS_SWEEP_AFTER_MS,
    embedPendingEveryMs: env.PRODUCTS_EMBED_PENDING_EVERY_MS,
    contentHash: env.PRODUCTS_CONTENT_HASH,
    searchRefreshMs: env.PRODUCTS_SEARCH_REFRESH_MS,
  }),
);

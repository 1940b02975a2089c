import { z } from 'zod';

import { configSlice } from '../core/config';

declare module '../core/config' {
  interface ConfigSlices {
    stock: {
      sweepIntervalMs: number;
      fullSweepPattern: string;
      retryDelayMs: number;
      sseHeartbeatMs: number;
      storeTimeoutMs: number;
      logRetentionDays: number;
      /** Calls to the SIIGO callback with a missing or wrong key one IP may make per minute before 429. */
      unauthenticatedPerMinute: number;
    };
  }
}

export const stockConfig = configSlice(
  'stock',
  {
    STOCK_SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).default(300_000),
    STOCK_FULL_SWEEP_PATTERN: z.string().default('0 3 * * *'),
    STOCK_RETRY_DELAY_MS: z.coerce.number().int().min(1).default(2_000),
    STOCK_SSE_HEARTBEAT_MS: z.coerce.number().int().min(100).default(15_000),
    STOCK_LOG_RETENTION_DAYS: z.coerce.number().int().min(0).default(90),
    SIIGO_WEBHOOK_UNAUTH_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
    STORE_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  },
  (env) => ({
    sweepIntervalMs: env.STOCK_SWEEP_INTERVAL_MS,
    fullSweepPattern: env.STOCK_FULL_SWEEP_PATTERN,
    retryDelayMs: env.STOCK_RETRY_DELAY_MS,
    sseHeartbeatMs: env.STOCK_SSE_HEARTBEAT_MS,
    logRetentionDays: env.STOCK_LOG_RETENTION_DAYS,
    storeTimeoutMs: env.STORE_TIMEOUT_MS,
    unauthenticatedPerMinute: env.SIIGO_WEBHOOK_UNAUTH_PER_MINUTE,
  }),
);

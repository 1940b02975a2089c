import { z } from 'zod';

import { configSlice } from '../core/config';

declare module '../core/config' {
  interface ConfigSlices {
    /** Events sync: retry backoff base (60/120/240 s), schedule tick, store time zone, crash recovery, parallel runs. */
    events: { retryDelayMs: number; tickEveryMs: number; timezone: string; staleAfterMs: number; maxConcurrentSyncs: number; emailLocale: 'en' | 'es' | 'fa' };
  }
}

const isTimeZone = (value: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
};

export const eventsConfig = configSlice(
  'events',
  {
    EVENTS_RETRY_DELAY_MS: z.coerce.number().int().min(0).default(60_000),
    EVENTS_TICK_EVERY_MS: z.coerce
      .number()
      .int()
      .min(100)
      .default(15 * 60_000),
    EVENTS_TIMEZONE: z.string().default('UTC').refine(isTimeZone, 'expected an IANA time zone such as UTC or America/Bogota'),
    EVENTS_EMAIL_LOCALE: z.enum(['en', 'es', 'fa']).default('en'),
    EVENTS_STALE_AFTER_MS: z.coerce.number().int().min(100).default(120_000),
    EVENTS_MAX_CONCURRENT_SYNCS: z.coerce.number().int().min(1).max(50).default(5),
  },
  (env) => ({
    retryDelayMs: env.EVENTS_RETRY_DELAY_MS,
    tickEveryMs: env.EVENTS_TICK_EVERY_MS,
    timezone: env.EVENTS_TIMEZONE,
    staleAfterMs: env.EVENTS_STALE_AFTER_MS,
    maxConcurrentSyncs: env.EVENTS_MAX_CONCURRENT_SYNCS,
    emailLocale: env.EVENTS_EMAIL_LOCALE,
  }),
);

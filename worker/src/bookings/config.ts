import { z } from 'zod';

import { bool, configSlice } from '../core/config';

declare module '../core/config' {
  interface ConfigSlices {
    bookings: {
      confirmOrders: boolean;
      createInvoices: boolean;
      sweepIntervalMs: number;
      sweepDays: number;
      batchSize: number;
      backlogThreshold: number;
      retryAttempts: number;
      retryDelayMs: number;
      retryMaxDelayMs: number;
      outageMaxHours: number;
      locale: 'en' | 'es' | 'fa';
    };
  }
}

export const bookingsConfig = configSlice(
  'bookings',
  {
    BOOKINGS_CONFIRM_ORDERS: bool.default(true),
    BOOKINGS_CREATE_INVOICES: bool.default(false),
    BOOKINGS_SWEEP_INTERVAL_MS: z.coerce.number().int().min(1_000).default(300_000),
    BOOKINGS_SWEEP_DAYS: z.coerce.number().int().min(1).max(365).default(7),
    BOOKINGS_BATCH_SIZE: z.coerce.number().int().min(1).max(1_000).default(200),
    BOOKINGS_BACKLOG_THRESHOLD: z.coerce.number().int().min(1).default(20),
    BOOKINGS_RETRY_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(5),
    BOOKINGS_RETRY_DELAY_MS: z.coerce.number().int().min(10).default(2_000),
    /** Transient Odoo failures (down, timeouts, 5xx) back off up to this delay between tries… */
    BOOKINGS_RETRY_MAX_DELAY_MS: z.coerce.number().int().min(10).default(3_600_000),
    /** …and keep trying for this long before the order is a dead letter (the sweep still retries it). */
    BOOKINGS_OUTAGE_MAX_HOURS: z.coerce.number().min(0.001).default(72),
    BOOKINGS_LOCALE: z.enum(['en', 'es', 'fa']).default('en'),
  },
  (env) => ({
    confirmOrders: env.BOOKINGS_CONFIRM_ORDERS,
    createInvoices: env.BOOKINGS_CREATE_INVOICES,
    sweepIntervalMs: env.BOOKINGS_SWEEP_INTERVAL_MS,
    sweepDays: env.BOOKINGS_SWEEP_DAYS,
    batchSize: env.BOOKINGS_BATCH_SIZE,
    backlogThreshold: env.BOOKINGS_BACKLOG_THRESHOLD,
    retryAttempts: env.BOOKINGS_RETRY_ATTEMPTS,
    retryDelayMs: env.BOOKINGS_RETRY_DELAY_MS,
    retryMaxDelayMs: env.BOOKINGS_RETRY_MAX_DELAY_MS,
    outageMaxHours: env.BOOKINGS_OUTAGE_MAX_HOURS,
    locale: env.BOOKINGS_LOCALE,
  }),
);

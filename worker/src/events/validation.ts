import { z } from 'zod';

import { DEFAULT_PAID_STATUSES, normalizeStatus } from './rules';
import { SYNC_FREQUENCIES } from './schema';

const text = (max: number, label: string) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} is at most ${max} characters`);

/**
 * A configuration as the admin API accepts it (DESIGN field names). The original migration's
 * minimal request (`name`, `woocommerce_product_id`, `sync_frequency`) is enough: the event name,
 * the organizer and the tier name template are defaulted from the store when left out, and
 * validated when sent.
 */
export const configurationInput = z
  .object({
    name: text(191, 'name'),
    woocommerce_product_id: z.coerce
      .number({ error: 'expected a WooCommerce product id' })
      .int('expected a whole number')
      .positive('expected a positive product id'),
    event_name: text(191, 'event_name').optional(),
    event_description: z.string().max(20_000).default(''),
    organizer_email: z.string({ error: 'expected an email address' }).trim().toLowerCase().pipe(z.email('expected an email address').max(191)).optional(),
    organizer_name: text(191, 'organizer_name').optional(),
    service_fee_percentage: z.coerce
      .number({ error: 'expected a percentage' })
      .min(0, 'must be between 0 and 100')
      .max(100, 'must be between 0 and 100')
      .refine((value) => Math.abs(Math.round(value * 100) - value * 100) < 1e-6, 'at most two decimals')
      .default(0),
    sync_frequency: z.enum(SYNC_FREQUENCIES, { error: `expected one of ${SYNC_FREQUENCIES.join(', ')}` }).default('manual'),
    is_active: z.boolean({ error: 'expected true or false' }).default(true),
    is_migration: z.boolean({ error: 'expected true or false' }).default(false),
    paid_statuses: z
      .array(
        z
          .string()
          .regex(/^(wc-)?[a-z0-9_-]{1,30}$/, 'expected a WooCommerce status such as wc-completed')
          .transform(normalizeStatus),
      )
      .min(1, 'at least one paid status')
      .default(DEFAULT_PAID_STATUSES),
    /** Empty or left out: the default of the configured locale (EVENTS_EMAIL_LOCALE). */
    tier_name_template: z.string().trim().max(191).optional(),
  })
  .strict();

export type ConfigurationInput = z.infer<typeof configurationInput>;

/** A configuration with every default filled in, as it is stored. */
export type CompleteConfiguration = ConfigurationInput &
  Required<Pick<ConfigurationInput, 'event_name' | 'organizer_email' | 'organizer_name' | 'tier_name_template'>>;

export const idParam = z.object({ id: z.coerce.number({ error: 'expected a numeric id' }).int().positive('expected a positive id') });

export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(500).default(50),
});

export const executionsQuery = pageQuery.extend({
  configuration_id: z.coerce.number().int().positive().optional(),
  status: z.enum(['running', 'completed', 'failed', 'cancelled']).optional(),
});

export const triggerBody = z
  .object({ full: z.boolean().default(false) })
  .strict()
  .default({ full: false });

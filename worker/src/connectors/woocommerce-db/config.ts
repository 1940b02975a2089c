import { z } from 'zod';

import type { Config } from '../../core/config';
import type { SettingsStore } from '../../core/settings';

/** Connection to the store's MySQL database. `password` is a secret (stored sealed when saved from wp-admin). */
export const wooDbConfigSchema = z.object({
  host: z.string().min(1, 'the WooCommerce database host is required'),
  port: z.coerce.number().int().min(1).max(65535).default(3306),
  user: z.string().min(1, 'the WooCommerce database user is required'),
  password: z.string().optional(),
  database: z.string().regex(/^[A-Za-z0-9_$-]+$/, 'expected a database name'),
  tablePrefix: z.string().regex(/^[A-Za-z0-9_]*$/, 'letters, digits and underscores only').default('wp_'),
  /** Statement timeout guard for one query, milliseconds. */
  queryTimeoutMs: z.coerce.number().int().min(100).default(60_000),
});

export type WooDbConfig = z.infer<typeof wooDbConfigSchema>;

/** Settings key under which wp-admin may save an override (JSON, sealed). */
export const WOO_DB_SETTINGS_KEY = 'woocommerce_db';

/** The environment slice, overridden field by field by settings saved from wp-admin. */
export async function resolveWooDbConfig(config: Config, settings?: SettingsStore): Promise<z.ZodSafeParseResult<WooDbConfig>> {
  const fromEnv = {
    host: config.woocommerce.mysql.host,
    port: config.woocommerce.mysql.port,
    user: config.woocommerce.mysql.user,
    password: config.woocommerce.mysql.password,
    database: config.woocommerce.mysql.database,
    tablePrefix: config.woocommerce.tablePrefix,
  };
  const saved = settings ? await settings.getJson<Record<string, unknown>>(WOO_DB_SETTINGS_KEY).catch(() => undefined) : undefined;
  const merged: Record<string, unknown> = { ...fromEnv };
  for (const [key, value] of Object.entries(saved ?? {})) if (value !== undefined && value !== null && value !== '') merged[key] = value;
  return wooDbConfigSchema.safeParse(merged);
}

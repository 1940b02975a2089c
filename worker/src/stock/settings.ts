import { z } from 'zod';

import { siigoConfigSchema, siigoCredentialsSchema, type SiigoConfig, type SiigoCredentials } from '../connectors/siigo/config';
import { parseStoreConfig, type StoreConfig } from '../connectors/store/config';
import { generateToken } from '../core/crypto';
import { PermanentFailure } from '../core/failures';
import type { AppContext } from '../core/domain';
import { boundSecret } from '../core/secret-binding';

export const SETTING = {
  credentials: 'stock.siigo_credentials',
  warehouses: 'stock.warehouses',
  webhookKey: 'stock.webhook_key',
  companyKey: 'stock.company_key',
  sweep: 'stock.sweep_state',
} as const;

/** Settings missing: no retry can help until someone fills them in. */
export class NotConfiguredError extends PermanentFailure {}

const warehousesSchema = z.array(z.string().trim().min(1).max(64)).max(50);

export const sweepStateSchema = z.object({
  cursor: z.number().nullable().default(null),
  lastFinishedAt: z.number().nullable().default(null),
  lastFullAt: z.number().nullable().default(null),
  lastError: z.string().nullable().default(null),
});
export type SweepState = z.infer<typeof sweepStateSchema>;

/** Credentials saved from wp-admin (sealed), else the environment. */
export async function savedCredentials(ctx: AppContext): Promise<SiigoCredentials | undefined> {
  return ctx.settings.saved(SETTING.credentials, siigoCredentialsSchema);
}

/** Whether SIIGO is switched on: SIIGO_ENABLED, or credentials saved from wp-admin. */
export async function siigoEnabled(ctx: AppContext): Promise<boolean> {
  return ctx.config.siigo.enabled || (await savedCredentials(ctx)) !== undefined;
}

/** Where the access key goes: the API URL, API user and Partner-Id it was saved with. */
export type SiigoOrigin = { api_url: string; username: string | undefined; partner_id: string | undefined };

/**
 * The SIIGO account in force (saved credentials, else the environment) and the access key bound
 * to it: the environment's key never follows an API URL or user saved from wp-admin.
 */
export async function currentSiigo(ctx: AppContext): Promise<{ origin: SiigoOrigin; accessKey: string | undefined }> {
  const env = ctx.config.siigo;
  const envOrigin: SiigoOrigin = { api_url: env.apiUrl, username: env.username, partner_id: env.partnerId };
  const saved = await savedCredentials(ctx);
  const origin: SiigoOrigin = saved ? { api_url: saved.api_url ?? env.apiUrl, username: saved.username, partner_id: saved.partner_id } : envOrigin;
  return { origin, accessKey: boundSecret(origin, [saved ? { secret: saved.access_key, origin } : undefined, { secret: env.accessKey, origin: envOrigin }]) };
}

/** The SIIGO config in force, or NotConfiguredError naming what is missing. */
export async function resolveSiigoConfig(ctx: AppContext): Promise<SiigoConfig> {
  const env = ctx.config.siigo;
  const { origin, accessKey } = await currentSiigo(ctx);
  const candidate = {
    apiUrl: origin.api_url,
    username: origin.username ?? '',
    accessKey: accessKey ?? '',
    partnerId: origin.partner_id ?? '',
    ratePerMinute: env.ratePerMinute,
    rateWindowMs: env.rateWindowMs,
    timeoutMs: env.timeoutMs,
    breakerThreshold: env.breakerThreshold,
    breakerCooldownMs: env.breakerCooldownMs,
  };
  const parsed = siigoConfigSchema.safeParse(candidate);
  if (!parsed.success) throw new NotConfiguredError(`SIIGO is not configured: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  return parsed.data;
}

export async function resolveWarehouses(ctx: AppContext): Promise<string[]> {
  return (await ctx.settings.saved(SETTING.warehouses, warehousesSchema)) ?? ctx.config.siigo.warehouses;
}

export async function saveWarehouses(ctx: AppContext, ids: string[]): Promise<void> {
  await ctx.settings.setJson(SETTING.warehouses, warehousesSchema.parse(ids));
}

export function resolveStoreConfig(ctx: AppContext): StoreConfig {
  const parsed = parseStoreConfig(ctx.config, ctx.webhookSecret, {
    batchSize: Math.min(100, ctx.config.woocommerce.batchSize),
    timeoutMs: ctx.config.stock.storeTimeoutMs,
  });
  if (!parsed.success) throw new NotConfiguredError(`the store is not configured: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  return parsed.data;
}

/** The unguessable key in the callback URL SIIGO calls; created once. */
export async function webhookKey(ctx: AppContext): Promise<string> {
  const existing = await ctx.settings.get(SETTING.webhookKey);
  if (existing) return existing;
  const key = generateToken()
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 40);
  await ctx.settings.set(SETTING.webhookKey, key, { secret: true });
  return key;
}

export async function loadSweepState(ctx: AppContext): Promise<SweepState> {
  const parsed = sweepStateSchema.safeParse((await ctx.settings.getJson<unknown>(SETTING.sweep)) ?? {});
  return parsed.success ? parsed.data : sweepStateSchema.parse({});
}

export async function saveSweepState(ctx: AppContext, state: SweepState): Promise<void> {
  await ctx.settings.setJson(SETTING.sweep, state);
}

import { createHash } from 'node:crypto';

import { z } from 'zod';
import { bool, configSlice, optionalText, optionalUrl } from '../../core/config';

/** SIIGO asks for one integrator name: 3–100 letters or digits, no spaces, no special characters. */
export const PARTNER_ID = /^[A-Za-z0-9]{3,100}$/;

/** Credentials and limits of one SIIGO company. `accessKey` is a secret (stored sealed). */
export const siigoConfigSchema = z.object({
  apiUrl: z.string().url(),
  username: z.string().trim().min(1, 'the SIIGO API user is required'),
  accessKey: z.string().trim().min(1, 'the SIIGO access key is required'),
  partnerId: z.string().trim().regex(PARTNER_ID, 'Partner-Id must be 3–100 letters or digits, without spaces or symbols'),
  ratePerMinute: z.number().int().min(1),
  rateWindowMs: z.number().int().min(100),
  timeoutMs: z.number().int().min(100),
  breakerThreshold: z.number().int().min(1),
  breakerCooldownMs: z.number().int().min(10),
});

export type SiigoConfig = z.infer<typeof siigoConfigSchema>;

/** The credentials part the admin page saves. */
export const siigoCredentialsSchema = z.object({
  username: z.string().trim().min(1, 'the SIIGO API user is required').max(200),
  access_key: z.string().trim().min(1, 'the SIIGO access key is required').max(500),
  partner_id: z.string().trim().regex(PARTNER_ID, 'Partner-Id must be 3–100 letters or digits, without spaces or symbols'),
  api_url: z.string().trim().url().optional(),
});

export type SiigoCredentials = z.infer<typeof siigoCredentialsSchema>;

/** One limiter, token cache and breaker per SIIGO company: identified by API URL + API user. */
export function companyIdFor(config: Pick<SiigoConfig, 'apiUrl' | 'username'>): string {
  return createHash('sha256')
    .update(`${config.apiUrl.replace(/\/+$/, '')}\n${config.username.toLowerCase()}`)
    .digest('hex')
    .slice(0, 16);
}

export interface LimiterSpec {
  max: number;
  duration: number;
}

/**
 * BullMQ's limiter counts jobs in fixed windows. Any sliding window of `windowMs` overlaps at most
 * k + 1 windows of `windowMs / k`, so `max = floor(limit / (k + 1))` per sub-window keeps every
 * sliding window at or under the limit (SIIGO does not say how it counts). k = 9 keeps 90 % of
 * the throughput; for tiny limits it shrinks until at least one call per sub-window fits.
 * The token request (once a day) also takes a slot of its own.
 */
export function limiterFor(limit: number, windowMs: number): LimiterSpec {
  for (let k = 9; k >= 1; k -= 1) {
    const max = Math.floor(limit / (k + 1));
    // A little slack per sub-window absorbs jitter between a job's start and SIIGO seeing the request.
    const duration = Math.ceil(windowMs / k);
    if (max >= 1) return { max, duration: duration + Math.max(100, Math.ceil(duration * 0.02)) };
  }
  // limit = 1: calls spaced by more than a whole window.
  return { max: 1, duration: windowMs + 1 };
}

declare module '../../core/config' {
  interface ConfigSlices {
    siigo: {
      enabled: boolean;
      username?: string;
      accessKey?: string;
      partnerId?: string;
      apiUrl: string;
      webhookBaseUrl?: string;
      ratePerMinute: number;
      rateWindowMs: number;
      timeoutMs: number;
      breakerThreshold: number;
      breakerCooldownMs: number;
      warehouses: string[];
    };
  }
}

/** SIIGO_*: the account when wp-admin has none saved, and how hard the worker may call it. */
export const siigoEnvConfig = configSlice(
  'siigo',
  {
    SIIGO_ENABLED: bool.default(false),
    SIIGO_USERNAME: optionalText,
    SIIGO_ACCESS_KEY: optionalText,
    SIIGO_PARTNER_ID: optionalText,
    SIIGO_API_URL: z.string().url().default('https://api.siigo.com'),
    WEBHOOK_BASE_URL: optionalUrl,
    SIIGO_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(100),
    SIIGO_RATE_WINDOW_MS: z.coerce.number().int().min(100).default(60_000),
    SIIGO_TIMEOUT_MS: z.coerce.number().int().min(100).default(120_000),
    SIIGO_BREAKER_THRESHOLD: z.coerce.number().int().min(1).default(5),
    SIIGO_BREAKER_COOLDOWN_MS: z.coerce.number().int().min(10).default(60_000),
    SIIGO_WAREHOUSES: optionalText,
  },
  (env) => ({
    enabled: env.SIIGO_ENABLED,
    username: env.SIIGO_USERNAME,
    accessKey: env.SIIGO_ACCESS_KEY,
    partnerId: env.SIIGO_PARTNER_ID,
    apiUrl: env.SIIGO_API_URL,
    webhookBaseUrl: env.WEBHOOK_BASE_URL,
    ratePerMinute: env.SIIGO_RATE_LIMIT_PER_MINUTE,
    rateWindowMs: env.SIIGO_RATE_WINDOW_MS,
    timeoutMs: env.SIIGO_TIMEOUT_MS,
    breakerThreshold: env.SIIGO_BREAKER_THRESHOLD,
    breakerCooldownMs: env.SIIGO_BREAKER_COOLDOWN_MS,
    warehouses:
      env.SIIGO_WAREHOUSES === undefined
        ? []
        : env.SIIGO_WAREHOUSES.split(',')
            .map((item) => item.trim())
            .filter(Boolean),
  }),
);

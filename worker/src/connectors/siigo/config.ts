import { createHash } from 'node:crypto';

import { z } from 'zod';

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

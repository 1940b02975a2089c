import { createHash } from 'node:crypto';

import { z } from 'zod';

import type { FetchLike } from '../../core/egress';
import { configSlice, optionalText, optionalUrl } from '../../core/config';

/** The Odoo connection: the connector's own schema; the API key is a secret (stored sealed). */
export const odooConnectionSchema = z.object({
  url: z
    .string()
    .trim()
    .url('must be a URL such as https://mycompany.odoo.com')
    .regex(/^https?:\/\//, 'must start with http:// or https://'),
  db: z.string().trim().min(1, 'is required').max(128),
  username: z.string().trim().min(1, 'is required').max(255),
  apiKey: z.string().trim().min(1, 'is required').max(512),
});

export type OdooConnection = z.infer<typeof odooConnectionSchema>;

export interface OdooClientOptions {
  timeoutMs: number;
  /** Answers above this are refused (default 20 MB). */
  maxResponseBytes?: number;
  /** Outbound fetch under the runtime's target policy (core/egress); strict when left out. */
  fetch?: FetchLike;
}

/** Identifies one connection (for caches keyed by it) without exposing the key. */
export function connectionKey(connection: OdooConnection): string {
  return createHash('sha256').update([connection.url, connection.db, connection.username, connection.apiKey].join('\u0000')).digest('hex').slice(0, 32);
}

/** The connection from partial sources (env, saved settings); undefined when incomplete. */
export function resolveConnection(...sources: Array<Partial<OdooConnection> | undefined>): OdooConnection | undefined {
  const merged: Partial<OdooConnection> = {};
  for (const source of sources) {
    if (!source) continue;
    for (const key of ['url', 'db', 'username', 'apiKey'] as const) {
      const value = source[key];
      if (typeof value === 'string' && value.trim() !== '') merged[key] = value;
    }
  }
  const parsed = odooConnectionSchema.safeParse(merged);
  return parsed.success ? parsed.data : undefined;
}

declare module '../../core/config' {
  interface ConfigSlices {
    /** `maxResponseBytes`: a larger XML-RPC answer is cut off and refused. */
    odoo: { url?: string; db?: string; username?: string; apiKey?: string; timeoutMs: number; maxResponseBytes: number };
  }
}

/** ODOO_*: the Odoo connection when wp-admin has none saved. */
export const odooConfig = configSlice(
  'odoo',
  {
    ODOO_URL: optionalUrl,
    ODOO_DB: optionalText,
    ODOO_USERNAME: optionalText,
    ODOO_API_KEY: optionalText,
    ODOO_TIMEOUT_MS: z.coerce.number().int().min(50).default(30_000),
    ODOO_MAX_RESPONSE_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(20 * 1024 * 1024),
  },
  (env) => ({
    url: env.ODOO_URL,
    db: env.ODOO_DB,
    username: env.ODOO_USERNAME,
    apiKey: env.ODOO_API_KEY,
    timeoutMs: env.ODOO_TIMEOUT_MS,
    maxResponseBytes: env.ODOO_MAX_RESPONSE_BYTES,
  }),
);

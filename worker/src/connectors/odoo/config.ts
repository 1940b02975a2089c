import { createHash } from 'node:crypto';

import { z } from 'zod';

import type { FetchLike } from '../../core/egress';

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

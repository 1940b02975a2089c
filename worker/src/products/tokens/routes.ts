import type { Router } from 'express';
import { z } from 'zod';

import { notFound, parseOrThrow } from '../../core/http/errors';
import { createRouter, slashOptional } from '../../core/http/routes';
import type { TokenStore } from './store';
import { isIpRule } from './token';

export const TOKEN_TYPES = ['woocommerce'] as const;

const ipRules = z.array(z.string().trim().refine(isIpRule, 'not an IP address or CIDR range')).max(50);

/**
 * Our field names, and the original ingestion backend's beside them (`integration_type` for
 * `token_type`, `allowed_ips` for `ip_allowlist`), so its clients work unchanged. Both names at
 * once must agree.
 */
export const generateTokenBody = z
  .strictObject({
    name: z.string().trim().min(1, 'a name is required').max(100),
    token_type: z.enum(TOKEN_TYPES).optional(),
    integration_type: z.enum(TOKEN_TYPES).optional(),
    owner: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .regex(/^[\x21-\x7E]+$/, 'printable characters without spaces')
      .default('default'),
    expires_at: z.iso.datetime({ offset: true }).nullable().optional(),
    expires_in_days: z.number().int().min(1).max(3650).optional(),
    ip_allowlist: ipRules.optional(),
    allowed_ips: ipRules.nullable().optional(),
    rate_limit_per_minute: z.number().int().min(1).max(1_000_000).nullable().optional(),
  })
  .refine((body) => !(body.token_type && body.integration_type && body.token_type !== body.integration_type), {
    message: 'token_type and integration_type disagree',
    path: ['integration_type'],
  })
  .refine((body) => !(body.ip_allowlist && body.allowed_ips && JSON.stringify(body.ip_allowlist) !== JSON.stringify(body.allowed_ips)), {
    message: 'ip_allowlist and allowed_ips disagree',
    path: ['allowed_ips'],
  })
  .refine((body) => !(body.expires_at && body.expires_in_days), { message: 'give expires_at or expires_in_days, not both', path: ['expires_at'] })
  .refine((body) => !body.expires_at || Date.parse(body.expires_at) > Date.now(), { message: 'must be in the future', path: ['expires_at'] });

const idParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/** Admin: generate (token shown once), list, revoke. */
export function tokensRouter(tokens: TokenStore): Router {
  const router = createRouter();

  router.get(slashOptional('/api/v1/integrations/tokens/'), async (_req, res) => {
    const results = await tokens.list();
    res.json({ count: results.length, results });
  });

  router.post(slashOptional('/api/v1/integrations/tokens/generate/'), async (req, res) => {
    const body = parseOrThrow(generateTokenBody, req.body ?? {});
    const expiresAt = body.expires_at ? new Date(body.expires_at) : body.expires_in_days ? new Date(Date.now() + body.expires_in_days * 86_400_000) : null;
    const { token, record } = await tokens.create({
      name: body.name,
      token_type: body.token_type ?? body.integration_type ?? 'woocommerce',
      owner: body.owner,
      expires_at: expiresAt,
      ip_allowlist: body.ip_allowlist ?? body.allowed_ips ?? null,
      rate_limit_per_minute: body.rate_limit_per_minute ?? null,
    });
    res.set('Cache-Control', 'no-store');
    res.status(201).json({ ...record, token, message: 'Copy this token now: it is stored only as a hash and will not be shown again.' });
  });

  router.delete(slashOptional('/api/v1/integrations/tokens/:id/'), async (req, res) => {
    const { id } = parseOrThrow(idParam, req.params);
    const record = await tokens.revoke(id);
    if (!record) throw notFound(`No integration token ${id}.`);
    res.json({ status: 'revoked', token: record });
  });

  return router;
}

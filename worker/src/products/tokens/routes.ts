import type { Router } from 'express';
import { z } from 'zod';

import { route, type RouteContract } from '../../core/http/contract';
import { notFound } from '../../core/http/errors';
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

const tokenRecord = z.looseObject({ id: z.number().int(), name: z.string(), owner: z.string() });

export const TOKEN_ROUTES = {
  list: {
    method: 'GET',
    path: slashOptional('/api/v1/integrations/tokens/'),
    tag: 'products',
    auth: 'admin',
    summary: 'Integration tokens, newest first (never the token itself: a preview and its usage).',
    responses: { 200: { description: 'Every token.', schema: z.object({ count: z.number().int(), results: z.array(tokenRecord) }) } },
  },
  generate: {
    method: 'POST',
    path: slashOptional('/api/v1/integrations/tokens/generate/'),
    tag: 'products',
    auth: 'admin',
    summary: 'Creates an integration token; the token is in this answer only (stored as a hash).',
    description: 'The original backend’s field names are accepted beside ours: `integration_type` for `token_type`, `allowed_ips` for `ip_allowlist`.',
    body: generateTokenBody,
    responses: {
      201: { description: 'The token record with `token` (shown once).', schema: tokenRecord.extend({ token: z.string(), message: z.string() }) },
      400: '`validation_error` naming each invalid field.',
    },
  },
  revoke: {
    method: 'DELETE',
    path: slashOptional('/api/v1/integrations/tokens/:id/'),
    tag: 'products',
    auth: 'admin',
    summary: 'Revokes an integration token (kept for the record).',
    params: idParam,
    responses: {
      200: { description: 'Revoked.', schema: z.object({ status: z.literal('revoked'), token: tokenRecord }) },
      404: 'No such token.',
    },
  },
} satisfies Record<string, RouteContract>;

/** Admin: generate (token shown once), list, revoke. */
export function tokensRouter(tokens: TokenStore): Router {
  const router = createRouter();

  route(router, TOKEN_ROUTES.list, async (_req, res) => {
    const results = await tokens.list();
    res.json({ count: results.length, results });
  });

  route(router, TOKEN_ROUTES.generate, async (req, res, input) => {
    const body = input.body(req.body ?? {});
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

  route(router, TOKEN_ROUTES.revoke, async (_req, res, input) => {
    const { id } = input.params();
    const record = await tokens.revoke(id);
    if (!record) throw notFound(`No integration token ${id}.`);
    res.json({ status: 'revoked', token: record });
  });

  return router;
}

import type { Router } from 'express';
import { z } from 'zod';

import { route, type RouteContract } from '../../core/http/contract';
import { HttpError, parseOrThrow } from '../../core/http/errors';
import { rawPost, utf8Text, type RawHttp, type RawListener, type RawReply, type RawRequest } from '../../core/http/raw';
import { createRouter, slashOptional } from '../../core/http/routes';
import type { Logger } from '../../core/logger';
import type { TokenStore } from '../tokens/store';
import { normalizeIp } from '../tokens/token';
import { authenticate, type TokenRateLimiter } from './auth';
import type { ProductEnqueuer } from './enqueuer';
import type { ProductEventLog } from './event-log';
import { eventVersion, webhookBody } from './payload';

export const WEBHOOK_PATH = '/api/integrations/woocommerce/webhook/';

const TOKEN_REFUSED = '`missing_token`, `invalid_token`, `token_expired`, `token_revoked` or `ip_not_allowed`.';
const RATE_LIMITED = '`rate_limited`: over the token’s requests per minute (Retry-After says when to retry).';

export const INGEST_ROUTES = {
  webhook: {
    method: 'POST',
    path: slashOptional(WEBHOOK_PATH),
    tag: 'products',
    auth: 'integration_token',
    summary: 'Product ingestion: one product event (created, updated, deleted), logged once per event_id and applied in the background.',
    body: webhookBody,
    responses: {
      200: {
        description: 'A duplicate event_id: nothing new.',
        schema: z.object({ status: z.literal('skipped'), event_id: z.string(), reason: z.string() }),
      },
      202: {
        description: 'Logged and queued.',
        schema: z.object({ status: z.literal('accepted'), event_id: z.string(), event_log_id: z.number().int(), external_id: z.string() }),
      },
      400: '`malformed_json`, or `validation_error` naming each invalid field.',
      401: TOKEN_REFUSED,
      413: '`payload_too_large`: over 1 MB.',
      429: RATE_LIMITED,
    },
  },
  health: {
    method: 'GET',
    path: '/api/integrations/woocommerce/health/',
    tag: 'products',
    auth: 'integration_token',
    summary: 'Checks an integration token: its name, owner, usage and whether embeddings are configured.',
    responses: {
      200: {
        description: 'The token is valid.',
        schema: z.looseObject({ status: z.literal('ok'), token: z.looseObject({ name: z.string(), owner: z.string() }) }),
      },
      401: TOKEN_REFUSED,
      429: RATE_LIMITED,
    },
  },
} satisfies Record<string, RouteContract>;

export interface IngestDeps {
  tokens: TokenStore;
  limiter: TokenRateLimiter;
  log: ProductEventLog;
  enqueuer: ProductEnqueuer;
  logger: Logger;
  embeddingsConfigured: () => Promise<boolean>;
}

/** The Django-style ingestion API: token → rate limit → validation → event log row → 202. */
export async function acceptProductEvent(request: RawRequest, deps: IngestDeps): Promise<RawReply> {
  const token = await authenticate(request.header('authorization'), request.ip, deps.tokens);
  const headers = await deps.limiter.consume(token);
  const text = utf8Text(request.body);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'malformed_json', 'The request body is not valid JSON.');
  }
  const body = parseOrThrow(INGEST_ROUTES.webhook.body, json);
  const ip = normalizeIp(request.ip) ?? null;
  const outcome = await deps.log.accept({
    owner: token.owner,
    eventId: body.event_id,
    tokenId: token.id,
    eventType: body.event_type,
    productId: body.product.id,
    // The body exactly as received (inert text; processing validates it again).
    payload: text,
    version: eventVersion(body),
    sourceIp: ip,
    userAgent: request.header('user-agent')?.slice(0, 255) ?? null,
  });
  deps.tokens.recordUse(token.id, ip ?? undefined);
  if (outcome.status === 'duplicate') return { status: 200, headers, body: { status: 'skipped', event_id: body.event_id, reason: 'duplicate event_id' } };
  // Acknowledged once logged; if Redis is down now the sweeper enqueues the row later.
  deps.enqueuer
    .enqueue(outcome.id, body)
    .catch((error: unknown) => deps.logger.warn({ err: error, eventId: body.event_id }, 'product event enqueue failed; the sweeper will retry'));
  return { status: 202, headers, body: { status: 'accepted', event_id: body.event_id, event_log_id: outcome.id, external_id: `woo_${body.product.id}` } };
}

/** The webhook on the bare node:http request (the hot path); the health route stays on express. */
export function ingestListener(deps: IngestDeps, http: RawHttp): RawListener {
  return rawPost({ contract: INGEST_ROUTES.webhook, http, handle: (request) => acceptProductEvent(request, deps) });
}

/** Public: authenticated by an integration token, not the admin token. */
export function ingestRouter(deps: IngestDeps): Router {
  const router = createRouter();

  route(router, INGEST_ROUTES.health, async (req, res) => {
    const token = await authenticate(req.get('authorization'), req.ip, deps.tokens);
    res.set(await deps.limiter.consume(token));
    deps.tokens.recordUse(token.id, normalizeIp(req.ip));
    // Usage is counted in memory; written first so the answer includes this very call.
    await deps.tokens.flushUsage();
    const record = await deps.tokens.get(token.id);
    res.json({
      status: 'ok',
      token: {
        name: token.name,
        owner: token.owner,
        integration_type: record?.integration_type ?? null,
        token_preview: record?.token_preview ?? null,
        expires_at: token.expires_at ? token.expires_at.toISOString() : null,
        usage_count: record?.usage_count ?? null,
        last_used_at: record?.last_used_at ?? null,
      },
      // The original backend's flat fields.
      token_name: token.name,
      usage_count: record?.usage_count ?? null,
      last_used_at: record?.last_used_at ?? null,
      embeddings_configured: await deps.embeddingsConfigured(),
      time: new Date().toISOString(),
    });
  });

  return router;
}

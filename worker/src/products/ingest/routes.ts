import { Router } from 'express';

import { parseOrThrow } from '../../core/http/errors';
import type { Logger } from '../../core/logger';
import type { TokenStore } from '../tokens/store';
import { normalizeIp } from '../tokens/token';
import { authenticate, type TokenRateLimiter } from './auth';
import type { ProductEnqueuer } from './enqueuer';
import type { ProductEventLog } from './event-log';
import { eventVersion, webhookBody } from './payload';

export interface IngestDeps {
  tokens: TokenStore;
  limiter: TokenRateLimiter;
  log: ProductEventLog;
  enqueuer: ProductEnqueuer;
  logger: Logger;
  embeddingsConfigured: () => Promise<boolean>;
}

/** The Django-style ingestion API: token → rate limit → validation → event log row → 202. */
export function ingestRouter(deps: IngestDeps): Router {
  const router = Router();

  router.post('/api/integrations/woocommerce/webhook/', async (req, res) => {
    const token = await authenticate(req, deps.tokens);
    await deps.limiter.consume(token, res);
    const body = parseOrThrow(webhookBody, req.body ?? null);
    const ip = normalizeIp(req.ip) ?? null;
    const outcome = await deps.log.accept({
      owner: token.owner,
      eventId: body.event_id,
      tokenId: token.id,
      eventType: body.event_type,
      productId: body.product.id,
      // The body as received (stored as inert text; processing validates it again).
      payload: JSON.stringify(req.body),
      version: eventVersion(body),
      sourceIp: ip,
      userAgent: req.get('user-agent')?.slice(0, 255) ?? null,
    });
    deps.tokens.recordUse(token.id, ip ?? undefined);
    if (outcome.status === 'duplicate') {
      res.status(200).json({ status: 'skipped', event_id: body.event_id, reason: 'duplicate event_id' });
      return;
    }
    res.status(202).json({ status: 'accepted', event_id: body.event_id, event_log_id: outcome.id, external_id: `woo_${body.product.id}` });
    // Acknowledged once logged; if Redis is down now the sweeper enqueues the row later.
    deps.enqueuer.enqueue(outcome.id).catch((error: unknown) => deps.logger.warn({ err: error, eventId: body.event_id }, 'product event enqueue failed; the sweeper will retry'));
  });

  router.get('/api/integrations/woocommerce/health/', async (req, res) => {
    const token = await authenticate(req, deps.tokens);
    await deps.limiter.consume(token, res);
    deps.tokens.recordUse(token.id, normalizeIp(req.ip));
    res.json({
      status: 'ok',
      token: { name: token.name, owner: token.owner, expires_at: token.expires_at ? token.expires_at.toISOString() : null },
      embeddings_configured: await deps.embeddingsConfigured(),
      time: new Date().toISOString(),
    });
  });

  return router;
}
